package shell

import (
	"slices"
	"testing"
)

func TestUsagePlaceholders(t *testing.T) {
	cases := []struct {
		code string
		want []string
	}{
		{"export ETCD_NAME=member4\netcd [flags]\n", []string{"flags"}},
		{"kubectl get [TYPE] [NAME] [flags]", []string{"TYPE", "NAME", "flags"}},
		{"mycmd [args...]", []string{"args..."}},
		{"if [ -f x ]; then echo y; fi", []string{}},
		{"[[ -n $x ]] && echo ${a[0]} file[12].txt", []string{}},
		{"cat <<EOF | tee k.repo\n[kubernetes]\nname=Kubernetes\nEOF\n", []string{}},
		{"[flags]", []string{}},
		{"echo hi # usage: cmd [flags]", []string{}},
	}
	for _, c := range cases {
		if got := Parse(c.code).Placeholders(); !slices.Equal(got, c.want) {
			t.Errorf("Placeholders(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}
