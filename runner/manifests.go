package runner

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
	"github.com/docrun/docrun/result"
)

// maxManifest bounds what is read of one manifest file.
const maxManifest = 4 << 20

// stepObjects returns what the kubectl commands of a step about to run do
// with objects: markdown's reading of the page's code (Step.Objects), or of
// the code a replacement gives, with the manifests the page does not give
// read now from the work folder dir (files earlier steps made).
func stepObjects(st *result.StepResult, code string, replaced bool, dir string) []markdown.ObjectUse {
	uses := st.Objects
	if replaced {
		uses = markdown.ReadObjects(shell.Parse(code), func(kubectl.Call, string) (string, bool) { return "", false })
	}
	uses = slices.Clone(uses)
	for i := range uses {
		u := &uses[i]
		for _, p := range u.Unread {
			u.Objects = append(slices.Clip(u.Objects), fileObjects(p, dir)...)
		}
	}
	return uses
}

// madeObjects are the objects that uses of the commands cmds read from
// manifests.
func madeObjects(uses []markdown.ObjectUse, cmds map[string]bool) []markdown.Object {
	var out []markdown.Object
	for _, u := range uses {
		if !cmds[u.Command] {
			continue
		}
		for _, o := range u.Objects {
			if o.From != "" {
				out = append(out, o)
			}
		}
	}
	return out
}

// fileObjects reads the objects of a manifest file, or of the YAML and
// JSON files of a folder, relative to dir. URLs and names the shell
// builds are left out.
func fileObjects(name, dir string) []markdown.Object {
	if strings.HasPrefix(name, "http://") || strings.HasPrefix(name, "https://") || strings.ContainsAny(name, "$<`") || name == "-" {
		return nil
	}
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return nil
	}
	files := []string{p}
	if fi.IsDir() {
		files = nil
		for _, pat := range []string{"*.yaml", "*.yml", "*.json"} {
			m, _ := filepath.Glob(filepath.Join(p, pat))
			files = append(files, m...)
		}
	}
	var out []markdown.Object
	for _, f := range files {
		from := name
		if fi.IsDir() {
			from = filepath.Join(name, filepath.Base(f))
		}
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(fh, maxManifest))
		fh.Close()
		objs, _ := markdown.ManifestObjects(string(b), from, "")
		out = append(out, objs...)
	}
	return out
}
