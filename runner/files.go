package runner

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/session"

	"github.com/docrun/docrun/result"
)

// usesOf returns the indexes in Document.Files of the files step st reads,
// with the argument each is read by.
func (pr *pageRun) usesOf(st *result.StepResult) ([]int, []markdown.FileUse) {
	var idx []int
	var uses []markdown.FileUse
	for i, f := range pr.res.Files {
		for _, u := range f.Uses {
			if u.Step == st.Index && !inserted(st) {
				idx = append(idx, i)
				uses = append(uses, u)
			}
		}
	}
	return idx, uses
}

// inserted reports whether a step was inserted by docrun.yaml or comes
// from a page the page links to (markdown.Setup): it carries the index of
// the page's step it is next to.
func inserted(st *result.StepResult) bool {
	return st.Hidden && (st.Reason == insertedReason || st.Setup != "")
}

// bindFileFolders gives a placeholder that names the folder of a file docrun
// writes (kubectl apply -k <directory-path>) that folder, relative to the
// working folder, unless it has a value.
func (pr *pageRun) bindFileFolders(st *result.StepResult) {
	idx, uses := pr.usesOf(st)
	for k, i := range idx {
		arg := uses[k].Arg
		if !strings.HasPrefix(arg, "<") || !strings.HasSuffix(arg, ">") {
			continue
		}
		name := arg[1 : len(arg)-1]
		if _, ok := pr.binds.get(name); !ok {
			pr.binds.set(name, path.Dir(pr.res.Files[i].Name), "auto")
		}
	}
}

// createFiles writes the files step st reads that the page told the
// reader to create, in the shell's working folder, and records them in
// st.Created. A file is written when it is missing, or when docrun wrote
// it before (an earlier version, even if the page changed it since); a
// file the page made itself is never replaced. It returns why the step cannot run (a
// placeholder of a file's content has no value), or "".
func (pr *pageRun) createFiles(ctx context.Context, st *result.StepResult) string {
	files, why := pr.stepFiles(st)
	if why != "" || len(files) == 0 || pr.sess == nil {
		return why
	}
	dir, err := pr.workDir(ctx)
	if err != nil {
		pr.note(st, "could not write %s: %v", files[0].file.Name, err)
		return ""
	}
	for _, t := range files {
		for _, b := range t.binds {
			if !slices.ContainsFunc(st.Bindings, func(o result.Binding) bool { return o.Name == b.Name }) {
				st.Bindings = sortedBindings(append(st.Bindings, b))
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(t.file.Name))
		if rel, err := filepath.Rel(pr.dir, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			pr.note(st, "did not write %s from line %d: the working folder %s is outside the page's folder", t.file.Name, t.file.Line, dir)
			continue
		}
		cur, err := os.ReadFile(p)
		switch {
		case err == nil && string(cur) == t.content:
			continue
		case err == nil && !pr.written[p]:
			pr.note(st, "kept %s, which the page made itself, instead of writing line %d", t.file.Name, t.file.Line)
			continue
		case err != nil && !os.IsNotExist(err):
			pr.note(st, "could not write %s: %v", t.file.Name, err)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			pr.note(st, "could not write %s: %v", t.file.Name, err)
			continue
		}
		if err := os.WriteFile(p, []byte(t.content), 0o644); err != nil {
			pr.note(st, "could not write %s: %v", t.file.Name, err)
			continue
		}
		if pr.written == nil {
			pr.written = map[string]bool{}
		}
		pr.written[p] = true
		st.Created = append(st.Created, t.file.Name)
	}
	return ""
}

// stepFile is a file to write before a step, its placeholders bound.
type stepFile struct {
	file    markdown.File
	content string
	binds   []result.Binding // the values of its placeholders
}

// stepFiles returns the files step st reads that docrun writes, with their
// content, or why the step cannot run (a placeholder without a value).
func (pr *pageRun) stepFiles(st *result.StepResult) ([]stepFile, string) {
	idx, _ := pr.usesOf(st)
	var out []stepFile
	for _, i := range idx {
		f := pr.res.Files[i]
		var from markdown.Step
		if f.Step >= 0 && f.Step < len(pr.res.Document.Steps) {
			from = pr.res.Document.Steps[f.Step]
		}
		code, outs := pr.applyReplacements(from.Code, from.Replaces)
		code, bound, names := pr.bindCredentials(code, from.Credentials, f.Placeholders)
		bound = append(outs, bound...)
		content, used, missing := pr.binds.bind(code, names)
		if len(missing) > 0 {
			return nil, pr.binds.missingReason(missing[0], fmt.Sprintf(" in %s, line %d", f.Name, f.Line))
		}
		out = append(out, stepFile{f, content, append(bound, used...)})
	}
	return out, ""
}

// workDir is the shell's working folder now (a page may have cd'ed).
func (pr *pageRun) workDir(ctx context.Context) (string, error) {
	res, err := pr.sess.Run(ctx, `builtin printf '%s' "$PWD"`, 10*time.Second, session.Output{})
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 || res.Ended || res.Stdout == "" {
		return "", fmt.Errorf("reading the shell's working folder: exit %d", res.ExitCode)
	}
	return res.Stdout, nil
}

// note adds a note about a step to the page's result.
func (pr *pageRun) note(st *result.StepResult, format string, args ...any) {
	pr.res.Notes = append(pr.res.Notes, fmt.Sprintf("%s:%d: ", pr.res.Path, st.Line)+fmt.Sprintf(format, args...))
}
