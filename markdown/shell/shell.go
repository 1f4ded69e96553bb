// Package shell reads the shell code of a page's command blocks the way bash
// reads it: with the parser of mvdan.cc/sh/v3/syntax (heredocs, line
// continuations, quoting, pipelines, &, subshells, command substitutions,
// comments). It is the one place docrun splits shell text; everything that
// needs a fact about a command block (which programs it calls with which
// arguments, what runs in the background, which variables it sets or uses,
// where its placeholders are) asks a Script.
//
// Documentation writes placeholders such as <pod-name> where a reader types a
// value. To bash those are redirections, and often syntax errors, so they are
// replaced by plain words before parsing and given back in every argument.
// Text that still does not parse (an unbalanced quote in a fragment, a
// console transcript) is read line by line, split at ; && || | & outside
// quotes, as a fallback; Script.Fallback says so and why.
package shell

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Script is a block of shell code, parsed.
type Script struct {
	// Code is the text as given.
	Code string
	// File is the parsed text (placeholders replaced by plain words); nil
	// when it did not parse.
	File *syntax.File
	// Fallback is set when the text did not parse and was read line by
	// line: the parser's message.
	Fallback string
	// Calls are the simple commands, in the order they appear, including
	// those inside command substitutions, loops, functions and subshells.
	Calls []Call

	// parsed is Code with placeholders replaced, the text File holds.
	parsed string
	// marks maps a replacement word to the placeholder text it stands for.
	marks map[string]string
	// holes are the placeholders found in the code.
	holes []hole
}

// Call is one simple command: a program and its arguments.
type Call struct {
	// Args are the command's words with quotes removed where the word is
	// literal; a word with expansions ($VAR, $(...)) keeps its source text.
	// Placeholders appear as written (<pod-name>).
	Args []string
	// Assigns are the names of variables assigned before the command
	// (NAME=value cmd), or by an assignment alone (NAME=value).
	Assigns []string
	// Line is the 1-based line of the command in the code.
	Line int
	// Start and End are the byte range of the command (its assignments
	// and words, not its redirections) in the code; both 0 for a command
	// read by the line fallback.
	Start, End int
	// Background is set when the command runs in the background: its
	// statement, or one that contains it, ends in &.
	Background bool
	// Substituted is set for a command inside $(...), `...` or <(...).
	Substituted bool
	// Redirects are the files the command's output is written to (>, >>,
	// &>), as written; Inputs the files it reads with <.
	Redirects []string
	Inputs    []string
	// Heredoc is the body of a here-document fed to the command, if any,
	// and HeredocQuoted says whether its delimiter was quoted (no
	// expansion inside).
	Heredoc       string
	HeredocQuoted bool
	// Stdin is the here-document a pipe feeds the command through a cat
	// of it and nothing else (cat <<EOF | kubectl apply -f -), the way
	// pages write a manifest inline; "" otherwise.
	Stdin string
}

// Parse reads shell code. It never fails: text that does not parse is read
// line by line (see Script.Fallback).
func Parse(code string) *Script {
	s := &Script{Code: code, marks: map[string]string{}}
	s.parsed = s.mask(code)
	s.usageHoles()
	f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash)).
		Parse(strings.NewReader(s.parsed), "")
	if err != nil {
		s.Fallback = err.Error()
		s.Calls = fallbackCalls(s.parsed)
		for i := range s.Calls {
			s.unmaskCall(&s.Calls[i])
		}
		return s
	}
	s.File = f
	s.collect()
	return s
}

// Parsed reports whether the code parsed as bash.
func (s *Script) Parsed() bool { return s.File != nil }

// FallbackReason is the text a step's reason carries when its shell did
// not parse, or "".
func (s *Script) FallbackReason() string {
	if s.File != nil {
		return ""
	}
	return "shell did not parse (" + s.Fallback + "); read line by line"
}

