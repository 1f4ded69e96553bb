package match

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

const (
	maxDepth = 200       // nesting of a parsed document
	maxNodes = 2_000_000 // nodes of a parsed document, aliases expanded
)

// kind is the type of a tree node, as far as shapes go.
type kind uint8

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kMap
	kSeq
)

func (k kind) String() string {
	return [...]string{"null", "bool", "number", "string", "mapping", "list"}[k]
}

// node is a parsed JSON or YAML value. Mappings keep their key order.
type node struct {
	kind  kind
	value string   // scalar text
	keys  []string // mapping keys, parallel to kids
	kids  []*node  // mapping values or list elements
}

func (n *node) scalar() bool { return n.kind != kMap && n.kind != kSeq }

// text is a short rendering of n for notes.
func (n *node) text() string {
	switch n.kind {
	case kMap:
		return fmt.Sprintf("{%d %s}", len(n.keys), plural(len(n.keys), "key"))
	case kSeq:
		return fmt.Sprintf("[%d %s]", len(n.kids), plural(len(n.kids), "item"))
	case kNull:
		return "null"
	}
	return shorten(n.value)
}

var errTooBig = errors.New("document too large or too deep")

// parseJSON parses a whole text as one JSON value.
func parseJSON(s string) (*node, error) {
	n, rest, err := parseJSONPrefix(s)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(rest) != "" {
		return nil, errors.New("text after the JSON value")
	}
	return n, nil
}

// parseJSONPrefix parses the JSON value at the start of s and returns
// the text after it.
func parseJSONPrefix(s string) (*node, string, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	count := 0
	n, err := readJSON(dec, 0, &count)
	if err != nil {
		return nil, "", err
	}
	return n, s[dec.InputOffset():], nil
}

func readJSON(dec *json.Decoder, depth int, count *int) (*node, error) {
	*count++
	if depth > maxDepth || *count > maxNodes {
		return nil, errTooBig
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &node{kind: kMap}
		if t == '[' {
			n.kind = kSeq
		} else if t != '{' {
			return nil, fmt.Errorf("unexpected %v", t)
		}
		for dec.More() {
			if n.kind == kMap {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("key %v is not a string", kt)
				}
				n.keys = append(n.keys, key)
			}
			kid, err := readJSON(dec, depth+1, count)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, kid)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return n, nil
	case string:
		return &node{kind: kString, value: t}, nil
	case json.Number:
		return &node{kind: kNumber, value: t.String()}, nil
	case bool:
		return &node{kind: kBool, value: fmt.Sprint(t)}, nil
	case nil:
		return &node{kind: kNull}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// parseActualJSON parses actual output as JSON, tolerating text around
// the value (stderr lines passed along with stdout, a warning before the
// document); skipped is that text.
func parseActualJSON(lines []string) (n *node, skipped []string, err error) {
	s := strings.Join(lines, "\n")
	if n, err := parseJSON(s); err == nil {
		return n, nil, nil
	}
	for i, l := range lines {
		if i > 50 {
			break
		}
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
			continue
		}
		n, rest, err := parseJSONPrefix(strings.Join(lines[i:], "\n"))
		if err != nil || (n.kind != kMap && n.kind != kSeq) {
			continue
		}
		skipped = append(skipped, lines[:i]...)
		for _, r := range strings.Split(rest, "\n") {
			if strings.TrimSpace(r) != "" {
				skipped = append(skipped, r)
			}
		}
		return n, skipped, nil
	}
	return nil, nil, errors.New("no JSON value")
}

// parseYAML parses a YAML stream. Several documents become a list.
func parseYAML(s string) (*node, error) {
	dec := yaml.NewDecoder(strings.NewReader(s))
	var docs []*node
	count := 0
	for {
		var y yaml.Node
		err := dec.Decode(&y)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		n, err := fromYAML(&y, 0, &count)
		if err != nil {
			return nil, err
		}
		if n != nil {
			docs = append(docs, n)
		}
	}
	switch len(docs) {
	case 0:
		return nil, errors.New("empty YAML")
	case 1:
		return docs[0], nil
	}
	return &node{kind: kSeq, kids: docs}, nil
}

// fromYAML converts a yaml.Node, expanding aliases within the node budget.
func fromYAML(y *yaml.Node, depth int, count *int) (*node, error) {
	*count++
	if depth > maxDepth || *count > maxNodes {
		return nil, errTooBig
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return nil, nil
		}
		return fromYAML(y.Content[0], depth+1, count)
	case yaml.AliasNode:
		if y.Alias == nil {
			return &node{kind: kNull}, nil
		}
		return fromYAML(y.Alias, depth+1, count)
	case yaml.MappingNode:
		n := &node{kind: kMap}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k := y.Content[i]
			v, err := fromYAML(y.Content[i+1], depth+1, count)
			if err != nil {
				return nil, err
			}
			if v == nil {
				v = &node{kind: kNull}
			}
			n.keys = append(n.keys, k.Value)
			n.kids = append(n.kids, v)
		}
		return n, nil
	case yaml.SequenceNode:
		n := &node{kind: kSeq}
		for _, c := range y.Content {
			v, err := fromYAML(c, depth+1, count)
			if err != nil {
				return nil, err
			}
			if v == nil {
				v = &node{kind: kNull}
			}
			n.kids = append(n.kids, v)
		}
		return n, nil
	case yaml.ScalarNode:
		switch y.ShortTag() {
		case "!!null":
			return &node{kind: kNull, value: y.Value}, nil
		case "!!bool":
			return &node{kind: kBool, value: y.Value}, nil
		case "!!int", "!!float":
			return &node{kind: kNumber, value: y.Value}, nil
		}
		return &node{kind: kString, value: y.Value}, nil
	}
	return nil, nil
}
