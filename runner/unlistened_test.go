package runner

import "testing"

func TestOnlySets(t *testing.T) {
	for code, want := range map[string]bool{
		"export HTTPS_PROXY=socks5://localhost:1080\n":         true,
		"NO_PROXY=localhost\nexport NO_PROXY\n":                true,
		"HTTPS_PROXY=socks5://localhost:1080 kubectl get pods": false,
		"curl localhost:1080\n":                                false,
		"":                                                     false,
	} {
		if got := onlySets(code); got != want {
			t.Errorf("onlySets(%q) = %v, want %v", code, got, want)
		}
	}
}
