// Package runner executes the steps of parsed pages against a cluster and
// records every step's outcome: shell steps in one bash session per page,
// other languages through an executor registry, each page in its own
// namespace with its own kubeconfig copy.
package runner

import (
	"time"

	"github.com/docrun/docrun/markdown"
	"github.com/docrun/docrun/runner/cluster"
	"github.com/docrun/docrun/runner/match"
)

// Status is the outcome of a step.
type Status string

// The statuses of a step.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
	Timeout Status = "timeout"
	NotRun  Status = "not run"
)

// Result is the outcome of a run. Its JSON form is a contract for the
// report and CI formats.
type Result struct {
	Pages   []*PageResult `json:"pages"`
	Summary Summary       `json:"summary"`
	// Leaks are the cluster-scoped objects the pages left when they ran in
	// parallel (-j), where no page can be said to have made them
	// ("kind/name"); Deleted says whether docrun deleted them, Notes what
	// went wrong.
	Leaks   []string `json:"leaks,omitempty"`
	Deleted bool     `json:"leaks_deleted,omitempty"`
	Notes   []string `json:"notes,omitempty"`
}

// Summary counts step outcomes over all pages.
type Summary struct {
	Pages      int   `json:"pages"`
	Steps      int   `json:"steps"`
	Passed     int   `json:"passed"`
	Failed     int   `json:"failed"`
	Skipped    int   `json:"skipped"`
	Timeout    int   `json:"timeout"`
	Errors     int   `json:"errors"` // pages that could not be run at all
	DurationMS int64 `json:"duration_ms"`
}

// OK reports whether no step failed or timed out and every page ran.
func (s Summary) OK() bool { return s.Failed == 0 && s.Timeout == 0 && s.Errors == 0 }

// PageResult is a page with the outcome of its steps.
type PageResult struct {
	markdown.Document
	// Steps shadow the Document's steps with their results.
	Steps      []*StepResult `json:"steps"`
	Cluster    *cluster.Info `json:"cluster,omitempty"`
	Started    time.Time     `json:"started"`
	DurationMS int64         `json:"duration_ms"`
	// Leaks are cluster-scoped objects that did not exist before the page
	// ran and still exist after it ("kind/name"); Deleted says whether
	// docrun deleted them.
	Leaks   []string `json:"leaks"`
	Deleted bool     `json:"leaks_deleted,omitempty"`
	// Error is set when the page could not be run (parse error, cluster
	// unreachable, ...), with file:line where it applies.
	Error string `json:"error,omitempty"`
	// Notes are things the reader of a report should know (an example
	// URL that exists only in another language, a kept namespace, ...).
	Notes []string `json:"notes,omitempty"`
	// Missing are what the page needs that the cluster lacks, each with
	// the steps skipped for it (see Lack).
	Missing []Lack `json:"missing,omitempty"`
}

// StepResult is a step with its outcome.
type StepResult struct {
	markdown.Step
	Status     Status `json:"status"`
	ExitCode   int    `json:"exit_code"`
	DurationMS int64  `json:"duration_ms"`
	Stdout     string `json:"stdout"`
	Stderr     string `json:"stderr"`
	// Ran is the code as actually run, when it differs from the page's
	// (substitutions, bound placeholders, example URLs).
	Ran string `json:"ran"`
	// Bindings are the placeholder values used, and where each came from.
	Bindings []Binding `json:"bindings"`
	// Verdict compares the output with the page's expected output.
	Verdict match.Verdict `json:"verdict"`
	Diff    string        `json:"diff"`
	// SkipReason says why a step was skipped.
	SkipReason string `json:"skip_reason"`
	// Created are the files docrun wrote in the shell's working folder
	// right before the step ran: names of the page's Document.Files that
	// the step reads.
	Created []string `json:"created,omitempty"`
	// Note says how docrun ran a step differently from the page's text
	// ("run in the background: later steps use it (step 3 connects to
	// port 8080)"), or judged it as a reader would: "failed as the page
	// expects" (see Step.Fails), "settled after 4 s, 3 tries" (see
	// Settle).
	Note string `json:"note,omitempty"`
	// Stale is set in live sessions (docrun serve, watch --rerun) on a
	// step whose code changed after it ran: its outcome was cleared.
	Stale bool `json:"stale,omitempty"`
	// Settle is set on a read-only step that ran again until its output
	// reached the state the page shows.
	Settle *Settle `json:"settle,omitempty"`
}

// Binding is a value given to a placeholder.
type Binding struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Source is "auto", "set", "set-from", "config", or "object" for an
	// object the page made.
	Source string `json:"source"`
	// Description says where the value comes from in words, when Source
	// does not say it all ("the Pod of deployment nginx, created at step
	// 4", "the run's namespace").
	Description string `json:"description,omitempty"`
}

func (s *Summary) add(p *PageResult) {
	s.Pages++
	if p.Error != "" {
		s.Errors++
	}
	for _, st := range p.Steps {
		s.Steps++
		switch st.Status {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		case Timeout:
			s.Timeout++
		default:
			s.Skipped++
		}
	}
}
