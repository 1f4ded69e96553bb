package markdown

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/docrun/docrun/markdown/kubectl"
	"github.com/docrun/docrun/markdown/shell"
)

// localName cleans a word a command uses as a file (quotes, ./) and reports
// whether it names a file in the working folder: not a URL, an absolute
// or home path, a variable, a glob, a placeholder, stdin or a parent folder.
func localName(w string) (string, bool) {
	w = strings.Trim(w, `"'`)
	if w == "" || w == "-" || strings.ContainsAny(w, "$`*?<>{}[]:\\~ \t|;&()=@") || strings.HasPrefix(w, "/") || strings.HasPrefix(w, "-") {
		return "", false
	}
	w = path.Clean(w)
	if w == "." || w == ".." || strings.HasPrefix(w, "../") {
		return "", false
	}
	return w, true
}

// fileArg is a file a command reads or writes.
type fileArg struct {
	name  string // cleaned, relative to the working folder
	arg   string // as written
	write bool
	// dir is set for a folder read for its kustomization (kubectl -k,
	// kustomize build); name is then the folder ("." for the working one).
	dir bool
}

// wrappers are words that run the command after them.
var wrappers = toSet("sudo time nohup env exec command builtin xargs")

// fileArgs returns the files shell code reads and writes, in order. It
// reads each simple command (markdown/shell) the way a person would:
// kubectl's file flags (read with kubectl's command tree: -f, -k,
// kubectl kustomize, --patch-file, --from-file, --from-env-file),
// redirections, and programs that take a file to read or run (cat, bash,
// python3, go run, openssl -config, ...) or write (tee, cp, curl -o, ...).
func fileArgs(code string) []fileArg {
	var out []fileArg
	for _, c := range shell.Parse(code).Calls {
		out = append(out, commandFiles(c)...)
	}
	return out
}

// commandFiles reads the files of one simple command.
func commandFiles(c shell.Call) []fileArg {
	var out []fileArg
	add := func(w string, write bool) {
		if n, ok := localName(w); ok {
			out = append(out, fileArg{name: n, arg: w, write: write})
		}
	}
	for _, in := range c.Inputs {
		add(in, false)
	}
	for _, r := range c.Redirects {
		add(r, true)
	}
	args := c.Args
	for len(args) > 1 && (assignment.MatchString(args[0]) || wrappers[args[0]] || args[0] == "$") {
		args = args[1:]
	}
	if len(args) == 0 {
		return out
	}
	prog, rest := path.Base(args[0]), args[1:]
	switch {
	case prog == "kubectl":
		out = append(out, kubectlFiles(rest, add)...)
	case prog == "kustomize":
		if len(rest) > 1 && rest[0] == "build" {
			out = append(out, dirArg(rest[1])...)
		}
	case prog == "cat" || prog == "bash" || prog == "sh" || prog == "source" || prog == "." ||
		prog == "python" || prog == "python3" || prog == "node" || prog == "chmod" || prog == "envsubst":
		if hasWord(rest, "-c") {
			break
		}
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+") && !isMode(a) {
				add(a, false)
			}
			if prog == "bash" || prog == "sh" || prog == "python" || prog == "python3" || prog == "node" || prog == "source" || prog == "." {
				if !strings.HasPrefix(a, "-") {
					break // the rest are the script's arguments
				}
			}
		}
	case prog == "go" && len(rest) > 1 && rest[0] == "run":
		for _, a := range rest[1:] {
			if strings.HasSuffix(a, ".go") {
				add(a, false)
			}
		}
	case prog == "openssl":
		for i, a := range rest {
			if i+1 >= len(rest) {
				break
			}
			switch a {
			case "-config", "-in", "-extfile", "-CA", "-CAkey", "-key", "-signkey":
				add(rest[i+1], false)
			case "-out", "-keyout":
				add(rest[i+1], true)
			}
		}
	case prog == "tee":
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				add(a, true)
			}
		}
	case prog == "touch" || prog == "mkdir":
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				add(a, true)
			}
		}
	case prog == "cp" || prog == "mv":
		var plain []string
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				plain = append(plain, a)
			}
		}
		if len(plain) >= 2 {
			for _, a := range plain[:len(plain)-1] {
				add(a, false)
			}
			add(plain[len(plain)-1], true)
		}
	case prog == "curl" || prog == "wget":
		downloadFiles(prog, rest, add)
	case strings.HasPrefix(args[0], "./"):
		add(args[0], false)
	}
	return out
}

// downloadFiles reads the file curl or wget saves (see DownloadTarget).
func downloadFiles(prog string, args []string, add func(string, bool)) {
	if name, ok := DownloadTarget(append([]string{prog}, args...)); ok && name != "-" {
		add(name, true)
	}
}

