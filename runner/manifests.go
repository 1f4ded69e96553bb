package runner

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// object is an object a step's manifests name, with what the capability
// rules read of it.
type object struct {
	APIVersion, Kind, Name string
	// Labels are the object's labels and those of its Pod template: a
	// selector that matches either finds the object or what it makes.
	Labels []map[string]string
	// Claims are the PersistentVolumeClaims without a storageClassName it
	// makes (itself, or a StatefulSet's volumeClaimTemplates).
	Claims []string
	// Defines is "group/Kind" for a CustomResourceDefinition.
	Defines string
	// LoadBalancer is set for a Service of type LoadBalancer.
	LoadBalancer bool
}

// maxManifest bounds what is read of one manifest file.
const maxManifest = 4 << 20

// manifestObjects returns the objects that code's kubectl commands of
// verbs read from manifests (-f FILE, a folder's files, -f - with a
// here-document), files relative to dir. Kustomizations, URLs and files
// that cannot be read are left out.
func manifestObjects(sc *shell.Script, dir string, verbs map[string]bool) []object {
	var out []object
	for _, inv := range kubectl.Calls(sc) {
		if !verbs[inv.Command()] {
			continue
		}
		for _, src := range inv.Sources() {
			switch {
			case src.Kustomize || src.Remote() || strings.ContainsAny(src.Path, "$<`"):
			case src.Stdin():
				out = append(out, decodeObjects(strings.NewReader(inv.Shell.Heredoc))...)
			default:
				out = append(out, fileObjects(src.Path, dir)...)
			}
		}
	}
	return out
}

// fileObjects reads the objects of a manifest file, or of the YAML and
// JSON files of a folder.
func fileObjects(p, dir string) []object {
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
	var out []object
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		out = append(out, decodeObjects(io.LimitReader(fh, maxManifest))...)
		fh.Close()
	}
	return out
}

// decodeObjects reads the YAML documents or JSON objects of a manifest
// (a List's items too). A document that does not decode ends the reading.
func decodeObjects(r io.Reader) []object {
	var out []object
	dec := utilyaml.NewYAMLOrJSONDecoder(r, 4096)
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) || err != nil && m == nil {
			return out
		}
		if items, ok := m["items"].([]any); ok && strings.HasSuffix(str(m, "kind"), "List") {
			for _, it := range items {
				if im, ok := it.(map[string]any); ok {
					out = append(out, readObject(im))
				}
			}
			continue
		}
		if m != nil && str(m, "kind") != "" {
			out = append(out, readObject(m))
		}
	}
}

// readObject reads what the rules need of a decoded object.
func readObject(m map[string]any) object {
	o := object{APIVersion: str(m, "apiVersion"), Kind: str(m, "kind"), Name: str(m, "metadata", "name")}
	for _, path := range [][]string{{"metadata", "labels"}, {"spec", "template", "metadata", "labels"}, {"spec", "jobTemplate", "spec", "template", "metadata", "labels"}} {
		if l := strMap(m, path...); len(l) > 0 {
			o.Labels = append(o.Labels, l)
		}
	}
	spec, _ := m["spec"].(map[string]any)
	switch o.Kind {
	case "PersistentVolumeClaim":
		if _, ok := spec["storageClassName"]; !ok && spec["volumeName"] == nil {
			o.Claims = append(o.Claims, o.Name)
		}
	case "StatefulSet":
		tpls, _ := spec["volumeClaimTemplates"].([]any)
		for _, t := range tpls {
			tm, _ := t.(map[string]any)
			ts, _ := tm["spec"].(map[string]any)
			if _, ok := ts["storageClassName"]; !ok {
				o.Claims = append(o.Claims, str(tm, "metadata", "name"))
			}
		}
	case "Service":
		o.LoadBalancer = spec["type"] == "LoadBalancer"
	case "CustomResourceDefinition":
		o.Defines = str(m, "spec", "group") + "/" + str(m, "spec", "names", "kind")
	}
	return o
}

func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[p]
	}
	s, _ := cur.(string)
	return s
}

func strMap(m map[string]any, path ...string) map[string]string {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	mm, _ := cur.(map[string]any)
	out := map[string]string{}
	for k, v := range mm {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}
