package redact

import "strings"

// Marker replaces every secret.
const Marker = "[REDACTED]"

// MinValueLen is the shortest known value Add accepts: shorter ones would
// replace ordinary words and numbers everywhere.
const MinValueLen = 4

// String returns s with every secret replaced by Marker: what a Stream
// writes for s.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	var b strings.Builder
	st := r.NewStream(&b)
	st.write(0, s)
	st.Flush()
	return b.String()
}
