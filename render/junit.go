package render

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/result"
)

// The JUnit XML that Jenkins (junit plugin), GitLab and GitHub test
// reporters read: <testsuites> of <testsuite> (one per page) of <testcase>
// (one per step), a case holding <failure>, <error> or <skipped> and its
// output. The attributes are those of the Ant/Jenkins JUnit schema.

// JUnitSuites is the root element.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one page.
type JUnitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr"`
	File       string          `xml:"file,attr,omitempty"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Cases      []JUnitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
	SystemErr  string          `xml:"system-err,omitempty"`
}

// JUnitProperty is a name and value of a suite (the cluster it ran on).
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one step.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *JUnitProblem `xml:"failure,omitempty"`
	Error     *JUnitProblem `xml:"error,omitempty"`
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
	SystemErr string        `xml:"system-err,omitempty"`
}

// JUnitProblem is a failure or an error: a one-line message, a type and
// the details.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnitSkipped marks a step that did not run, with the reason.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// maxCaseOutput bounds the output kept in each test case.
const maxCaseOutput = 64 << 10

// JUnit builds the JUnit document of a run.
func JUnit(res *result.Result) *JUnitSuites {
	host, _ := os.Hostname()
	root := &JUnitSuites{Name: "docrun", Time: seconds(res.Summary.DurationMS)}
	for i, p := range res.Pages {
		s := JUnitSuite{Name: p.Path, ID: i, Package: classname(p.Path), File: p.Path, Hostname: host,
			Time: seconds(p.DurationMS), Timestamp: p.Started.UTC().Format("2006-01-02T15:04:05")}
		if p.Started.IsZero() {
			s.Timestamp = "1970-01-01T00:00:00"
		}
		if s.Hostname == "" {
			s.Hostname = "localhost"
		}
		if c := p.Cluster; c != nil {
			s.Properties = []JUnitProperty{{"context", c.Context}, {"server", c.Server}, {"version", c.Version}, {"namespace", c.Namespace}}
		}
		if p.Error != "" {
			s.Errors++
			s.Cases = append(s.Cases, JUnitCase{Name: "page", Classname: s.Package, Time: "0", File: p.Path,
				Error: &JUnitProblem{Message: firstLineOf(p.Error), Type: "page error", Text: p.Error}})
		}
		names := map[string]int{}
		for _, st := range p.Steps {
			c := testCase(p, st, s.Package)
			if n := names[c.Name]; n > 0 {
				c.Name = fmt.Sprintf("%s (step %d)", c.Name, st.Index)
			}
			names[c.Name]++
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Skipped != nil:
				s.Skipped++
			}
			s.Cases = append(s.Cases, c)
		}
		s.Tests = len(s.Cases)
		if len(p.Notes) > 0 {
			s.SystemOut = strings.Join(p.Notes, "\n")
		}
		root.Tests += s.Tests
		root.Failures += s.Failures
		root.Errors += s.Errors
		root.Skipped += s.Skipped
		root.Suites = append(root.Suites, s)
	}
	return root
}

// WriteJUnit writes the JUnit XML of a run.
func WriteJUnit(w io.Writer, res *result.Result) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(JUnit(res)); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// CaseName is a step's test case name: its section and the first line of
// its command.
func CaseName(p *result.PageResult, st *result.StepResult) string {
	section := st.Section
	if section == "" {
		section = p.Title
	}
	name := html.FirstLine(firstNonEmpty(st.Ran, st.Code), 100)
	if st.Hidden {
		name = "(hidden) " + name
	}
	if st.Setup != "" {
		name = "(setup) " + name
	}
	if section == "" {
		return name
	}
	return section + ": " + name
}

func testCase(p *result.PageResult, st *result.StepResult, class string) JUnitCase {
	c := JUnitCase{Name: CaseName(p, st), Classname: class, Time: seconds(st.DurationMS), File: p.Path, Line: st.Line,
		SystemOut: clip(html.CleanOutput(st.Stdout)), SystemErr: clip(html.CleanOutput(st.Stderr))}
	at := fmt.Sprintf("%s:%d", p.Path, st.Line)
	switch st.Status {
	case result.Failed:
		msg := fmt.Sprintf("%s: step %d exited %d", at, st.Index, st.ExitCode)
		if st.ExitCode == 0 {
			msg = fmt.Sprintf("%s: step %d failed", at, st.Index)
		}
		c.Failure = &JUnitProblem{Message: msg, Type: "failed", Text: details(st)}
	case result.Timeout:
		c.Failure = &JUnitProblem{Message: fmt.Sprintf("%s: step %d timed out after %s", at, st.Index, html.FormatDuration(st.DurationMS)),
			Type: "timeout", Text: details(st)}
	case result.Skipped, result.NotRun, "":
		reason := firstNonEmpty(st.SkipReason, st.Reason, "not run")
		c.Skipped = &JUnitSkipped{Message: at + ": " + reason}
	}
	return c
}

// details is the text of a failure: the code as run, the end of stderr and
// the diff of the output.
func details(st *result.StepResult) string {
	var b strings.Builder
	b.WriteString("$ " + strings.TrimSpace(firstNonEmpty(st.Ran, st.Code)) + "\n")
	if e := strings.TrimSpace(html.CleanOutput(st.Stderr)); e != "" {
		b.WriteString(tail(e, 4000) + "\n")
	}
	if st.Diff != "" {
		b.WriteString("output " + string(st.Verdict) + ":\n" + st.Diff + "\n")
	}
	return b.String()
}

func seconds(ms int64) string { return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64) }

// classname is a page's path as a dotted class name: Jenkins groups cases
// by its dots.
func classname(path string) string {
	p := strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(path, "\\", "/"), "./"), ".md")
	p = strings.TrimLeft(p, "./")
	return strings.ReplaceAll(p, "/", ".")
}

func clip(s string) string {
	if len(s) <= maxCaseOutput {
		return s
	}
	return strings.ToValidUTF8(s[:maxCaseOutput], "") + fmt.Sprintf("\n… %d bytes left out", len(s)-maxCaseOutput)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + strings.ToValidUTF8(s[len(s)-n:], "")
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
