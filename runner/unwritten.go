package runner

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/result"
	"github.com/docrun/docrun/runner/session"
)

// unwritten is a file in the page's working folder that a skipped step
// would have written (curl -LO, a redirection, openssl -out, ...).
type unwritten struct {
	step int
	name string
	why  string // the step's skip reason
}

// unwrote records the files a skipped command step would have written,
// so that the steps that read them follow it instead of failing on a
// missing file. A step in a tab docrun does not run is an alternative,
// not a step the reader took.
func (pr *pageRun) unwrote(st *result.StepResult) {
	if st.Kind != markdown.KindCommand || st.Step.Alternative() {
		return
	}
	pr.madeBySkipped(st)
	pr.unlistenedBySkip(st)
	_, writes := markdown.LocalFiles(st.Code)
	for _, n := range writes {
		pr.unwritten = append(pr.unwritten, unwritten{step: st.Index, name: n, why: st.SkipReason})
	}
}

// unwrittenFile returns why a command step cannot run, or "": a file it
// needs in the working folder is one a skipped step would have written
// and it is not there ("follows step 6, which would have written
// kubectl.sha256"), or a file it reads by absolute path is not on this
// machine (source /usr/share/bash-completion/bash_completion where the
// page has the reader install bash-completion), or a file it needs is one
// no step of the page makes (rev data.txt, to show what a program does):
// the reader's own. They are looked for in the page's shell, from its
// working directory.
func (pr *pageRun) unwrittenFile(ctx context.Context, st *result.StepResult, code string) string {
	if st.Kind != markdown.KindCommand || st.Target != nil || pr.sess == nil || pr.ended >= 0 {
		return "" // a step in a container reads the container's files
	}
	if _, ok := pr.r.Executors.Get(&st.Step).(ShellExecutor); !ok {
		return ""
	}
	needs, _ := markdown.LocalFiles(code)
	var local []unwritten
	var unmade []string
	for _, n := range needs {
		i := slices.IndexFunc(pr.unwritten, func(u unwritten) bool { return u.name == n })
		switch {
		case i >= 0:
			local = append(local, pr.unwritten[i])
		case !pr.pageWrites(n):
			unmade = append(unmade, n)
		}
	}
	machine := markdown.MachineFiles(code)
	if len(local) == 0 && len(unmade) == 0 && len(machine) == 0 {
		return ""
	}
	names := make([]string, 0, len(local)+len(unmade)+len(machine))
	for _, u := range local {
		names = append(names, u.name)
	}
	names = append(append(names, unmade...), machine...)
	absent := pr.absentFiles(ctx, names)
	for _, u := range local {
		if absent[u.name] {
			return fmt.Sprintf("follows step %d, which would have written %s: %s", u.step, u.name, u.why)
		}
	}
	for _, n := range unmade {
		if absent[n] {
			return "needs the file " + n + ", which no step of the page makes: a file of the reader's"
		}
	}
	for _, m := range machine {
		if absent[m] {
			return "needs the file " + m + ", which is not on this machine"
		}
	}
	return ""
}

// pageWrites reports whether the page makes a file of that name in its
// working folder: a file docrun creates from one of its blocks, or one a
// command step of the page writes (run or not).
func (pr *pageRun) pageWrites(name string) bool {
	if slices.ContainsFunc(pr.res.Files, func(f markdown.File) bool { return f.Name == name }) {
		return true
	}
	for _, st := range pr.res.Steps {
		if st.Kind != markdown.KindCommand {
			continue
		}
		if _, writes := markdown.LocalFiles(st.Code); slices.Contains(writes, name) {
			return true
		}
	}
	return false
}

// absentFiles returns which of the files do not exist, as the page's
// shell sees them from its working directory. A query that fails finds
// none absent.
func (pr *pageRun) absentFiles(ctx context.Context, names []string) map[string]bool {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + strings.ReplaceAll(n, "'", `'\''`) + "'"
	}
	query := "for __docrun_f in " + strings.Join(quoted, " ") +
		`; do [ -e "$__docrun_f" ] || printf '%s\n' "$__docrun_f"; done; unset __docrun_f`
	res, err := pr.sess.Run(ctx, query, 10*time.Second, session.Output{})
	absent := map[string]bool{}
	if err != nil || res.Ended || res.ExitCode != 0 {
		return absent
	}
	for _, l := range strings.Split(res.Stdout, "\n") {
		if l != "" {
			absent[l] = true
		}
	}
	return absent
}
