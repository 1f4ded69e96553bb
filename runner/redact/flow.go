package redact

// Flow mappings written on one line: JSON (jq -c, kubectl -o json | tr -d
// '\n', a log line) and YAML flow style ({apiVersion: v1, data: {a: b},
// kind: Secret}), keys quoted with " or ' or not at all.

// flowObj is a {...} of the line.
type flowObj struct {
	parent int    // the object it is in, or -1
	key    string // its key there ("data"); "" in an array
	secret bool   // it has kind: Secret
	named  bool   // it has a secret-looking name
}

// flowPair is a key and its scalar value.
type flowPair struct {
	key        string
	obj        int
	start, end int // the value's bytes, quotes included
	quote      byte
}

// flowScan is the objects and scalar pairs of one line.
type flowScan struct {
	s     string
	i     int
	objs  []flowObj
	pairs []flowPair
}

// scanFlow reads every flow mapping of s from offset from; the top ones
// have the key top in the text around them ("data" for data: {a: b}).
// A mapping cut short keeps the pairs read before the cut.
func scanFlow(s string, from int, top string) *flowScan {
	f := &flowScan{s: s, i: from}
	for f.i < len(s) {
		if s[f.i] != '{' {
			f.i++
			continue
		}
		at := f.i
		if !f.object(-1, top) {
			f.i = at + 1
		}
	}
	return f
}

func (f *flowScan) ws() {
	for f.i < len(f.s) && (f.s[f.i] == ' ' || f.s[f.i] == '\t') {
		f.i++
	}
}

func (f *flowScan) at(c byte) bool { return f.i < len(f.s) && f.s[f.i] == c }

// object reads a {...} starting at f.i.
func (f *flowScan) object(parent int, key string) bool {
	id := len(f.objs)
	f.objs = append(f.objs, flowObj{parent: parent, key: key})
	f.i++
	for {
		f.ws()
		if f.at('}') {
			f.i++
			return true
		}
		k, ok := f.key()
		if !ok {
			return false
		}
		f.ws()
		if !f.at(':') {
			return false
		}
		f.i++
		f.ws()
		if !f.value(id, k) {
			return false
		}
		f.ws()
		switch {
		case f.at(','):
			f.i++
		case f.at('}'):
			f.i++
			return true
		default:
			return false
		}
	}
}

// value reads the value of key k of object id.
func (f *flowScan) value(id int, k string) bool {
	if f.i >= len(f.s) {
		return false
	}
	switch f.s[f.i] {
	case '{':
		return f.object(id, k)
	case '[':
		return f.array(id)
	}
	start, q, val, ok := f.scalar("},")
	if !ok {
		return false
	}
	f.pairs = append(f.pairs, flowPair{key: k, obj: id, start: start, end: f.i, quote: q})
	switch {
	case k == "kind" && val == "Secret":
		f.objs[id].secret = true
	case k == "name" && SecretName(val):
		f.objs[id].named = true
	}
	return true
}

// array reads a [...] in object id.
func (f *flowScan) array(id int) bool {
	f.i++
	for {
		f.ws()
		if f.at(']') {
			f.i++
			return true
		}
		switch {
		case f.at('{'):
			if !f.object(id, "") {
				return false
			}
		case f.at('['):
			if !f.array(id) {
				return false
			}
		default:
			if _, _, _, ok := f.scalar("],"); !ok {
				return false
			}
		}
		f.ws()
		switch {
		case f.at(','):
			f.i++
		case f.at(']'):
			f.i++
			return true
		default:
			return false
		}
	}
}

// key reads a key, quoted or plain.
func (f *flowScan) key() (string, bool) {
	if f.at('"') || f.at('\'') {
		_, _, k, ok := f.scalar("")
		return k, ok
	}
	start := f.i
	for f.i < len(f.s) && !isAny(f.s[f.i], ":,{}[]\"'") {
		f.i++
	}
	k := trimBlank(f.s[start:f.i])
	return k, k != ""
}

// scalar reads a quoted string, or plain text up to one of the stop
// bytes; it returns where it starts, its quote and its unquoted text.
func (f *flowScan) scalar(stop string) (int, byte, string, bool) {
	start := f.i
	if f.at('"') || f.at('\'') {
		q := f.s[f.i]
		f.i++
		for f.i < len(f.s) {
			switch c := f.s[f.i]; {
			case c == '\\' && q == '"':
				f.i += 2
			case c == q && q == '\'' && f.i+1 < len(f.s) && f.s[f.i+1] == '\'':
				f.i += 2
			case c == q:
				f.i++
				return start, q, f.s[start+1 : f.i-1], true
			default:
				f.i++
			}
		}
		return start, q, "", false
	}
	for f.i < len(f.s) && !isAny(f.s[f.i], stop) {
		f.i++
	}
	for f.i > start && (f.s[f.i-1] == ' ' || f.s[f.i-1] == '\t') {
		f.i--
	}
	return start, 0, f.s[start:f.i], f.i > start
}

func isAny(c byte, set string) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

func trimBlank(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// secretData reports whether pair p is a value of a Secret's data; top
// says whether the text around the top objects is a Secret's.
func (f *flowScan) secretData(p flowPair, top bool) bool {
	o := f.objs[p.obj]
	if !dataFields[o.key] {
		return false
	}
	if o.parent < 0 {
		return top
	}
	return f.objs[o.parent].secret
}
