package kubectl

import "strings"

// Source is a manifest a command reads: a -f/--filename value, or a
// kustomization (-k/--kustomize, or the argument of kubectl kustomize).
type Source struct {
	// Path is the file, directory or URL as given; "-" is standard input.
	Path string
	// Kustomize reports a kustomization directory or repository.
	Kustomize bool
}

// Stdin reports whether the source is standard input ("-f -").
func (s Source) Stdin() bool {
	return s.Path == "-" && !s.Kustomize
}

// Remote reports whether kubectl fetches the source over the network. A
// filename is fetched when it is an http or https URL (kubectl's
// FilenameParam); a kustomization when it has one of the forms kustomize
// reads as a remote repository (a URL, git::, git@, ssh://, gh:, or a
// github.com/ path).
func (s Source) Remote() bool {
	p := s.Path
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return true
	}
	if !s.Kustomize {
		return false
	}
	for _, prefix := range []string{"git::", "git@", "ssh://", "gh:", "github.com/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// Sources are the manifests the command reads, in the order given.
func (inv Invocation) Sources() []Source {
	var out []Source
	for _, f := range inv.Flags {
		switch f.Name {
		case "filename":
			for _, p := range inv.split(f) {
				out = append(out, Source{Path: p})
			}
		case "kustomize":
			out = append(out, Source{Path: f.Value, Kustomize: true})
		}
	}
	if inv.Command() == "kustomize" {
		dir := "."
		if len(inv.Args) > 0 {
			dir = inv.Args[0]
		}
		out = append(out, Source{Path: dir, Kustomize: true})
	}
	return out
}
