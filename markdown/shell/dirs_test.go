package shell

import (
	"slices"
	"testing"
)

func TestDirs(t *testing.T) {
	tests := []struct {
		code string
		want []string
	}{
		{"cd /data\nls -l\n", []string{"/data"}},
		{"cd demo\necho hello > testfile\n", []string{"demo"}},
		{"cd\n", []string{""}},
		{"cd -P /tmp && ls\n", []string{"/tmp"}},
		{"mkdir -p x && cd x || cd /y\n", []string{"x", "/y"}},
		{"(cd /sub; ls)\n", nil},
		{"for d in a b; do cd $d; done\n", nil},
		{"cd /bg &\n", nil},
		{"echo $(cd /sub && pwd)\n", nil},
		{"cd \"$HOME/app\"\n", []string{"\"$HOME/app\""}},
		{"cd 'my dir'\n", []string{"my dir"}},
		{"ls\n", nil},
	}
	for _, tt := range tests {
		if got := Parse(tt.code).Dirs(); !slices.Equal(got, tt.want) {
			t.Errorf("Dirs(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
