package drift

import (
	"regexp"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// fact is a value of a step that matters to running it, named by kind and
// name (a flag's name, an image's repository). A flag without a value has
// its name as value.
type fact struct {
	kind        ChangeKind
	name, value string
}

// manifestField is an apiVersion or image field of YAML or JSON.
var manifestField = regexp.MustCompile(`(?m)^\s*(?:-\s+)?"?(apiVersion|image)"?\s*:\s*["']?([^\s"',]+)`)

// k8sVersion is a Kubernetes version written in code (v1.28, 1.28.3), not
// part of a longer number, a word or an image tag.
var k8sVersion = regexp.MustCompile(`(?:^|[^\w.:-])(v?1\.\d{1,2}(?:\.\d+)?)(?:$|[^\w.])`)

// facts are what of a step's code and example file matters to running it:
// the flags of its commands (kubectl's read with kubectl's command tree,
// so -n and --namespace are one flag, and a flag kubectl does not have is
// kept as written), images, file names, apiVersions and Kubernetes
// versions.
func facts(st *markdown.Step) []fact {
	var out []fact
	if st.File != "" {
		out = append(out, fact{kind: ChangeFile, value: st.File})
	}
	code := withoutComments(st)
	yaml := []string{code}
	if st.Kind == markdown.KindCommand {
		yaml = yaml[:0]
		for _, c := range shell.Parse(code).Calls {
			out = append(out, callFacts(c)...)
			if c.Heredoc != "" {
				yaml = append(yaml, markdown.WithoutComments(c.Heredoc))
			}
		}
	}
	for _, y := range yaml {
		for _, m := range manifestField.FindAllStringSubmatch(y, -1) {
			if m[1] == "image" {
				out = append(out, imageFact(m[2]))
			} else {
				out = append(out, fact{kind: ChangeAPIVersion, value: m[2]})
			}
		}
	}
	for _, m := range k8sVersion.FindAllStringSubmatch(code, -1) {
		out = append(out, fact{kind: ChangeVersion, value: m[1]})
	}
	return out
}

// callFacts are the flags, images and files of one shell command.
func callFacts(c shell.Call) []fact {
	var out []fact
	if k, ok := kubectl.ReadCall(c); ok {
		for _, f := range k.Flags {
			switch f.Name {
			case "image":
				out = append(out, imageFact(f.Value))
			case "filename":
				out = append(out, fact{kind: ChangeFile, value: f.Value})
			default:
				out = append(out, flagFact("--"+f.Name, f.Value))
			}
		}
		for _, u := range k.Unknown {
			name, value, _ := strings.Cut(u, "=")
			out = append(out, flagFact(name, value))
		}
		return out
	}
	_, args := c.Program()
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' && a != "--" {
			name, value, _ := strings.Cut(a, "=")
			out = append(out, flagFact(name, value))
		}
	}
	return out
}

func flagFact(name, value string) fact {
	if value == "" {
		value = name
	}
	return fact{kind: ChangeFlag, name: name, value: value}
}

// imageFact is an image reference. Images are not named (a step's images
// pair in order); changes names a pair with one repository by it.
func imageFact(ref string) fact {
	return fact{kind: ChangeImage, value: ref}
}

// repository is an image reference without its tag or digest.
func repository(ref string) string {
	repo := ref
	if i := strings.IndexByte(repo, '@'); i >= 0 {
		repo = repo[:i]
	}
	if i := strings.LastIndexByte(repo, ':'); i > strings.LastIndexByte(repo, '/') {
		repo = repo[:i]
	}
	return repo
}

// changes are the facts of two steps that differ: for each kind and name,
// the values only one side has, paired in order as a change from the
// source's to the translation's; a value left over is only on its side.
func changes(src, tr *markdown.Step) []Change {
	type group struct {
		kind       ChangeKind
		name       string
		src, trans []string
	}
	var groups []*group
	find := func(f fact) *group {
		for _, g := range groups {
			if g.kind == f.kind && g.name == f.name {
				return g
			}
		}
		g := &group{kind: f.kind, name: f.name}
		groups = append(groups, g)
		return g
	}
	for _, f := range facts(src) {
		g := find(f)
		g.src = append(g.src, f.value)
	}
	for _, f := range facts(tr) {
		g := find(f)
		g.trans = append(g.trans, f.value)
	}
	var out []Change
	if src.Kind != tr.Kind {
		out = append(out, Change{Kind: ChangeKindOfStep, Source: string(src.Kind), Translation: string(tr.Kind)})
	}
	for _, g := range groups {
		s, t := without(g.src, g.trans), without(g.trans, g.src)
		for k := 0; k < max(len(s), len(t)); k++ {
			c := Change{Kind: g.kind, Name: g.name}
			if k < len(s) {
				c.Source = s[k]
			}
			if k < len(t) {
				c.Translation = t[k]
			}
			if c.Kind == ChangeImage && c.Source != "" && c.Translation != "" && repository(c.Source) == repository(c.Translation) {
				c.Name = repository(c.Source)
			}
			out = append(out, c)
		}
	}
	return out
}

// without is a less the values of b, as multisets, in a's order.
func without(a, b []string) []string {
	rest := slices.Clone(b)
	var out []string
	for _, v := range a {
		if k := slices.Index(rest, v); k >= 0 {
			rest = slices.Delete(rest, k, k+1)
			continue
		}
		out = append(out, v)
	}
	return out
}
