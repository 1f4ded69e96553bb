package serve

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/docrun/docrun/render/html"
	"github.com/docrun/docrun/result"
)

// LiveCSP is the Content-Security-Policy of a page of docrun serve: the
// report's, but the page's own script, requests to its server and forms
// posting to it are allowed.
const LiveCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'"

// controls make a report a page of docrun serve (html.Controls): each step
// that can run gets a form with Run and "Run from here" buttons and an
// editor of its code, the header a Reset form and the session's state, and
// the page loads one script, which streams the output of a running step
// and reloads the page when it changes. Without the script the forms still
// work (the server answers with a redirect).
type controls struct {
	// Action is the URL the steps' forms post to, with fields step (the
	// step's position in Result.Steps), do ("run", "from", or "edited"
	// with the reader's version of the code in field code).
	Action string
	// Reset is the URL the Reset form posts to.
	Reset string
	// Fields are hidden fields every form carries (name, value pairs).
	Fields [][2]string
	// Script is the URL of the page's script; Events of its event stream.
	Script, Events string
	// Index is the URL of the index of pages.
	Index string
	// Session says what the page's session is ("no session yet", ...).
	Session string
	// Error is shown above the page (a parse error of an edited page).
	Error string
	// Run is the position in Result.Steps of the step running now, or -1.
	Run int
	// Placeholders are, by position in Result.Steps, the placeholders of
	// the step the reader may give a value to: the form has a field
	// "set.NAME" for each.
	Placeholders map[int][]result.Binding
}

var _ html.Controls = (*controls)(nil)

var controlsTmpl = template.Must(template.New("head").Parse(`<meta name="docrun-events" content="{{.C.Events}}">
<script src="{{.C.Script}}" defer></script>
<title>{{.Title}} · docrun serve</title>`))

func init() {
	template.Must(controlsTmpl.New("header").Parse(`<p class="crumb"><a href="{{.Index}}">docrun serve</a> · <span id="docrun-session">{{.Session}}</span></p>
<form class="reset" method="post" action="{{.Reset}}">{{range .Fields}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">{{end}}<button type="submit">Reset</button> <span class="hint">ends this page's session: its shell, processes and namespace</span></form>
{{- with .Error}}
<pre class="page-error" id="docrun-page-error">{{.}}</pre>{{end}}`))
	template.Must(controlsTmpl.New("step").Parse(`<form class="run" method="post" action="{{.C.Action}}">` +
		`{{range .C.Fields}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">{{end}}` +
		`<input type="hidden" name="step" value="{{.Pos}}">` +
		`{{range .Placeholders}}<label class="placeholder"><code>&lt;{{.Name}}&gt;</code> <input type="text" name="set.{{.Name}}" value="{{.Value}}"{{with .Source}} placeholder="{{.}}"{{end}}></label> {{end}}` +
		`<button type="submit" name="do" value="run">Run</button> <button type="submit" name="do" value="from">Run from here</button>` +
		`<details class="edit"><summary>Edit</summary><textarea name="code" rows="{{.Rows}}" spellcheck="false">{{.Code}}</textarea>` +
		`<button type="submit" name="do" value="edited">Run edited</button></details></form>` + "\n"))
	template.Must(controlsTmpl.New("footer").Parse(`Served by {{.}}. Everything shown from the page and from command output is text.`))
}

// exec runs one of the templates (which do not fail on these data; if
// one did, the page says so where the control would be).
func exec(name string, data any) template.HTML {
	var b bytes.Buffer
	if err := controlsTmpl.ExecuteTemplate(&b, name, data); err != nil {
		return template.HTML(template.HTMLEscapeString("docrun: " + err.Error()))
	}
	return template.HTML(b.String())
}

func (c *controls) CSP() string { return LiveCSP }

func (c *controls) Head(title string) template.HTML {
	return exec("head", struct {
		C     *controls
		Title string
	}{c, title})
}

func (c *controls) Header() template.HTML { return exec("header", c) }

func (c *controls) Running(pos int) bool { return pos == c.Run }

func (c *controls) Step(pos int, st *result.StepResult) template.HTML {
	code := st.Step.Code
	return exec("step", struct {
		C            *controls
		Pos          int
		Placeholders []result.Binding
		Rows         int
		Code         string
	}{c, pos, c.Placeholders[pos], min(max(strings.Count(code, "\n")+1, 2), 20), code})
}

func (c *controls) Footer(generator string) template.HTML { return exec("footer", generator) }
