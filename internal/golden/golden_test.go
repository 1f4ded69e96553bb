package golden

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

const archive = `page: a.md
lang: json
-- a.md --
# A
-- want.json --
{}
`

func TestSettingGetCheck(t *testing.T) {
	file := filepath.Join(t.TempDir(), "case.txtar")
	if err := os.WriteFile(file, []byte(archive), 0o644); err != nil {
		t.Fatal(err)
	}
	c := Load(t, file)
	if v, ok := c.Setting("lang"); !ok || v != "json" {
		t.Errorf("Setting(lang) = %q, %v", v, ok)
	}
	if _, ok := c.Setting("mode"); ok {
		t.Error("Setting(mode) found")
	}
	if d, ok := c.Get("a.md"); !ok || string(d) != "# A\n" {
		t.Errorf("Get(a.md) = %q, %v", d, ok)
	}
	dir := t.TempDir()
	c.WriteTree(t, dir, func(name string) bool { return name == "a.md" })
	if _, err := os.Stat(filepath.Join(dir, "want.json")); err == nil {
		t.Error("WriteTree wrote a file input refused")
	}
	// The archive ends every file with a newline: an output without one matches.
	c.Check(t, map[string]string{"want.json": "{}"})
}

func TestUpdate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "case.txtar")
	if err := os.WriteFile(file, []byte(archive), 0o644); err != nil {
		t.Fatal(err)
	}
	*update = true
	defer func() { *update = false }()
	Load(t, file).Check(t, map[string]string{"want.err": "a.md:1: bad\n"})
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range ar.Files {
		names = append(names, f.Name)
	}
	if len(names) != 2 || names[0] != "a.md" || names[1] != "want.err" {
		t.Errorf("files after -update: %v, want [a.md want.err]", names)
	}
}
