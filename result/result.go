// Package result is the outcome of running documentation pages: one model
// that the runner fills and every renderer and front-end reads (HTML,
// JUnit, GitHub annotations, the terminal, the playground). Its JSON form
// is a contract (docrun run --json, render --from, the corpus scoreboard).
//
// It imports only markdown, whose Document and Step a result embeds.
package result

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docrun/docrun/markdown"
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

// Verdict is the outcome of comparing a step's output with the page's
// expected output.
type Verdict string

// The verdicts.
const (
	VerdictNone    Verdict = "none"    // no expected block (or the comparison is off)
	VerdictMatch   Verdict = "match"   // equal after normalising line endings and trailing whitespace
	VerdictSimilar Verdict = "similar" // same shape, instance data differs
	VerdictDiffers Verdict = "differs" // different shape
)

// Result is the outcome of a run.
type Result struct {
	// Version is the version of the docrun that made the result (Merge
	// joins only results of one version).
	Version string        `json:"docrun_version,omitempty"`
	Pages   []*PageResult `json:"pages"`
	Summary Summary       `json:"summary"`
	// Shard is set on the result of one part of a page list (docrun run
	// --shard K/N).
	Shard *Shard `json:"shard,omitempty"`
	// Leaks are the cluster-scoped objects the pages left when they ran in
	// parallel (-j), where no page can be said to have made them
	// ("kind/name"); Deleted says whether docrun deleted them, Notes what
	// went wrong.
	Leaks   []string `json:"leaks,omitempty"`
	Deleted bool     `json:"leaks_deleted,omitempty"`
	Notes   []string `json:"notes,omitempty"`
	// Terminating are the pages' namespaces still terminating when the
	// run's wait for them ended (each page's namespace is deleted in the
	// background while later pages run, and waited for once, bounded, at
	// the end); their pages have a note saying so.
	Terminating []string `json:"terminating,omitempty"`
}

