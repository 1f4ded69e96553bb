package markdown

import (
	"strings"
)

// Credential is a placeholder a reader makes up a value for: one in the
// data of a Secret the page writes (`password: <password>` under data:,
// `username: <user>` in a file under stringData:). A runner invents a
// value for it, as the reader does, and treats that value as a secret.
type Credential struct {
	// Name is the placeholder's name, as in Step.Placeholders.
	Name string `json:"name"`
	// Encoding is how the value is written where the placeholder is:
	// "base64" under a Secret's data: or binaryData:, "" (as it is) under
	// stringData:.
	Encoding string `json:"encoding,omitempty"`
}

// secretDataKeys are the fields of a Secret that hold its data, with the
// encoding of their values.
var secretDataKeys = map[string]string{"data": "base64", "binaryData": "base64", "stringData": ""}

// credentials returns the placeholders under the data of a Secret in code
// (a manifest, or a shell block with one in a here-document), in order of
// first appearance. The code is read line by line, as YAML nests by
// indentation: a document is a Secret when one of its lines at the
// document's indentation is `kind: Secret`; a placeholder is in its data
// when the key of the document's indentation above it is data:,
// binaryData: or stringData: (also inside a file held in a block scalar
// there, `config.yaml: |`). Comments are not data.
func credentials(code string) []Credential {
	var out []Credential
	seen := map[string]bool{}
	for _, doc := range yamlDocuments(WithoutComments(code)) {
		for _, c := range docCredentials(doc) {
			if !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// yamlDocuments splits YAML text at its `---` lines.
func yamlDocuments(code string) [][]string {
	var docs [][]string
	var cur []string
	for _, l := range strings.Split(code, "\n") {
		if t := strings.TrimSpace(l); t == "---" || strings.HasPrefix(t, "--- ") {
			docs, cur = append(docs, cur), nil
			continue
		}
		cur = append(cur, l)
	}
	return append(docs, cur)
}

// docCredentials reads one YAML document (see credentials).
func docCredentials(lines []string) []Credential {
	base := -1 // the indentation of the document's top-level keys
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "apiVersion:") || strings.HasPrefix(t, "kind:") {
			base = spacesBefore(l)
			break
		}
	}
	if base < 0 {
		return nil
	}
	secret := false
	for _, l := range lines {
		if spacesBefore(l) == base && yamlKeyValue(l, "kind") == "Secret" {
			secret = true
		}
	}
	if !secret {
		return nil
	}
	var out []Credential
	top := "" // the top-level key the line is under
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		ind := spacesBefore(l)
		if ind < base {
			top = "" // the end of the here-document, the shell again
			continue
		}
		if ind == base {
			top, _, _ = strings.Cut(t, ":")
			if strings.Contains(top, " ") {
				top = ""
			}
		}
		enc, ok := secretDataKeys[top]
		if !ok {
			continue
		}
		for _, p := range textPlaceholders(t) {
			out = append(out, Credential{Name: p, Encoding: enc})
		}
	}
	return out
}

// spacesBefore is the number of spaces a line starts with.
func spacesBefore(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// yamlKeyValue returns the value of `key: value` on a line, unquoted, or
// "" when the line holds another key.
func yamlKeyValue(l, key string) string {
	k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
	if !ok || k != key {
		return ""
	}
	return strings.Trim(strings.TrimSpace(v), `"'`)
}

// markCredentials sets the credentials of the page's manifests and
// commands (see Credential).
func markCredentials(doc *Document) {
	for i := range doc.Steps {
		st := &doc.Steps[i]
		if st.Kind == KindManifest || st.Kind == KindCommand {
			st.Credentials = credentials(st.Code)
		}
	}
}
