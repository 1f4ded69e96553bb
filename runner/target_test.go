package runner

import "testing"

func TestCdCode(t *testing.T) {
	tests := []struct {
		dirs []string
		want string
	}{
		{nil, ""},
		{[]string{"/data"}, "cd /data\n"},
		{[]string{"/data", "demo"}, "cd /data/demo\n"},
		{[]string{"demo", "../x"}, "cd x\n"},
		{[]string{"/data", ""}, "cd\n"},
		{[]string{"", "app"}, "cd\ncd app\n"},
		{[]string{"/a", "$HOME/b", "c"}, "cd $HOME/b\ncd c\n"},
		{[]string{"/a", "-"}, "cd /a\ncd -\n"},
		{[]string{"/my dir", "sub"}, "cd '/my dir/sub'\n"},
	}
	for _, tt := range tests {
		if got := cdCode(tt.dirs); got != tt.want {
			t.Errorf("cdCode(%q) = %q, want %q", tt.dirs, got, tt.want)
		}
	}
}
