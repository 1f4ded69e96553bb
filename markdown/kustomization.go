package markdown

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// kustomizationNames are the names kustomize looks for in a folder.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomizationFields are the top-level fields of a kustomization.
var kustomizationFields = toSet(`resources bases components crds generators transformers validators
configMapGenerator secretGenerator generatorOptions patches patchesStrategicMerge patchesJson6902
replacements images replicas namePrefix nameSuffix namespace commonLabels labels commonAnnotations
buildMetadata openapi helmCharts helmGlobals vars configurations sortOptions apiVersion kind`)

// kustomizationRefs reports whether YAML text is a kustomization and
// returns the files it refers to (resources, patches, generator files),
// relative to its folder.
func kustomizationRefs(code string) ([]string, bool) {
	var m map[string]any
	if err := yaml.Unmarshal([]byte(code), &m); err != nil || len(m) == 0 {
		return nil, false
	}
	specific := false
	for k, v := range m {
		if !kustomizationFields[k] {
			return nil, false
		}
		switch k {
		case "apiVersion":
			if s, _ := v.(string); !strings.HasPrefix(s, "kustomize.config.k8s.io/") {
				return nil, false
			}
		case "kind":
			if v != "Kustomization" && v != "Component" {
				return nil, false
			}
		case "namespace", "replicas", "images", "labels":
		default:
			specific = true
		}
	}
	if !specific {
		return nil, false
	}
	var refs []string
	str := func(v any) {
		if s, ok := v.(string); ok {
			if _, p, found := strings.Cut(s, "="); found {
				s = p
			}
			if s != "" && !strings.Contains(s, "://") {
				refs = append(refs, s)
			}
		}
	}
	list := func(v any) {
		if l, ok := v.([]any); ok {
			for _, x := range l {
				str(x)
			}
		}
	}
	for _, k := range []string{"resources", "bases", "components", "crds", "patchesStrategicMerge"} {
		list(m[k])
	}
	for _, k := range []string{"patches", "patchesJson6902"} {
		if l, ok := m[k].([]any); ok {
			for _, p := range l {
				if pm, ok := p.(map[string]any); ok {
					str(pm["path"])
				}
			}
		}
	}
	for _, k := range []string{"configMapGenerator", "secretGenerator"} {
		if l, ok := m[k].([]any); ok {
			for _, g := range l {
				if gm, ok := g.(map[string]any); ok {
					list(gm["files"])
					list(gm["envs"])
					str(gm["env"])
				}
			}
		}
	}
	return refs, true
}
