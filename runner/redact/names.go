package redact

import (
	"regexp"
	"strings"
)

// The one list of names: every rule that looks at a variable, field or
// flag name is built from these two lists.

// secretWords are the words that make a variable or field name secret-
// looking when it contains one (MY_SECRET, DB_PASSWORD, GITHUB_TOKEN,
// secretKey): its value is hidden, and read from the page's shell.
var secretWords = []string{"token", "password", "passwd", "secret", "apikey", "api_key", "privatekey", "private_key", "credential"}

// credentialFields are the field and flag names whose values are
// credentials, matched whole: the token and client-key-data of a
// kubeconfig, --password, "access-token" in JSON.
var credentialFields = []string{
	"token", "id-token", "refresh-token", "access-token", "auth-token", "bootstrap-token",
	"password", "passwd", "client-key-data", "client-certificate-data", "client-secret",
	"secret-key", "private-key", "api-key", "apikey",
}

// dataFields are the fields of a Secret whose values are its secrets.
var dataFields = map[string]bool{"data": true, "stringData": true, "binaryData": true}

// publicData are keys of Secret data whose values are no secret and common
// words elsewhere (a service-account token Secret's namespace and CA
// certificate): hidden in the Secret, not learned as secret values.
var publicData = map[string]bool{"namespace": true, "ca.crt": true}

func alternation(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(q, "|")
}

var (
	// assignRe matches NAME=value with a secret-looking NAME and a literal
	// value (not $VAR or $(command)).
	assignRe = regexp.MustCompile(`(?i)\b([A-Za-z0-9_]*(?:` + alternation(secretWords) + `)[A-Za-z0-9_]*)=("[^"$\x60]+"|'[^']+'|[^\s"'$\x60;|&()<>]+)`)
	// flagRe matches --token=VALUE and --password VALUE.
	flagRe = regexp.MustCompile(`(?i)(--(?:` + alternation(credentialFields) + `)[= ])([^\s$"'][^\s"']*)`)
)

// SecretName reports whether a variable or field name holds a secret.
func SecretName(name string) bool { return hasSecretWord(name) }

// MentionsSecret reports whether code refers to a variable whose name looks
// secret: after such a step the shell's variables are worth reading.
func MentionsSecret(code string) bool { return hasSecretWord(code) }

// hasSecretWord reports whether s contains a secret word, in any case.
func hasSecretWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // ASCII lower case
		for _, w := range secretWords {
			if w[0] == c && len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) {
				return true
			}
		}
	}
	return false
}

var credentialSet = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range credentialFields {
		m[f] = true
	}
	return m
}()

// credential reports whether a field name is a credential's.
func credential(name string) bool {
	return len(name) <= 32 && credentialSet[strings.ToLower(name)]
}

// ShellQuery is bash code that prints, NUL-terminated, the values of the
// shell's variables whose names look secret; AddShellValues reads its
// output.
var ShellQuery = shellQuery()

func shellQuery() string {
	pats := make([]string, len(secretWords))
	for i, w := range secretWords {
		pats[i] = "*" + strings.ToUpper(w) + "*"
	}
	return `for __docrun_v in $(compgen -v); do case "${__docrun_v^^}" in ` +
		strings.Join(pats, "|") + `) printf '%s\0' "${!__docrun_v}";; esac; done; unset __docrun_v`
}
