package render

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/docrun/docrun/result"
)

// GitHubActions reports whether docrun runs in a GitHub Actions job.
func GitHubActions() bool { return os.Getenv("GITHUB_ACTIONS") == "true" }

// WriteGitHub writes GitHub Actions workflow commands for a run: an
// ::error for each failed or timed-out step and each page that could not
// run, a ::warning for each step whose output differs from the page's.
// GitHub shows them as annotations on the page's lines.
func WriteGitHub(w io.Writer, res *result.Result) error {
	ws := os.Getenv("GITHUB_WORKSPACE")
	for _, p := range res.Pages {
		file := workspacePath(p.Path, ws)
		if p.Error != "" {
			f, line := file, 0
			if m := fileLine.FindStringSubmatch(p.Error); m != nil {
				f = workspacePath(m[1], ws)
				line, _ = strconv.Atoi(m[2])
			}
			if err := command(w, "error", f, line, "docrun: the page could not run", p.Error); err != nil {
				return err
			}
		}
		for _, st := range p.Steps {
			var err error
			switch {
			case st.Status == result.Failed || st.Status == result.Timeout:
				msg := fmt.Sprintf("step %d %s", st.Index, st.Status)
				if st.Status == result.Failed {
					msg = fmt.Sprintf("step %d failed (exit %d)", st.Index, st.ExitCode)
				}
				err = command(w, "error", file, st.Line, "docrun: "+CaseName(p, st), msg+"\n"+details(st))
			case st.Verdict == result.VerdictDiffers:
				line := st.Line
				if st.Expected != nil {
					line = st.Expected.Line
				}
				err = command(w, "warning", file, line, "docrun: output differs from the page",
					fmt.Sprintf("step %d: the output differs from the page's expected output\n%s", st.Index, st.Diff))
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteAnnotation writes one workflow command of kind ("error",
// "warning", "notice") on a file's line (0: the whole file), the file
// made relative to GITHUB_WORKSPACE as annotations need: for the other
// front-ends' findings (docrun drift).
func WriteAnnotation(w io.Writer, kind, file string, line int, title, msg string) error {
	return command(w, kind, workspacePath(file, os.Getenv("GITHUB_WORKSPACE")), line, title, msg)
}

var fileLine = regexp.MustCompile(`^([^:\s]+):(\d+):`)

// workspacePath is path relative to the workspace, as annotations need.
func workspacePath(path, ws string) string {
	if ws == "" {
		return filepath.ToSlash(path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	if rel, err := filepath.Rel(ws, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// command writes one workflow command, its properties and message escaped
// as GitHub's runner reads them.
func command(w io.Writer, kind, file string, line int, title, msg string) error {
	props := "file=" + escapeProperty(file)
	if line > 0 {
		props += ",line=" + strconv.Itoa(line)
	}
	props += ",title=" + escapeProperty(title)
	_, err := fmt.Fprintf(w, "::%s %s::%s\n", kind, props, escapeData(strings.TrimRight(msg, "\n")))
	return err
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
