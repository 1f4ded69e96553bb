package markdown

import (
	"errors"
	"io"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// ManifestObjects reads the objects of a manifest's YAML documents or
// JSON objects (a List's items too). from names the manifest
// (Object.From); ns is the namespace of the objects that name none.
// complete is false when a document does not decode (the reading ends
// there), when an object has no kind or no name, or when there is none.
func ManifestObjects(text, from, ns string) (objs []Object, complete bool) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	complete = true
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return objs, complete && len(objs) > 0
		}
		if err != nil {
			return objs, false
		}
		if m == nil {
			continue // an empty document
		}
		items, list := m["items"].([]any)
		if !list || !strings.HasSuffix(str(m, "kind"), "List") {
			items = []any{m}
		}
		for _, it := range items {
			im, _ := it.(map[string]any)
			o := readObject(im)
			if o.Kind == "" && o.Name == "" {
				continue // not an object (an empty document)
			}
			if o.Kind == "" || o.Name == "" {
				complete = false
				if o.Kind == "" {
					continue
				}
			}
			o.From = from
			if o.Namespace == "" {
				o.Namespace = ns
			}
			objs = append(objs, o)
		}
	}
}

// readObject reads an object's identity and what the runner's rules need.
func readObject(m map[string]any) Object {
	o := Object{APIVersion: str(m, "apiVersion"), Kind: str(m, "kind"), Name: str(m, "metadata", "name"),
		Namespace: str(m, "metadata", "namespace")}
	for _, path := range [][]string{{"metadata", "labels"}, {"spec", "template", "metadata", "labels"}, {"spec", "jobTemplate", "spec", "template", "metadata", "labels"}} {
		if l := strMap(m, path...); len(l) > 0 {
			o.Labels = append(o.Labels, l)
		}
	}
	o.Images = podImages(m, o.Kind)
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
		for _, k := range []string{"plural", "singular", "kind"} {
			if n := strings.ToLower(str(m, "spec", "names", k)); n != "" && !slices.Contains(o.Names, n) {
				o.Names = append(o.Names, n)
			}
		}
		short, _ := at(m, "spec", "names", "shortNames").([]any)
		for _, s := range short {
			if n, ok := s.(string); ok && n != "" && !slices.Contains(o.Names, strings.ToLower(n)) {
				o.Names = append(o.Names, strings.ToLower(n))
			}
		}
	}
	return o
}

// at is the value at a path of keys in decoded YAML, or nil.
func at(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// str is the string at a path, or "".
func str(m map[string]any, path ...string) string {
	s, _ := at(m, path...).(string)
	return s
}

// strMap is the map of strings at a path (values that are not strings
// left out), or an empty map.
func strMap(m map[string]any, path ...string) map[string]string {
	mm, _ := at(m, path...).(map[string]any)
	out := map[string]string{}
	for k, v := range mm {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}
