// Package redacttest holds the test corpus of package redact
// (runner/redact/testdata) for the tests of every live output path: its
// cases, the ways to split a case into writes, and an executor that plays a
// case as a step's output.
package redacttest

import (
	"fmt"
	"github.com/docrun/docrun/runner/redact"
	"math/rand"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/docrun/docrun/internal/golden"
)

// Piece is text written by one source: 0 stdout, 1 stderr.
type Piece struct {
	Src  int
	Text string
}

// Case is one archive of the corpus. Its comment holds a description and
// lines "known: V" (a value the Redactor knows before), "secret: V" (must
// not show in the output), "kept: T" (must show) and "escapes" (\x1b, \t
// and \n in the files stand for ESC, tab and newline). File "in" is the
// text of a single stream; files "1.out", "2.err", ... are pieces written
// in that order to stdout and stderr (without their last newline).
// "want", or "want.out" and "want.err", are the redacted output.
type Case struct {
	*golden.Case
	Known   []string
	Secrets []string
	Kept    []string
	Pieces  []Piece
}

// Dir is the corpus's folder.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// Load reads the corpus.
func Load(tb testing.TB) []*Case {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(Dir(), "*.txtar"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no redaction corpus in %s: %v", Dir(), err)
	}
	var cases []*Case
	for _, f := range files {
		c, err := parse(f)
		if err != nil {
			tb.Fatal(err)
		}
		cases = append(cases, c)
	}
	return cases
}

func parse(file string) (*Case, error) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		return nil, err
	}
	c := &Case{Case: &golden.Case{Name: strings.TrimSuffix(filepath.Base(file), ".txtar"), File: file, Archive: ar}}
	esc := func(s string) string { return s }
	for _, l := range strings.Split(string(ar.Comment), "\n") {
		k, v, _ := strings.Cut(l, ": ")
		switch {
		case l == "escapes":
			esc = strings.NewReplacer(`\x1b`, "\x1b", `\t`, "\t", `\n`, "\n").Replace
		case k == "known":
			c.Known = append(c.Known, v)
		case k == "secret":
			c.Secrets = append(c.Secrets, v)
		case k == "kept":
			c.Kept = append(c.Kept, v)
		}
	}
	type numbered struct {
		n int
		Piece
	}
	var pieces []numbered
	for _, f := range ar.Files {
		if f.Name == "in" {
			pieces = append(pieces, numbered{0, Piece{0, esc(string(f.Data))}})
			continue
		}
		num, src, ok := strings.Cut(f.Name, ".")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || src != "out" && src != "err" {
			continue
		}
		p := Piece{Text: esc(strings.TrimSuffix(string(f.Data), "\n"))}
		if src == "err" {
			p.Src = 1
		}
		pieces = append(pieces, numbered{n, p})
	}
	if len(pieces) == 0 {
		return nil, fmt.Errorf("%s: no in file and no pieces", file)
	}
	sort.SliceStable(pieces, func(i, j int) bool { return pieces[i].n < pieces[j].n })
	for _, p := range pieces {
		c.Pieces = append(c.Pieces, p.Piece)
	}
	return c, nil
}

// Text is the case's whole text, its pieces in order.
func (c *Case) Text() string {
	var b strings.Builder
	for _, p := range c.Pieces {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Ways are the ways the tests split a case into writes: whole pieces,
// a byte at a time, and random sizes (three seeds).
var Ways = []string{"whole", "byte", "rand-1", "rand-2", "rand-3"}

// Split splits text into the writes of way.
func Split(text, way string) []string {
	var out []string
	switch {
	case way == "whole":
		return []string{text}
	case way == "byte":
		for i := range len(text) {
			out = append(out, text[i:i+1])
		}
		return out
	}
	seed, _ := strconv.Atoi(strings.TrimPrefix(way, "rand-"))
	rnd := rand.New(rand.NewSource(int64(seed)))
	for len(text) > 0 {
		n := min(1+rnd.Intn(24), len(text))
		out = append(out, text[:n])
		text = text[n:]
	}
	return out
}

// Play writes the case's pieces, in order, each split by way.
func (c *Case) Play(way string, write func(src int, p []byte)) {
	for _, p := range c.Pieces {
		for _, w := range Split(p.Text, way) {
			write(p.Src, []byte(w))
		}
	}
}

// Want is what a case's output must become: its text redacted as one text
// (Merged), and the part of that each source gets.
type Want struct {
	Stdout, Stderr, Merged string
}

// Redact is the case's text redacted as one text by r (which learns from
// it): as a whole, and split by source.
func (c *Case) Redact(r *redact.Redactor) Want {
	var out, errs, merged strings.Builder
	two := r.Clone().NewStream(&out, &errs)
	one := r.NewStream(&merged)
	for _, p := range c.Pieces {
		two.Source(p.Src).Write([]byte(p.Text))
		one.Write([]byte(p.Text))
	}
	two.Flush()
	one.Flush()
	return Want{Stdout: out.String(), Stderr: errs.String(), Merged: merged.String()}
}
