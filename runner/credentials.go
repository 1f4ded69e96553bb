package runner

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
)

// bindCredentials gives the credentials among names (the placeholders of
// code: a user name or password in the data of a Secret the page writes,
// see markdown.Credential) their values, written as the place needs them
// (base64 under data:). A value given (--set, docrun.yaml) is used;
// otherwise docrun makes one up, as the reader does, once per name for
// the page. It returns the code with them replaced, their bindings and the
// names left to bind.
func (pr *pageRun) bindCredentials(code string, creds []markdown.Credential, names []string) (string, []result.Binding, []string) {
	var used []result.Binding
	for _, c := range creds {
		if !slices.Contains(names, c.Name) {
			continue
		}
		b, ok := pr.binds.get(c.Name)
		if !ok {
			b = pr.inventCredential(c.Name)
		}
		v := b.Value
		if c.Encoding == "base64" {
			v = base64.StdEncoding.EncodeToString([]byte(v))
		}
		code = replacePlaceholder(code, c.Name, v)
		used = append(used, b)
		names = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == c.Name })
	}
	return code, used, names
}

// inventCredential makes up the value of a credential placeholder: for a
// user or login name, user- and random letters; for anything else (a
// password, a token, a key), 24 random letters and digits. The value is a
// secret: the Redactor hides it, as it is and base64-encoded, wherever
// docrun shows output, and the binding says so.
func (pr *pageRun) inventCredential(name string) result.Binding {
	v, what := randomWord(24), "a password"
	if n := canonicalName(name); strings.Contains(n, "user") || strings.Contains(n, "login") || strings.Contains(n, "account") {
		v, what = "user-"+randomHex(5), "a user name"
	}
	b := result.Binding{Name: name, Value: v, Source: inventedSource, Secret: true,
		Description: what + " docrun made up for the Secret's data"}
	pr.binds.set(name, v, inventedSource)
	pr.binds.values[name] = b
	pr.r.Opts.Redactor.Add(v)
	return b
}

// randomHex is n random bytes in hexadecimal.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// randomWord is n random letters and digits.
func randomWord(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