// The short options of curl and wget that take a value (-XPOST is -X POST,
// not -O).
const (
	curlValued = "AbcCdDeEFHKmoPQrTtuUwxXyYz"
	wgetValued = "aABDeiIlOoPQRtTUwXY"
)

// DownloadTarget returns where curl or wget (args[0]) writes what it
// fetches: the file -o NAME (curl) or -O NAME (wget) names, also attached
// (-oNAME, -qO-, --output=NAME, --output-document=NAME); the last part of
// the URL's path for curl -O (-LO, --remote-name) and for wget without -O;
// in the folder --output-dir (curl) or -P (wget) gives. It is "-" for
// standard output (curl without -o or -O, wget -O -). ok is false for
// other programs, and for a command that fetches no URL.
func DownloadTarget(args []string) (name string, ok bool) {
	if len(args) == 0 || (args[0] != "curl" && args[0] != "wget") {
		return "", false
	}
	curl := args[0] == "curl"
	nameFlag, dirFlag := byte('o'), "--output-dir"
	longName := "--output"
	if !curl {
		nameFlag, dirFlag, longName = 'O', "--directory-prefix", "--output-document"
	}
	remote := !curl
	var out, dir, url string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		next := func() string {
			if i+1 < len(rest) {
				i++
				return rest[i]
			}
			return ""
		}
		switch {
		case a == longName || a == dirFlag || (!curl && a == "-P"):
			v := next()
			if a == longName {
				out = v
			} else {
				dir = v
			}
		case strings.HasPrefix(a, longName+"="):
			out = strings.TrimPrefix(a, longName+"=")
		case strings.HasPrefix(a, dirFlag+"="):
			dir = strings.TrimPrefix(a, dirFlag+"=")
		case curl && (a == "--remote-name" || a == "--remote-name-all"):
			remote = true
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(a) > 1:
			// A group of short options: the one that takes a value
			// takes the rest of the group, or the next word.
			valued := wgetValued
			if curl {
				valued = curlValued
			}
			for j := 1; j < len(a); j++ {
				c := a[j]
				if curl && c == 'O' {
					remote = true
				}
				if !strings.ContainsRune(valued, rune(c)) {
					continue
				}
				v := a[j+1:]
				if v == "" {
					v = next()
				}
				switch {
				case c == nameFlag:
					out = v
				case !curl && c == 'P':
					dir = v
				}
				break
			}
		case url == "" && (strings.HasPrefix(strings.Trim(a, `"'`), "http://") || strings.HasPrefix(strings.Trim(a, `"'`), "https://")):
			url = strings.Trim(a, `"'`)
		}
	}
	switch {
	case url == "":
		return "", false
	case out == "-":
		return "-", true
	case out != "":
		name = out
	case remote:
		name = path.Base(strings.SplitN(strings.SplitN(url, "?", 2)[0], "#", 2)[0])
	default:
		return "-", true
	}
	if dir != "" && !strings.HasPrefix(name, "/") {
		name = path.Join(dir, name)
	}
	return name, true
}

// isMode reports whether a chmod argument is a mode (755, u+x).
func isMode(a string) bool {
	return strings.Trim(a, "0123456789") == "" || strings.ContainsAny(a, "+=") && !strings.Contains(a, ".")
}

// kubectlFiles reads the files a kubectl command line reads, with
// kubectl's own command tree: manifests (-f, -k, kubectl kustomize DIR),
// --patch-file, --from-env-file and --from-file ([key=]path). Arguments
// after -- belong to a command run elsewhere (exec, run) and are not read.
func kubectlFiles(args []string, add func(string, bool)) []fileArg {
	inv, _ := kubectl.Parse(args)
	var out []fileArg
	for _, s := range inv.Sources() {
		switch {
		case s.Stdin() || s.Remote():
		case s.Kustomize:
			out = append(out, dirArg(s.Path)...)
		default:
			add(s.Path, false)
		}
	}
	// the files of a patch or a ConfigMap's data; the credentials kubectl
	// reads (kubectl config set-credentials --client-key=user.key)
	for _, name := range []string{"patch-file", "from-env-file", "from-file", "client-key", "client-certificate", "certificate-authority"} {
		for _, v := range inv.Values(name) {
			if _, p, found := strings.Cut(v, "="); found && name == "from-file" {
				v = p
			}
			add(v, false)
		}
	}
	return out
}

// dirArg is a folder read for its kustomization: the working folder for
// ".", "./" or a placeholder (<directory-path>: the reader's folder).
func dirArg(w string) []fileArg {
	a := strings.Trim(w, `"'`)
	if isPlaceholder(a) || a == "." || a == "./" {
		return []fileArg{{name: ".", arg: w, dir: true}}
	}
	if n, ok := localName(a); ok {
		return []fileArg{{name: n, arg: w, dir: true}}
	}
	return nil
}

