package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

const jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestShapes(t *testing.T) {
	tests := []struct {
		name, in string
		gone     []string // must not survive
		kept     []string // must survive
	}{
		{"jwt", "token is " + jwt + " ok", []string{jwt}, []string{"token is", "ok"}},
		{"jwt base64", "ZXlK" + strings.Repeat("aGJHY2lPaUpTVXpJMU5pSXNJbXRw", 3) + "==", []string{"aGJHY2lP"}, nil},
		{"bearer header", "> GET /api HTTP/2\n> Authorization: Bearer abcdef0123456789\n> Accept: */*\n",
			[]string{"abcdef0123456789"}, []string{"Authorization: Bearer " + Marker, "Accept: */*"}},
		{"bearer variable", `curl -H "Authorization: Bearer $TOKEN"`, nil, []string{"Bearer $TOKEN"}},
		{"kubeconfig yaml", "users:\n- name: admin\n  user:\n    token: s3cr3t-token\n    client-key-data: LS0tLS1CRUdJTg==\n    client-certificate-data: Q0VSVA==\n    password: hunter22\n    username: admin\n",
			[]string{"s3cr3t-token", "LS0tLS1CRUdJTg==", "Q0VSVA==", "hunter22"}, []string{"username: admin", "token: " + Marker}},
		{"kubeconfig json", `{"users": [{"name": "a", "user": {` + "\n" + `  "token": "s3cr3t-token",` + "\n" + `  "password": "hunter22"` + "\n}}]}",
			[]string{"s3cr3t-token", "hunter22"}, []string{`"token": "` + Marker + `",`}},
		{"kubectl markers kept", "    client-key-data: DATA+OMITTED\n    token: REDACTED\n", nil,
			[]string{"client-key-data: DATA+OMITTED", "token: REDACTED"}},
		{"describe secret", "Data\n====\nca.crt:     1107 bytes\nnamespace:  7 bytes\ntoken:      " + jwt + "\n",
			[]string{jwt}, []string{"ca.crt:     1107 bytes"}},
		{"secret yaml", "apiVersion: v1\ndata:\n  password: " + b64("hunter22") + "\n  username: " + b64("admin") + "\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\n",
			[]string{b64("hunter22"), b64("admin")}, []string{"name: creds", "kind: Secret", "username: " + Marker}},
		{"secret stringData block scalar", "kind: Secret\nstringData:\n  config.yaml: |\n    apiUrl: https://x\n    pass: topsecret1\n  plain: value1\nmetadata:\n  name: s\n",
			[]string{"topsecret1", "value1"}, []string{"name: s"}},
		{"secret json", "{\n    \"apiVersion\": \"v1\",\n    \"data\": {\n        \"ca.crt\": \"" + b64("CERT") + "\",\n        \"token\": \"" + b64("tok-value-1") + "\"\n    },\n    \"kind\": \"Secret\"\n}\n",
			[]string{b64("CERT"), b64("tok-value-1")}, []string{`"kind": "Secret"`}},
		{"list of configmap and secret", "apiVersion: v1\nitems:\n- apiVersion: v1\n  data:\n    color: blue\n  kind: ConfigMap\n- apiVersion: v1\n  data:\n    key: " + b64("k3y-value") + "\n  kind: Secret\nkind: List\n",
			[]string{b64("k3y-value")}, []string{"color: blue"}},
		{"configmap kept", "apiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\n", nil, []string{"color: blue"}},
		{"compact json", `{"apiVersion":"v1","data":{"token":"` + b64("tok-value-2") + `"},"kind":"Secret"}`,
			[]string{b64("tok-value-2")}, []string{`"kind":"Secret"`}},
		{"env entry", "env:\n- name: DB_PASSWORD\n  value: hunter22\n- name: COLOR\n  value: blue\n",
			[]string{"hunter22"}, []string{"value: blue", "name: DB_PASSWORD"}},
		{"assignments", "export MY_SECRET=s3cr3t-value\nTOKEN='abc123def'\nAPI_KEY=\"k-123456\"\nCOLOR=blue\n",
			[]string{"s3cr3t-value", "abc123def", "k-123456"}, []string{"COLOR=blue", "MY_SECRET=" + Marker}},
		{"assignment of a command", `TOKEN=$(kubectl get secret default-token -o jsonpath='{.data.token}' | base64 --decode)`, nil,
			[]string{"TOKEN=$(kubectl get secret"}},
		{"flags", "kubectl --token=abcdef123 get pods --password hunter22", []string{"abcdef123", "hunter22"}, []string{"get pods"}},
		{"private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n",
			[]string{"MIIEowIBAAKCAQEA"}, []string{"-----BEGIN RSA PRIVATE KEY-----"}},
		{"ordinary text", "waiting for token...\nsecretName: my-secret\nautomountServiceAccountToken: false\nsecret/default-token created\n", nil,
			[]string{"waiting for token...", "secretName: my-secret", "automountServiceAccountToken: false", "secret/default-token created"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New().String(tt.in)
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("%q survived:\n%s", g, got)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(got, k) {
					t.Errorf("%q is missing:\n%s", k, got)
				}
			}
			if len(tt.gone) > 0 && !strings.Contains(got, Marker) {
				t.Errorf("no marker:\n%s", got)
			}
		})
	}
}