// collect walks the syntax tree for the simple commands.
func (s *Script) collect() {
	piped := map[*syntax.CallExpr]string{}
	s.walk(func(n syntax.Node, bg, subst bool) bool {
		if b, ok := n.(*syntax.BinaryCmd); ok && b.Op == syntax.Pipe {
			if body, ok := s.catHeredoc(b.X); ok {
				if ce, ok := b.Y.Cmd.(*syntax.CallExpr); ok {
					piped[ce] = body
				}
			}
		}
		if st, ok := n.(*syntax.Stmt); ok {
			if call, ok := st.Cmd.(*syntax.CallExpr); ok {
				c := s.call(st, call, bg || st.Background, subst)
				c.Stdin = piped[call]
				s.Calls = append(s.Calls, c)
			}
		}
		return true
	})
}

// catHeredoc returns the body of the here-document st writes when st is
// a cat of one here-document and nothing else (no file, no other
// redirection).
func (s *Script) catHeredoc(st *syntax.Stmt) (string, bool) {
	ce, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(ce.Args) != 1 || len(ce.Assigns) != 0 || len(st.Redirs) != 1 {
		return "", false
	}
	if name, ok := literal(ce.Args[0]); !ok || name != "cat" {
		return "", false
	}
	r := st.Redirs[0]
	if (r.Op != syntax.Hdoc && r.Op != syntax.DashHdoc) || r.Hdoc == nil {
		return "", false
	}
	return s.unmask(withoutDelimiter(s.source(r.Hdoc), r.Word)), true
}

// walk visits the syntax tree depth first, telling fn for each node
// whether an enclosing statement runs in the background (&) and whether
// the node is inside a command or process substitution. fn returns false
// to stop.
func (s *Script) walk(fn func(n syntax.Node, bg, subst bool) bool) {
	type frame struct{ bg, subst bool }
	stack := []frame{{}}
	stop := false
	syntax.Walk(s.File, func(n syntax.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		top := stack[len(stack)-1]
		if !stop && !fn(n, top.bg, top.subst) {
			stop = true
		}
		switch n := n.(type) {
		case *syntax.Stmt:
			top.bg = top.bg || n.Background
		case *syntax.CmdSubst, *syntax.ProcSubst:
			top.subst = true
		}
		stack = append(stack, top)
		return !stop
	})
}

func (s *Script) call(st *syntax.Stmt, ce *syntax.CallExpr, bg, subst bool) Call {
	c := Call{Line: int(ce.Pos().Line()), Background: bg, Substituted: subst,
		Start: int(ce.Pos().Offset()), End: int(ce.End().Offset())}
	for _, a := range ce.Assigns {
		if a.Name != nil {
			c.Assigns = append(c.Assigns, a.Name.Value)
		}
	}
	for _, w := range ce.Args {
		c.Args = append(c.Args, s.word(w))
	}
	for _, r := range st.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrClob:
			if r.Word != nil {
				c.Redirects = append(c.Redirects, s.word(r.Word))
			}
		case syntax.RdrIn:
			if r.Word != nil {
				c.Inputs = append(c.Inputs, s.word(r.Word))
			}
		case syntax.Hdoc, syntax.DashHdoc:
			if r.Hdoc != nil {
				c.Heredoc = s.unmask(withoutDelimiter(s.source(r.Hdoc), r.Word))
			}
			c.HeredocQuoted = r.Word != nil && quotedWord(r.Word)
		}
	}
	if c.Line == 0 {
		c.Line = int(st.Pos().Line())
	}
	return c
}

// withoutDelimiter removes the closing delimiter line the parser's
// here-document range ends with.
func withoutDelimiter(body string, delim *syntax.Word) string {
	if delim == nil {
		return body
	}
	d, ok := literal(delim)
	if !ok {
		return body
	}
	i := strings.LastIndex(body, "\n") + 1
	if strings.TrimLeft(body[i:], "\t") == d {
		return body[:i]
	}
	return body
}