// Shard says which part of which page list a result is.
type Shard struct {
	// K is the part, from 1, of N.
	K int `json:"k"`
	N int `json:"n"`
	// Pages is the whole list the parts are taken from, in its order.
	Pages []string `json:"pages"`
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

// Add counts a page and the outcomes of its steps.
func (s *Summary) Add(p *PageResult) {
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

// ClusterInfo is the cluster a page ran on.
type ClusterInfo struct {
	Context   string `json:"context"`
	Cluster   string `json:"cluster,omitempty"`
	Server    string `json:"server"`
	Version   string `json:"version"`
	Namespace string `json:"namespace"`
	// SimulatedNodes is set when every node of the cluster is simulated
	// (kwok): Pods are scheduled and become Running, but no container
	// runs, so logs, exec, attach, cp and port-forward cannot work.
	SimulatedNodes bool `json:"simulated_nodes,omitempty"`
	// Capabilities are what the cluster offers.
	Capabilities *Capabilities `json:"capabilities,omitempty"`
}

// Capabilities are what a cluster offers that pages rely on. A capability
// that could not be read counts as present, so that docrun never skips a
// step on a guess.
type Capabilities struct {
	// Containers is false when every node is simulated (kwok): Pods
	// become Running but no container runs.
	Containers bool `json:"containers"`
	// Nodes counts the nodes; SchedulableNodes those that are Ready,
	// not cordoned and without a NoSchedule or NoExecute taint.
	Nodes            int `json:"nodes"`
	SchedulableNodes int `json:"schedulable_nodes"`
	// Metrics is set when the resource metrics API (metrics.k8s.io,
	// served by metrics-server) is served and available.
	Metrics bool `json:"metrics"`
	// DefaultStorageClass names the StorageClass marked default, "" when
	// none is: a PersistentVolumeClaim without a class then stays Pending.
	DefaultStorageClass string `json:"default_storage_class"`
	// LoadBalancer says whether Services of type LoadBalancer get an
	// address, and LoadBalancerWhy how docrun decided.
	LoadBalancer    bool   `json:"load_balancer"`
	LoadBalancerWhy string `json:"load_balancer_why"`
	// DNS is the cluster's DNS Service ("kube-system/kube-dns"), "" when
	// there is none.
	DNS string `json:"dns"`
	// OfflineImages are the images the cluster's registry serves when it
	// pulls from no other (docrun's local cluster with its real node lists
	// them in the ConfigMap kube-system/docrun-offline-images); nil when
	// the cluster does not list them, and every image counts as available.
	OfflineImages []string `json:"offline_images,omitempty"`
	// Local is set for docrun's own local cluster (make cluster-up).
	Local bool `json:"local,omitempty"`
}

// Lack is something a page needs that the cluster does not offer, with
// the steps skipped for it. The page header of the report lists them.
type Lack struct {
	// What is the missing capability ("metrics-server", "default
	// StorageClass", "running containers", ...).
	What string `json:"what"`
	// Reason is the skip reason of the first step skipped for it.
	Reason string `json:"reason"`
	// Steps are the indexes of the steps skipped for it.
	Steps []int `json:"steps"`
}

// String is the line a report shows: "metrics-server: no metrics-server:
// kubectl top has no data (…); skipped steps 7, 16".
func (l Lack) String() string {
	steps := make([]string, len(l.Steps))
	for i, n := range l.Steps {
		steps[i] = strconv.Itoa(n)
	}
	word := "step"
	if len(steps) > 1 {
		word = "steps"
	}
	if len(steps) == 0 {
		return l.What + ": " + l.Reason
	}
	return fmt.Sprintf("%s: %s; skipped %s %s", l.What, l.Reason, word, strings.Join(steps, ", "))
}

// PageResult is a page with the outcome of its steps.
type PageResult struct {
	markdown.Document
	// Steps shadow the Document's steps with their results.
	Steps      []*StepResult `json:"steps"`
	Cluster    *ClusterInfo  `json:"cluster,omitempty"`
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

// Clone is a copy of p that shares no slice of results with it.
func (p *PageResult) Clone() *PageResult {
	res := *p
	res.Notes = slices.Clone(res.Notes)
	res.Leaks = slices.Clone(res.Leaks)
	res.Missing = slices.Clone(res.Missing)
	res.Steps = make([]*StepResult, len(p.Steps))
	for i, st := range p.Steps {
		c := *st
		c.Bindings = slices.Clone(st.Bindings)
		c.Created = slices.Clone(st.Created)
		res.Steps[i] = &c
	}
	return &res
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
	Verdict Verdict `json:"verdict"`
	Diff    string  `json:"diff"`
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
	// Stale is set by CarryOver (docrun serve, watch) on a step that did
	// not run as it reads now: the page changed there after a run.
	Stale bool `json:"stale,omitempty"`
	// Settle is set on a read-only step that ran again until its output
	// reached the state the page shows.
	Settle *Settle `json:"settle,omitempty"`
}

// Output is what the step printed that is compared with the page's
// expected output: stdout, or stderr when stdout is blank (a failing
// command's message).
func (s *StepResult) Output() string {
	if strings.TrimSpace(s.Stdout) == "" {
		return s.Stderr
	}
	return s.Stdout
}

// State is the step's status, NotRun when it has none.
func (s *StepResult) State() Status {
	if s.Status == "" {
		return NotRun
	}
	return s.Status
}

// Settle is how docrun waited for a read-only step's output to reach the
// state the page shows, running it again as a reader does.
type Settle struct {
	// Tries counts the runs of the step, the first included.
	Tries int `json:"tries"`
	// DurationMS is the time from the first run's start to the last run's
	// end.
	DurationMS int64 `json:"duration_ms"`
	// Settled says whether the last run's output reached that state (its
	// other differences from the page's, if any, are the verdict's).
	Settled bool `json:"settled"`
}

// String says how the step settled, for the report.
func (s *Settle) String() string {
	secs := fmt.Sprintf("%.0f s", float64(s.DurationMS)/1000)
	if s.Settled {
		return fmt.Sprintf("settled after %s, %d tries", secs, s.Tries)
	}
	return fmt.Sprintf("did not settle within %s, %d tries", secs, s.Tries)
}

// Binding is a value given to a placeholder.
type Binding struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Source is "auto", "set", "set-from", "config", "object" for an
	// object the page made, "invented" for a name or credential docrun
	// made up as a reader does, or "output" for the output of a command
	// of the page the page says to use.
	Source string `json:"source"`
	// Description says where the value comes from in words, when Source
	// does not say it all ("the Pod of deployment nginx, created at step
	// 4", "the run's namespace").
	Description string `json:"description,omitempty"`
	// Secret is set for a value that is a secret (a credential docrun
	// invented): it is hidden wherever docrun shows output.
	Secret bool `json:"secret,omitempty"`
}