func TestKnownValues(t *testing.T) {
	r := New()
	r.Add("hunter22", "abc", "")
	r.AddEnv([]string{"GITHUB_TOKEN=ghs_0123456789", "HOME=/root"})
	r.AddShellValues("value-one\x00value-two\x00")
	in := "pw hunter22 b64 " + b64("hunter22") + " gh ghs_0123456789 home /root one value-one two value-two abc"
	got := r.String(in)
	for _, g := range []string{"hunter22", b64("hunter22"), "ghs_0123456789", "value-one", "value-two"} {
		if strings.Contains(got, g) {
			t.Errorf("%q survived: %s", g, got)
		}
	}
	if !strings.Contains(got, "/root") || !strings.Contains(got, " abc") {
		t.Errorf("ordinary or too short values were replaced: %s", got)
	}
}

func TestLearn(t *testing.T) {
	r := New()
	r.Learn("export DB_PASSWORD=hunter22; echo $DB_PASSWORD")
	if got := r.String("the value is hunter22"); strings.Contains(got, "hunter22") {
		t.Errorf("learned value survived: %s", got)
	}
	// A Secret's data is learned decoded: it is hidden where it shows later.
	r.String("data:\n  pw: " + b64("s3cr3t-pw") + "\nkind: Secret\n")
	if got := r.String("decoded: s3cr3t-pw"); strings.Contains(got, "s3cr3t-pw") {
		t.Errorf("decoded Secret value survived: %s", got)
	}
}

func TestNil(t *testing.T) {
	var r *Redactor
	r.Add("x1234")
	r.Learn("TOKEN=abcd1234")
	if got := r.String("TOKEN=abcd1234"); got != "TOKEN=abcd1234" {
		t.Errorf("nil redactor changed text: %s", got)
	}
}

func TestIdempotent(t *testing.T) {
	r := New()
	in := "token: abcdefgh\nAuthorization: Bearer " + jwt + "\nTOKEN=abcdefgh\n"
	once := r.String(in)
	if twice := r.String(once); twice != once {
		t.Errorf("second pass changed the text:\n%s\n%s", once, twice)
	}
}

func FuzzString(f *testing.F) {
	f.Add("data:\n  a: b\nkind: Secret\n")
	f.Add(`{"kind":"Secret","data":{"a":"b"}}`)
	f.Add("- name: X_TOKEN\n  value: |\n    abc\n")
	f.Fuzz(func(t *testing.T, s string) {
		r := New()
		out := r.String(s)
		if again := r.String(out); again != out {
			t.Errorf("not idempotent: %q -> %q -> %q", s, out, again)
		}
	})
}

// TestHoldBack checks what a Stream holds back: a line until its newline,
// a mapping's data until its kind shows; nothing else.
func TestHoldBack(t *testing.T) {
	var out strings.Builder
	s := New().NewStream(&out)
	steps := []struct{ write, shown string }{
		{"plain", ""},
		{" line\napiVersion: v1\n", "plain line\napiVersion: v1\n"},
		{"data:\n  color: blue\n", "plain line\napiVersion: v1\ndata:\n"},
		{"kind: ConfigMap\n", "plain line\napiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\n"},
		{"data:\n  pw: aHVudGVyMjI=\nkind: Secret\n", "plain line\napiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\ndata:\n  pw: [REDACTED]\nkind: Secret\n"},
	}
	for i, st := range steps {
		s.Write([]byte(st.write))
		if out.String() != st.shown {
			t.Fatalf("after write %d: %q, want %q", i, out.String(), st.shown)
		}
	}
	// A mapping that ends without a kind is no Secret.
	s.Write([]byte("data:\n  color: red\n"))
	s.Flush()
	if !strings.HasSuffix(out.String(), "data:\n  color: red\n") {
		t.Errorf("after Flush: %q", out.String())
	}
}

// TestHoldBound: past MaxHeld bytes, the held data is decided as a
// Secret's (hidden) and written, before its kind (ConfigMap) comes.
func TestHoldBound(t *testing.T) {
	var out strings.Builder
	s := New().NewStream(&out)
	s.Write([]byte("apiVersion: v1\ndata:\n"))
	line := "  key: " + strings.Repeat("v", 100) + "\n"
	for n := 0; n <= MaxHeld/len(line); n++ {
		s.Write([]byte(line))
	}
	if !strings.Contains(out.String(), "  key: [REDACTED]\n") || strings.Contains(out.String(), "vvvv") {
		t.Fatalf("nothing written past the bound, or shown: %d bytes", out.Len())
	}
	s.Write([]byte("kind: ConfigMap\n"))
	s.Flush()
	if strings.Contains(out.String(), "vvvv") || !strings.HasSuffix(out.String(), "kind: ConfigMap\n") {
		t.Errorf("after the kind: ...%q", out.String()[out.Len()-60:])
	}
}

// TestLongLine: a line longer than MaxLine is redacted in pieces, the same
// however it is written.
func TestLongLine(t *testing.T) {
	text := "token: " + strings.Repeat("x", MaxLine+10) + "\nnext\n"
	var out strings.Builder
	s := New().NewStream(&out)
	for i := 0; i < len(text); i += 4096 {
		s.Write([]byte(text[i:min(i+4096, len(text))]))
	}
	s.Flush()
	if out.String() != New().String(text) || !strings.HasPrefix(out.String(), "token: [REDACTED]") {
		t.Errorf("long line: %q...", out.String()[:40])
	}
}
