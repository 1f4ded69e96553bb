package main

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"

	"github.com/docrun/docrun/markdown/kubectl"
)

// TestTableIsCurrent fails when kubectl's tree (a new k8s.io/kubectl in
// go.mod) and the committed table differ.
func TestTableIsCurrent(t *testing.T) {
	want, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../" + output)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("markdown/kubectl/%s is not the table of k8s.io/kubectl %s: run go generate ./markdown/kubectl", output, kubectlVersion())
	}
}

// TestParseAsKubectl reads each command line of the kubectl package's parse
// cases with kubectl's own tree and with kubectl.Parse, and compares.
func TestParseAsKubectl(t *testing.T) {
	data, err := os.ReadFile("../../testdata/parse.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || line[0] == '#' || line[0] == '\t' {
			continue
		}
		n++
		args := strings.Fields(line)
		for j, a := range args {
			if a == "''" {
				args[j] = ""
			}
		}
		if msg := compare(args); msg != "" {
			t.Errorf("testdata/parse.txt:%d: %s: %s", i+1, line, msg)
		}
	}
	if n < 50 {
		t.Errorf("only %d command lines in testdata/parse.txt", n)
	}
}

// FuzzParseAsKubectl compares kubectl.Parse with kubectl's own reading on
// any argv: arguments separated by NUL bytes, where an argument of one byte
// stands for a word of kubectl's (a command, an alias, a flag, a shorthand
// group) so that the fuzzer reaches deep commands.
func FuzzParseAsKubectl(f *testing.F) {
	for _, s := range []string{"get\x00pods\x00-n\x00x", "--context\x00x\x00exec\x00-it\x00p\x00--\x00sh", "krew\x00list", "-nns\x00edit\x00x"} {
		f.Add(s)
	}
	words := vocabulary()
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		if len(args) > 12 {
			return
		}
		for i, a := range args {
			if len(a) == 1 {
				args[i] = words[int(a[0])%len(words)]
			}
		}
		if msg := compare(args); msg != "" {
			t.Errorf("%q: %s", args, msg)
		}
	})
}

// vocabulary is every command name and alias of kubectl's tree, every flag
// as --name, --name=value and -x, and a few words of other shapes.
func vocabulary() []string {
	words := []string{"", "-", "--", "---", "x", "-x", "--x", "--x=1", "-=", "-it", "-ti", "-nns", "-n=ns", "-v6", "-test.v", "true", "false", "1m"}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		words = append(words, c.Name())
		words = append(words, c.Aliases...)
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			words = append(words, "--"+f.Name, "--"+f.Name+"=x", "--"+f.Name+"=false")
			if f.Shorthand != "" {
				words = append(words, "-"+f.Shorthand, "-"+f.Shorthand+"x")
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(Tree())
	return words
}

// compare reads args both ways and says how they differ, or "".
func compare(args []string) string {
	got, gotErr := kubectl.Parse(args)
	want, wantErr, checked := viaCobra(args)
	switch {
	case !checked:
		return "" // kubectl stopped at a value of a type Parse does not check
	case (gotErr == nil) != (wantErr == nil):
		return "error " + errText(gotErr) + ", kubectl: " + errText(wantErr)
	case gotErr != nil && errHead(gotErr) != errHead(wantErr):
		return "error " + errText(gotErr) + ", kubectl: " + errText(wantErr)
	case gotErr != nil:
		return "" // pflag stops at its first error, Parse goes on
	case got.Plugin != want.Plugin:
		return "plugin " + got.Plugin + ", kubectl: " + want.Plugin
	case want.Plugin != "" && args[0] != want.Plugin:
		return "" // kubectl looks for a plugin named after args[0], which is ""
	case got.String() != want.String():
		return got.String() + ", kubectl: " + want.String()
	}
	return ""
}

// errHead is an error's message without the cause of an invalid value,
// whose words are the value type's (Go's flag package says "parse error"
// where pflag quotes strconv).
func errHead(err error) string {
	head, _, _ := strings.Cut(err.Error(), " flag: ")
	return head
}

func errText(err error) string {
	if err == nil {
		return "none"
	}
	return strconv.Quote(err.Error())
}

// noPlugins is a plugin handler that finds no plugin.
type noPlugins struct{}

func (noPlugins) Lookup(string) (string, bool)             { return "", false }
func (noPlugins) Execute(string, []string, []string) error { return nil }

// tree is kubectl's tree for viaCobra, built once: finding a command
// changes nothing in it that matters to the next search.
var tree = sync.OnceValue(Tree)

// viaCobra reads args as the kubectl binary does: cobra's Find, kubectl's
// plugin handler for an unknown command, then pflag's parse of the
// command's flags with cobra's help flag, on a flag set of its own so that
// the shared tree keeps no help flag. checked is false for an invalid value
// of a type that kubectl.Parse takes as any string.
func viaCobra(args []string) (inv kubectl.Invocation, err error, checked bool) {
	root := tree()
	cmd, rest, err := root.Find(args)
	if err != nil {
		const prefix = "unknown command "
		msg := strings.TrimPrefix(err.Error(), prefix)
		q, qerr := strconv.QuotedPrefix(msg)
		if !strings.HasPrefix(err.Error(), prefix) || qerr != nil {
			return inv, err, true
		}
		inv.Plugin, _ = strconv.Unquote(q)
		if len(args) > 0 && args[0] == inv.Plugin {
			inv.Args = args[1:]
		}
		return inv, kubectlcmd.HandlePluginCommand(noPlugins{}, args, 1), true
	}
	if cmd != root {
		inv.Path = strings.Fields(cmd.CommandPath())[1:]
	}
	fs := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	fs.SetNormalizeFunc(cmd.Flags().GetNormalizeFunc())
	fs.AddFlagSet(cmd.Flags())
	if fs.Lookup("help") == nil { // cobra's InitDefaultHelpFlag
		fs.BoolP("help", "h", false, "help")
	}
	checked = true
	err = fs.ParseAll(rest, func(f *pflag.Flag, value string) error {
		inv.Flags = append(inv.Flags, kubectl.Flag{Name: f.Name, Value: value})
		err := fs.Set(f.Name, value)
		var invalid *pflag.InvalidValueError
		if errors.As(err, &invalid) {
			switch f.Value.Type() {
			case "bool", "tristate", "int", "int32", "int64", "duration", "stringSlice":
			default:
				checked = false
			}
		}
		return err
	})
	inv.Args = fs.Args()
	if n := fs.ArgsLenAtDash(); n >= 0 {
		inv.Args, inv.Dash = inv.Args[:n], inv.Args[n:]
	}
	return inv, err, checked
}
