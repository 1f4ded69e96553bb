package update

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFile(t *testing.T) {
	tests := []struct {
		name    string
		mode    os.FileMode
		link    bool   // the page is a symlink to the file
		onDisk  string // the page's bytes on disk when written
		wantErr string
	}{
		{name: "plain", mode: 0o644, onDisk: "old\n"},
		{name: "mode kept", mode: 0o600, onDisk: "old\n"},
		{name: "through a symlink", mode: 0o644, link: true, onDisk: "old\n"},
		{name: "changed on disk", mode: 0o644, onDisk: "edited\n", wantErr: "changed on disk while docrun ran it; not updated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "page.md")
			if err := os.WriteFile(file, []byte(tt.onDisk), tt.mode); err != nil {
				t.Fatal(err)
			}
			path := file
			if tt.link {
				path = filepath.Join(dir, "link.md")
				if err := os.Symlink("page.md", path); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFile(path, []byte("old\n"), []byte("new\n"))
			got, _ := os.ReadFile(file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || string(got) != tt.onDisk {
					t.Fatalf("err %v, file %q; want %q and the file untouched", err, got, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != "new\n" {
				t.Fatalf("err %v, file %q", err, got)
			}
			if fi, _ := os.Stat(file); fi.Mode().Perm() != tt.mode {
				t.Errorf("mode %v, want %v", fi.Mode().Perm(), tt.mode)
			}
			if fi, _ := os.Lstat(path); tt.link && fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the symlink was replaced by a file")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != map[bool]int{false: 1, true: 2}[tt.link] {
				t.Errorf("temporary files left: %v", entries)
			}
		})
	}
}
