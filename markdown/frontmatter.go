package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"

	"github.com/BurntSushi/toml"
	yaml "go.yaml.in/yaml/v3"
)

// Front is a page's front matter. Keys docrun does not use are kept in
// Other.
type Front struct {
	Title       string `json:"title"`
	ContentType string `json:"content_type,omitempty"`
	Weight      any    `json:"weight,omitempty"`
	Description string `json:"description,omitempty"`
	// MinKubernetesServerVersion is the version as written ("v1.21" or
	// "1.21"); MinVersion is its normalised form ("1.21").
	MinKubernetesServerVersion string         `json:"min-kubernetes-server-version,omitempty"`
	MinVersion                 string         `json:"min_version,omitempty"`
	Reviewers                  []string       `json:"reviewers,omitempty"`
	Other                      map[string]any `json:"other,omitempty"`
}

// splitFrontMatter finds front matter delimited by --- (YAML) or +++
// (TOML) at the very start of data. It returns the front matter's text,
// the body after it, the body's offset, and whether a front matter block
// was found. ok is false only for an unterminated block.
//
// As in Hugo's page lexer, the block ends at the first line that starts
// with the delimiter: "--- " and "----" close it too, and what follows the
// three characters on that line belongs to the body.
func splitFrontMatter(data []byte) (fm, body []byte, bodyOff int, ok bool) {
	var delim []byte
	switch {
	case bytes.HasPrefix(data, []byte("---\n")), bytes.HasPrefix(data, []byte("---\r\n")):
		delim = []byte("---")
	case bytes.HasPrefix(data, []byte("+++\n")), bytes.HasPrefix(data, []byte("+++\r\n")):
		delim = []byte("+++")
	default:
		return nil, data, 0, true
	}
	start := bytes.IndexByte(data, '\n') + 1
	for i := start; i < len(data); {
		if bytes.HasPrefix(data[i:], delim) {
			next := i + len(delim)
			switch {
			case bytes.HasPrefix(data[next:], []byte("\r\n")):
				next += 2
			case bytes.HasPrefix(data[next:], []byte("\n")):
				next++
			}
			return data[start:i], data[next:], next, true
		}
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return nil, nil, 0, false
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseFront decodes front matter text; toml says which syntax. Errors
// carry the line in the page (front matter starts on line 2).
func parseFront(path string, fm []byte, isTOML bool) (Front, error) {
	var f Front
	raw := map[string]any{}
	if isTOML {
		if _, err := toml.Decode(string(fm), &raw); err != nil {
			line := 1
			if pe, ok := err.(toml.ParseError); ok {
				line = pe.Position.Line + 1
			}
			return f, &Error{File: path, Line: line, Msg: "invalid front matter: " + err.Error()}
		}
	} else {
		var node yaml.Node
		if err := yaml.Unmarshal(fm, &node); err != nil {
			line := 2
			msg := err.Error()
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				n, _ := strconv.Atoi(m[1])
				line = n + 1
			}
			return f, &Error{File: path, Line: line, Msg: "invalid front matter: " + msg}
		}
		if len(node.Content) == 0 {
			return f, nil
		}
		doc := node.Content[0]
		if doc.Kind != yaml.MappingNode {
			return f, &Error{File: path, Line: doc.Line + 1, Msg: "invalid front matter: not a mapping of keys to values"}
		}
		for i := 0; i+1 < len(doc.Content); i += 2 {
			k, v := doc.Content[i], doc.Content[i+1]
			if k.Value == "min-kubernetes-server-version" && v.Kind == yaml.ScalarNode {
				// Keep the text as written: 1.20 must not become 1.2.
				raw[k.Value] = v.Value
				continue
			}
			var val any
			if err := v.Decode(&val); err != nil {
				return f, &Error{File: path, Line: v.Line + 1, Msg: fmt.Sprintf("invalid front matter value for %q: %v", k.Value, err)}
			}
			raw[k.Value] = val
		}
	}
	for k, v := range raw {
		switch k {
		case "title":
			f.Title = fmt.Sprint(v)
		case "content_type":
			f.ContentType = fmt.Sprint(v)
		case "weight":
			f.Weight = v
		case "description":
			f.Description = fmt.Sprint(v)
		case "min-kubernetes-server-version":
			f.MinKubernetesServerVersion = fmt.Sprint(v)
			if ver, err := ParseVersion(f.MinKubernetesServerVersion); err == nil {
				f.MinVersion = ver.MinorString()
			}
		case "reviewers":
			if list, ok := v.([]any); ok {
				for _, r := range list {
					f.Reviewers = append(f.Reviewers, fmt.Sprint(r))
				}
			} else if v != nil {
				f.Reviewers = []string{fmt.Sprint(v)}
			}
		default:
			if f.Other == nil {
				f.Other = map[string]any{}
			}
			f.Other[k] = v
		}
	}
	return f, nil
}
