package markdown

import (
	"strings"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// readerPrograms are programs that only read what they are given and print
// a result: the filters pages pipe kubectl's output through, and lookups.
// Their flags that write files are refused by writesFiles.
var readerPrograms = toSet(`echo printf cat grep egrep fgrep head tail sort uniq wc cut tr column jq yq
base64 sed awk nslookup dig host true sleep date`)

// ReadOnly reports whether running shell code again changes nothing, as a
// reader who types a command again to see whether the cluster has caught
// up: every command it runs reads only (kubectl's read-only commands, see
// kubectl.Invocation.ReadOnly, that end by themselves; curl of a URL
// without data or an output file; text filters and lookups), no output is
// written to a file, nothing runs in the background, no variable is set.
// Otherwise it returns false with the first command that is not known to
// read only.
func ReadOnly(code string) (bool, string) { return readOnly(code, false) }

// ReadOnlyVars reports as ReadOnly does, except that setting shell
// variables is allowed (NAME=$(kubectl get …), export NAME=…): running
// the code again changes nothing but the variables it sets, as a reader
// who runs `POD=$(kubectl get pods -o name)` again once the Pod is there.
func ReadOnlyVars(code string) (bool, string) { return readOnly(code, true) }

// readOnly is ReadOnly, with variables allowed when vars is set.
func readOnly(code string, vars bool) (bool, string) {
	sc := shell.Parse(code)
	if !sc.Parsed() {
		return false, "the shell did not parse"
	}
	if len(sc.Calls) == 0 {
		return false, "no command"
	}
	for _, c := range sc.Calls {
		if vars && setsOnly(c) {
			continue
		}
		if why := readOnlyCall(c); why != "" {
			return false, why
		}
	}
	return true, ""
}

// setsOnly reports whether a command only sets shell variables: an
// assignment alone, or export, declare, typeset, local or readonly with
// assignments and options.
func setsOnly(c shell.Call) bool {
	prog, _ := c.Program()
	switch prog {
	case "":
		return len(c.Assigns) > 0 && len(c.Redirects) == 0
	case "export", "declare", "typeset", "local", "readonly":
		return len(c.Redirects) == 0 && !c.Background
	}
	return false
}

// readOnlyCall returns why one command is not known to read only, or "".
func readOnlyCall(c shell.Call) string {
	prog, args := c.Program()
	switch {
	case prog == "":
		return "it sets a variable"
	case c.Background:
		return prog + " runs in the background"
	}
	for _, r := range c.Redirects {
		if r != "/dev/null" {
			return prog + " writes " + r
		}
	}
	switch {
	case prog == "kubectl":
		inv, err := kubectl.Parse(args)
		if err != nil || !inv.ReadOnly() {
			return "kubectl " + inv.Command() + " is not read-only"
		}
		if _, endless := inv.Endless(); endless {
			return "kubectl " + inv.Command() + " does not end by itself"
		}
	case prog == "curl" || prog == "wget":
		if why := fetchWrites(prog, args); why != "" {
			return why
		}
	case readerPrograms[prog]:
		if writesFiles(prog, args) {
			return prog + " edits files"
		}
	default:
		return prog + " is not known to read only"
	}
	return ""
}

// writesFiles reports whether a filter is asked to edit files in place
// (sed -i, yq -i) or write one (sort -o).
func writesFiles(prog string, args []string) bool {
	for _, a := range args {
		switch {
		case (prog == "sed" || prog == "yq") && (a == "-i" || strings.HasPrefix(a, "--in-place") || shortFlag(a, 'i')):
			return true
		case prog == "sort" && (a == "-o" || strings.HasPrefix(a, "--output")):
			return true
		}
	}
	return false
}

// fetchWrites returns why curl or wget arguments change something: a
// method other than GET or HEAD, data to send, or an output file.
func fetchWrites(prog string, args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		method := ""
		switch {
		case a == "-X" || a == "--request":
			if i+1 < len(args) {
				method = args[i+1]
			}
		case strings.HasPrefix(a, "--request="):
			method = strings.TrimPrefix(a, "--request=")
		case strings.HasPrefix(a, "-X") && !strings.HasPrefix(a, "--"):
			method = strings.TrimPrefix(a, "-X")
		case strings.HasPrefix(a, "--method="): // wget
			method = strings.TrimPrefix(a, "--method=")
		}
		if method != "" && !strings.EqualFold(method, "GET") && !strings.EqualFold(method, "HEAD") {
			return prog + " sends a " + method + " request"
		}
		for _, f := range sendFlags[prog] {
			if strings.HasPrefix(a, f) {
				return prog + " " + f + " sends or writes data"
			}
		}
		if prog == "curl" && !strings.HasPrefix(a, "-X") && (shortFlag(a, 'd') || shortFlag(a, 'F') || shortFlag(a, 'T') || shortFlag(a, 'o') || shortFlag(a, 'O')) {
			return "curl " + a + " sends or writes data"
		}
	}
	if prog == "wget" && !wgetPrints(args) {
		return "wget writes the file it fetches"
	}
	return ""
}

// sendFlags are the long flags of curl and wget that send data or write
// an output file (wget's output is read by wgetPrints).
var sendFlags = map[string][]string{
	"curl": {"--data", "--form", "--upload-file", "--json", "--output", "--remote-name"},
	"wget": {"--post-data", "--post-file", "--body-data", "--body-file"},
}

// shortFlag reports whether a is a cluster of one-letter flags (-sSo)
// that includes letter.
func shortFlag(a string, letter byte) bool {
	if len(a) < 2 || a[0] != '-' || a[1] == '-' {
		return false
	}
	return strings.IndexByte(a[1:], letter) >= 0
}

// wgetPrints reports whether wget writes what it fetches to standard
// output (-O-, -qO-, -O -).
func wgetPrints(args []string) bool {
	for i, a := range args {
		if shortFlag(a, 'O') && (strings.HasSuffix(a, "O-") || (strings.HasSuffix(a, "O") && i+1 < len(args) && args[i+1] == "-")) {
			return true
		}
		if a == "--output-document=-" {
			return true
		}
	}
	return false
}