// quotedWord reports whether a heredoc delimiter has quotes ('EOF', "EOF",
// E\OF): its body is then taken literally.
func quotedWord(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			return true
		case *syntax.Lit:
			if strings.Contains(p.Value, `\`) {
				return true
			}
		}
	}
	return false
}

// word returns a word's value: unquoted when literal, else its source.
func (s *Script) word(w *syntax.Word) string {
	if v, ok := literal(w); ok {
		return s.unmask(v)
	}
	return s.unmask(s.source(w))
}

// source returns the text of a node as written (placeholders still masked).
func (s *Script) source(n syntax.Node) string {
	start, end := int(n.Pos().Offset()), int(n.End().Offset())
	if start < 0 || end > len(s.parsed) || start > end {
		return ""
	}
	return s.parsed[start:end]
}

// literal returns the value of a word made only of literal text and quotes.
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value))
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape removes the backslashes of an unquoted literal (\$ -> $).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Program returns the program a call runs and its arguments, past the
// words that only wrap another command (sudo, env, time, nohup, exec,
// command, setsid, stdbuf, nice, timeout, xargs) and a leading "$ "
// prompt. The program is the base name of its path (/usr/bin/kubectl and
// ./kubectl are "kubectl"). It returns "" for a call of assignments only.
func (c Call) Program() (string, []string) {
	args := c.Args
	if len(args) > 0 && args[0] == "$" {
		args = args[1:]
	}
	for len(args) > 0 {
		n := wrapperArgs(args)
		if n == 0 {
			break
		}
		args = args[n:]
	}
	if len(args) == 0 {
		return "", nil
	}
	return path.Base(args[0]), args[1:]
}

// Wrapped reports whether the call runs its program through one of the
// given wrappers (sudo, for instance).
func (c Call) Wrapped(wrapper string) bool {
	args := c.Args
	for len(args) > 0 {
		if path.Base(args[0]) == wrapper {
			return true
		}
		n := wrapperArgs(args)
		if n == 0 {
			return false
		}
		args = args[n:]
	}
	return false
}

// wrapperArgs returns how many words of args belong to a wrapper command
// in front of the real one (0 when args[0] is not a wrapper).
func wrapperArgs(args []string) int {
	n := 1
	options := func(withValue map[string]bool) {
		for n < len(args) && strings.HasPrefix(args[n], "-") && args[n] != "-" {
			if args[n] == "--" {
				n++
				return
			}
			if withValue[args[n]] && n+1 < len(args) {
				n++
			}
			n++
		}
	}
	switch path.Base(args[0]) {
	case "time", "nohup", "exec", "command", "builtin":
		options(nil)
	case "sudo":
		options(map[string]bool{"-u": true, "-g": true, "-C": true, "-D": true, "-h": true, "-p": true, "-U": true, "-r": true, "-t": true})
		for n < len(args) && isAssignment(args[n]) {
			n++
		}
	case "env":
		options(map[string]bool{"-u": true, "-C": true, "-S": true, "--unset": true, "--chdir": true})
		for n < len(args) && isAssignment(args[n]) {
			n++
		}
	case "setsid", "stdbuf", "nice", "ionice", "unbuffer":
		options(map[string]bool{"-n": true, "-c": true})
	case "timeout":
		options(map[string]bool{"-s": true, "-k": true, "--signal": true, "--kill-after": true})
		if n < len(args) {
			n++ // the duration
		}
	case "xargs":
		options(map[string]bool{"-I": true, "-n": true, "-P": true, "-d": true, "-L": true, "-s": true, "-E": true, "-a": true})
	default:
		return 0
	}
	if n > len(args) {
		n = len(args)
	}
	return n
}

var assignRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

func isAssignment(w string) bool { return assignRe.MatchString(w) }

// Last returns the last call of the script that is not inside a command
// substitution, and false when there is none.
func (s *Script) Last() (Call, bool) {
	for i := len(s.Calls) - 1; i >= 0; i-- {
		if !s.Calls[i].Substituted {
			return s.Calls[i], true
		}
	}
	return Call{}, false
}

// String returns the script's calls, one a line, for tests and debugging.
func (s *Script) String() string {
	var b strings.Builder
	for _, c := range s.Calls {
		fmt.Fprintf(&b, "%d%s %q\n", c.Line, map[bool]string{true: "&", false: ""}[c.Background], c.Args)
	}
	return b.String()
}
