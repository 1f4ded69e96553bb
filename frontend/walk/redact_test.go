package walk

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/docrun/docrun/frontend/terminal"
	"github.com/docrun/docrun/runner"
	"github.com/docrun/docrun/runner/redact/redacttest/play"
)

// TestWalkRedacts walks through the redaction corpus played as the
// output of steps, each case written whole, a byte at a time and in random
// pieces: the terminal must show each step's output as the redaction of
// the case's text as one text.
func TestWalkRedacts(t *testing.T) {
	f := play.New(t)
	var out bytes.Buffer
	r := &runner.Runner{Opts: runner.Options{Only: -1, From: -1, To: -1, Redactor: f.Red,
		Events: &terminal.Printer{Out: &out, Live: true, Redactor: f.Red}}, Executors: f.Executors}
	ps, err := r.Open(context.Background(), f.Page)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close(context.Background())
	in := strings.NewReader(strings.Repeat("\n", len(f.Codes)))
	if err := Walk(context.Background(), ps, Options{In: in, Out: &out, Width: 80}); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	got := out.String()
	for _, st := range ps.Steps() {
		want, ok := f.Exec.Want(st.Code)
		if !ok {
			t.Fatalf("%s did not run: %s", st.Code, st.Status)
		}
		head := fmt.Sprintf("%s:%d  %s\n", f.Page, st.Line, strings.TrimSpace(st.Code))
		if !strings.Contains(got, head+play.Terminal(want.Merged)+"      => ") {
			_, shown, _ := strings.Cut(got, head)
			shown, _, _ = strings.Cut(shown, "      => ")
			t.Errorf("%s: the terminal shows\n%s\nwant\n%s", st.Code, shown, play.Terminal(want.Merged))
		}
	}
	f.Secrets(t, "the walkthrough", got)
}
