package redact

import "strings"

// The structure of YAML and indented JSON, read a line at a time: a
// mapping is the run of lines at one key column, ended by a line indented
// less, by the next list item at its column, or by text that is no key at
// its column or less ("---", a shell prompt), or by a key it has already
// (the next document, printed without "---"); a line of closing brackets
// ("},") ends only the mappings inside it.
//
// Two rules need a mapping's other lines, and kubectl prints the deciding
// line after the values (fields are sorted): the values under data,
// stringData and binaryData are hidden when the mapping has kind: Secret,
// and the value of value: when the mapping's name: looks secret (an env
// entry). Such a line waits for its mapping's decision; the decision is
// "no" when the mapping ends without one, except for the kind of an object
// cut short (see end).

// decision is a mapping's answer to a rule: not known yet, no or yes.
type decision uint8

const (
	undecided decision = iota
	no
	yes
)

// mapping is an open mapping of the text.
type mapping struct {
	at     int      // its key column
	secret decision // kind: Secret
	named  decision // name: looks secret
	keys   map[string]bool
}

// end decides what the mapping never said. An object (it has apiVersion)
// whose kind never came was cut short (head, a line of other output in
// between): it may be a Secret, and its data is hidden.
func (m *mapping) end() {
	if m.secret == undecided {
		m.secret = no
		if m.keys["apiVersion"] {
			m.secret = yes
		}
	}
	if m.named == undecided {
		m.named = no
	}
}

// always is the owner of a credential's block scalar: decided, secret.
var always = &mapping{secret: yes, named: yes}

// blockRule says which decision hides the lines of a block.
type blockRule uint8

const (
	blockData  blockRule = iota // under data: (the owner's kind)
	blockValue                  // a value: |  block scalar (the owner's name)
)

// block is the value of a key written on the lines below it.
type block struct {
	keyAt int
	child int // column of its first line; -1 until seen
	owner *mapping
	rule  blockRule
}

// tracker follows the open mappings and blocks of the text.
type tracker struct {
	stack  []*mapping
	blocks []*block
}

// entry is a line of the text on its way out: its parse, its source bytes
// and the decisions its redaction waits for.
type entry struct {
	l    line
	nl   string // the line's end: "\n", or "" for text without one
	tags []byte // the source of each byte of text+nl; nil: all source 0
	size int

	data     *mapping // its value is Secret data if data.secret is yes
	dataFlow bool     // that value is a flow mapping ({a: b})
	value    *mapping // its value is a named secret if value.named is yes
	deep     bool     // the whole line is part of such a value
}

// decided reports whether every decision the entry needs is made.
func (e *entry) decided() bool {
	return (e.data == nil || e.data.secret != undecided) && (e.value == nil || e.value.named != undecided)
}

// force decides, conservatively, what the entry still waits for.
func (e *entry) force() {
	if e.data != nil && e.data.secret == undecided {
		e.data.secret = yes
	}
	if e.value != nil && e.value.named == undecided {
		e.value.named = yes
	}
}

func (t *tracker) pop() {
	t.stack[len(t.stack)-1].end()
	t.stack = t.stack[:len(t.stack)-1]
}

func (t *tracker) top() *mapping {
	if len(t.stack) == 0 {
		return nil
	}
	return t.stack[len(t.stack)-1]
}

// endAll ends every mapping and block: the text is complete.
func (t *tracker) endAll() {
	for len(t.stack) > 0 {
		t.pop()
	}
	t.blocks = nil
}

// arrive reads the next line of the text into the structure and notes on
// e what its redaction depends on.
func (t *tracker) arrive(e *entry) {
	l := &e.l
	if l.blank {
		return
	}
	for len(t.blocks) > 0 && l.indent <= t.blocks[len(t.blocks)-1].keyAt {
		t.blocks = t.blocks[:len(t.blocks)-1]
	}
	if len(t.blocks) > 0 {
		b := t.blocks[len(t.blocks)-1]
		if b.child < 0 {
			b.child = l.indent
		}
		if b.rule == blockData {
			e.data, e.deep = b.owner, l.indent > b.child || !l.structural()
		} else {
			e.value, e.deep = b.owner, true
		}
	}
	if !l.structural() && !l.item {
		m := t.top()
		if m != nil && l.indent > m.at {
			return // a continuation line
		}
		for m != nil && (m.at > l.indent || m.at == l.indent && !l.closer()) {
			t.pop()
			m = t.top()
		}
		return
	}
	at := l.keyAt
	for m := t.top(); m != nil && m.at > at; m = t.top() {
		t.pop()
	}
	// A key seen before in the mapping starts another one: a second
	// document printed right after the first (two kubectl get -o yaml).
	if m := t.top(); m == nil || m.at < at || l.item || l.structural() && m.keys[l.key] {
		if m != nil && m.at == at {
			t.pop()
		}
		t.stack = append(t.stack, &mapping{at: at, keys: map[string]bool{}})
	}
	if !l.structural() {
		return
	}
	m := t.top()
	m.keys[l.key] = true
	switch {
	case l.key == "kind":
		if m.secret == undecided {
			m.secret = no
			if unquote(l.val) == "Secret" {
				m.secret = yes
			}
		}
	case l.key == "name":
		if m.named == undecided {
			m.named = no
			if SecretName(unquote(l.val)) {
				m.named = yes
			}
		}
	case dataFields[l.key]:
		switch v := strings.TrimSuffix(l.val, ","); {
		case v == "" || v == "{":
			t.blocks = append(t.blocks, &block{keyAt: l.keyAt, child: -1, owner: m, rule: blockData})
		case strings.HasPrefix(v, "{"):
			e.data, e.dataFlow = m, true
		}
	case l.key == "value":
		switch {
		case blockScalar(l.val):
			t.blocks = append(t.blocks, &block{keyAt: l.keyAt, child: -1, owner: m, rule: blockValue})
		case l.val != "" && l.val[0] != '{' && l.val[0] != '[':
			e.value = m
		}
	case credential(l.key) && blockScalar(l.val):
		t.blocks = append(t.blocks, &block{keyAt: l.keyAt, child: -1, owner: always, rule: blockValue})
	}
}
