package markdown

import (
	"regexp"
	"strings"
)

// outputShape names the kind of command output a block's text reads as,
// or returns "" when it does not read as output. Kubernetes pages show the
// output of commands in a few recognisable shapes:
//
//	table     kubectl tables (NAME  READY  STATUS ...), ps and top headers
//	box       +-----+ tables (etcdctl, mysql)
//	status    kubectl's one-line reports: deployment.apps/web created,
//	          pod "web-0" deleted, Forwarding from 127.0.0.1:8080 -> 80
//	error     Error from server (NotFound): ..., error: ..., Warning: ...
//	log       lines that start with a timestamp (klog, RFC 3339, date(1))
//	describe  kubectl describe: Name:  web, Events:
//	listing   ls -l lines
//	object    YAML or JSON read back from the API server (status,
//	          creationTimestamp, uid, resourceVersion)
//	env       KEY=value lines, as env and printenv print them
//
// Leading "..." lines (an elision) are skipped. strong is false for the
// shapes a reader could also be asked to write (object, env): those count
// as output only when no sentence asks for a file or a command.
func outputShape(code string) (shape string, strong bool) {
	lines := outputLines(code)
	if len(lines) == 0 {
		return "", false
	}
	first := lines[0]
	switch {
	case isTableHeader(first, len(lines)):
		return "table", true
	case strings.HasPrefix(first, "+-") || strings.HasPrefix(first, "|"):
		return "box", true
	case allLines(lines, isStatusLine):
		return "status", true
	case errorLine.MatchString(first):
		return "error", true
	case logLine.MatchString(first):
		return "log", true
	case describeLine.MatchString(first):
		return "describe", true
	case listingLine.MatchString(first):
		return "listing", true
	case serverObject(code):
		return "object", false
	case len(lines) >= 2 && allLines(lines, envLine.MatchString):
		return "env", false
	}
	return "", false
}

// outputLines are a block's non-blank lines, trimmed, without leading
// elision lines ("...", "[...]").
func outputLines(code string) []string {
	var out []string
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || (len(out) == 0 && (strings.Trim(t, ".") == "" || t == "[...]" || t == "…")) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func allLines(lines []string, f func(string) bool) bool {
	for _, l := range lines {
		if !f(l) {
			return false
		}
	}
	return true
}

var (
	columnSep = regexp.MustCompile(`\s{2,}|\t`)
	// A column heading: NAME, PORT(S), CPU(cores), %CPU, LAST SCHEDULE.
	headingWord = regexp.MustCompile(`^%?[A-Z][A-Z0-9_./%-]*(\([A-Za-z]+\))?$`)
)

// isTableHeader reports whether a line is the heading row of a table:
// two or more upper-case column names separated by two or more spaces, or
// a lone NAME/NAMESPACE heading over more lines.
func isTableHeader(line string, lines int) bool {
	cols := columnSep.Split(line, -1)
	if len(cols) == 1 {
		return lines > 1 && (line == "NAME" || line == "NAMESPACE")
	}
	if len(cols[0]) < 2 {
		return false
	}
	for _, c := range cols {
		for _, w := range strings.Fields(c) {
			if !headingWord.MatchString(w) {
				return false
			}
		}
	}
	return true
}

var (
	// kubectl's report of what it did to an object.
	statusVerbs = `(created|configured|unchanged|deleted|patched|edited|exposed|scaled|labeled|annotated|autoscaled|rolled back|restarted|resumed|paused|replaced|serverside-applied|cordoned|uncordoned|drained|evicted|tainted|untainted|approved|denied|image updated|env updated|resource requirements updated|pruned|condition met|successfully rolled out|skipped rollback)`
	statusLine  = regexp.MustCompile(`^(` +
		`[a-z0-9.-]+/[A-Za-z0-9.:_-]+ ` + statusVerbs + `( \((server )?dry run\))?` +
		`|[a-z0-9.-]+ "[^"]+" ` + statusVerbs +
		`|(Forwarding from|Handling connection for|Starting to serve on|Switched to context|Waiting for (deployment|daemon set|statefulset|rollout|pod)) .*` +
		`|(Context|Cluster|User|Property) "[^"]+" (set|unset|created|modified|renamed|deleted)\.?` +
		`|Found \d+ pods, using pod/.*` +
		`)$`)
	errorLine    = regexp.MustCompile(`^(Error from server|[Ee]rror: |error: |Warning: |WARNING: |The [A-Za-z]+ "[^"]*" is invalid|No resources found|Unable to connect to the server|The connection to the server|Error response from|E\d{4} \d\d:\d\d)`)
	logLine      = regexp.MustCompile(`^(\[?\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d|[IWEF]\d{4} \d\d:\d\d:\d\d|(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d+ \d\d:\d\d:\d\d|time="|level=|\{"(level|ts|time|msg)":)`)
	describeLine = regexp.MustCompile(`^((Name|Namespace|Labels|Annotations|Status|Type):\s+\S|Events:$)`)
	listingLine  = regexp.MustCompile(`^([-dlcbps][rwxsStT-]{9}[.+@]?\s+\d+\s|total \d+$)`)
	envLine      = regexp.MustCompile("^[A-Z_][A-Z0-9_]*=[^$`\"']*$")
	serverField  = regexp.MustCompile(`(?m)^\s*"?(creationTimestamp|resourceVersion|uid|managedFields|selfLink)"?:|^status:|^\s{0,2}"status":`)
)

func isStatusLine(l string) bool { return statusLine.MatchString(l) }

// serverObject reports whether YAML or JSON text carries the fields only
// the API server writes: it was read back, not written by the reader.
func serverObject(code string) bool {
	return serverField.MatchString(code)
}

// yamlKeyLine is a line of a YAML mapping or list: "key:", "key: value",
// "- key: value", "- item".
var yamlKeyLine = regexp.MustCompile(`^(- )?([A-Za-z_][A-Za-z0-9_.-]*|"[^"]+"):(\s|$)|^- \S`)

// yamlFragment reports whether a shell fence holds YAML rather than
// commands: fields of a manifest shown in the wrong fence (a container's
// command: and args:). Every line that is not blank or a comment is a YAML
// key or list item, and at least one is a key: no shell command word ends
// with a colon.
func yamlFragment(code string) bool {
	keys := 0
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if !yamlKeyLine.MatchString(t) {
			return false
		}
		if !strings.HasPrefix(t, "- ") || strings.Contains(t, ": ") {
			keys++
		}
	}
	return keys > 0
}

// valuesOnly reports whether every line of a block that is not blank or a
// comment starts with a digit: quantities or numbers shown in a shell
// fence ("128974848, 129e6, 129M"), which no command starts with.
func valuesOnly(code string) bool {
	n := 0
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if t[0] < '0' || t[0] > '9' {
			return false
		}
		n++
	}
	return n > 0
}