// isPlaceholder reports whether a word is a placeholder (<directory-path>).
func isPlaceholder(w string) bool {
	ps := shell.TextPlaceholders(w)
	return len(ps) == 1 && "<"+ps[0]+">" == w
}

// LocalFiles returns the files in the working folder that shell code
// writes and the ones it needs to be there, each once, in order: what
// fileArgs reads and writes (redirections, kubectl's file flags, curl -O,
// tee, cp, ...), the files rm removes without -f, which must exist too,
// and the operands of other programs that name data files by their
// extension (rev data.txt, wc -l values.yaml). A file the code writes
// before it reads it is only written; names after a cd are left out.
func LocalFiles(code string) (needs, writes []string) {
	written := map[string]bool{}
	add := func(list []string, name string) []string {
		if slices.Contains(list, name) {
			return list
		}
		return append(list, name)
	}
	for _, c := range shell.Parse(code).Calls {
		if prog, _ := c.Program(); prog == "cd" || prog == "pushd" || prog == "popd" {
			break // the names after it are in another folder
		}
		for _, a := range commandFiles(c) {
			switch {
			case a.dir:
			case a.write:
				written[a.name] = true
				writes = add(writes, a.name)
			case !written[a.name]:
				needs = add(needs, a.name)
			}
		}
		prog, args := c.Program()
		switch {
		case prog == "rm":
			if slices.ContainsFunc(args, forced) {
				args = nil
			}
		case !fileReaders[prog] && !notOperands[prog] && !strings.HasPrefix(prog, "kubectl"):
			// another program: its operands that name data files
			if patternFirst[prog] {
				if i := slices.IndexFunc(args, func(a string) bool { return !strings.HasPrefix(a, "-") }); i >= 0 {
					args = args[i+1:]
				}
			}
			args = slices.DeleteFunc(slices.Clone(args), func(a string) bool { return !dataFile.MatchString(a) })
		default:
			args = nil
		}
		for _, a := range args {
			if n, ok := localName(a); ok && !written[n] {
				needs = add(needs, n)
			}
		}
	}
	return needs, writes
}

// fileReaders are the programs commandFiles reads the files of.
var fileReaders = toSet(`kubectl kustomize cat bash sh source . python python3 node chmod envsubst go openssl
tee touch mkdir cp mv curl wget`)

// notOperands are programs whose words are not files they read: text
// they print or set, archives they make.
var notOperands = toSet("echo printf export set alias tar zip unzip gzip gunzip ssh-keygen")

// patternFirst are programs whose first operand is a pattern or a
// script, not a file.
var patternFirst = toSet("grep egrep fgrep sed awk")

// dataFile matches a word that names a data file by its extension
// (data.txt, values.yaml, tls.crt): an operand of another program
// (rev, wc, sha256sum, diff, jq) that names one needs it to be there.
var dataFile = regexp.MustCompile(`^["']?[^-][^ ]*\.(txt|ya?ml|json|csv|conf|cfg|ini|log|pem|crt|key|csr|env|properties|xml|toml)["']?$`)

// forced reports whether an rm argument is --force or a group of short
// options with f: rm then needs no file to be there.
func forced(a string) bool {
	return a == "--force" || len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsRune(a, 'f')
}

// scriptReaders are the programs whose first operand is a file they read
// (a script for the shells and interpreters); cat and envsubst read every
// operand.
var scriptReaders = toSet("cat envsubst source . bash sh python python3 node")

// MachineFiles returns the files outside the working folder, by absolute
// path, that shell code reads (source /usr/share/bash-completion/…, cat
// /etc/kubernetes/admin.conf, < /etc/hosts): files the reader's machine
// has, which a runner can look for before it runs the code. Not /dev,
// /proc or /sys, and not a file the code writes first.
func MachineFiles(code string) []string {
	var out []string
	written := map[string]bool{}
	add := func(w string) {
		w = strings.Trim(w, `"'`)
		if !strings.HasPrefix(w, "/") || strings.ContainsAny(w, "$`*?<>{}[]\\ \t|;&()") || written[w] ||
			strings.HasPrefix(w, "/dev/") || strings.HasPrefix(w, "/proc/") || strings.HasPrefix(w, "/sys/") ||
			slices.Contains(out, w) {
			return
		}
		out = append(out, w)
	}
	for _, c := range shell.Parse(code).Calls {
		for _, in := range c.Inputs {
			add(in)
		}
		prog, args := c.Program()
		if scriptReaders[prog] && !hasWord(args, "-c") {
			for _, a := range args {
				if strings.HasPrefix(a, "-") {
					continue
				}
				add(a)
				if prog != "cat" && prog != "envsubst" {
					break // the rest are the script's arguments
				}
			}
		}
		for _, r := range c.Redirects {
			written[strings.Trim(r, `"'`)] = true
		}
		if prog == "tee" {
			for _, a := range args {
				written[strings.Trim(a, `"'`)] = true
			}
		}
	}
	return out
}
