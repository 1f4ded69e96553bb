package markdown

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Directive syntax, written as HTML comments so readers never see them:
//
//	<!-- docrun skip -->                    the next block is not run
//	<!-- docrun skip reason="needs a GPU" -->
//	<!-- docrun timeout=5m -->              the next block's timeout
//	<!-- docrun output=ignore -->           exact | similar | ignore
//	<!-- docrun step                        a hidden step, run but not shown
//	```shell
//	kubectl wait --for=condition=Ready pod/x
//	```
//	-->
//	<!-- docrun replace                     run this instead of the next block
//	```shell
//	kubectl get pods
//	```
//	-->
//
// Words combine: <!-- docrun timeout=5m output=similar -->.

// htmlBlock handles page-part comments (<!-- steps -->) and docrun
// directives.
func (w *walker) htmlBlock(h *ast.HTMLBlock) error {
	raw := blockText(h, w.source)
	body := bytes.TrimSpace(raw)
	if !bytes.HasPrefix(body, []byte("<!--")) {
		return nil
	}
	body = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimPrefix(body, []byte("<!--")), []byte("-->")))
	if bytes.HasPrefix(body, []byte("docrun-sc:")) {
		return nil
	}
	pos := h.Pos()
	if pos < 0 && h.Lines().Len() > 0 {
		pos = h.Lines().At(0).Start
	}
	line := w.src.pageLine(max(pos, 0))
	word, rest, _ := strings.Cut(string(body), "\n")
	fields := strings.Fields(word)
	if len(fields) == 0 {
		return nil
	}
	if fields[0] != "docrun" {
		if len(fields) == 1 && !strings.ContainsAny(fields[0], "<>") && len(body) < 40 {
			// <!-- overview -->, <!-- steps -->, <!-- whatsnext --> ...
			w.part = fields[0]
		}
		return nil
	}
	file := w.src.page
	if len(fields) >= 2 && (fields[1] == "step" || fields[1] == "replace") {
		b, err := w.embeddedBlock(rest, pos, line)
		if err != nil {
			return err
		}
		if fields[1] == "step" {
			b.hidden = true
			w.code(b)
		} else {
			w.replace = b
		}
		return nil
	}
	d := w.pending
	if d == nil {
		d = &Directives{Line: line}
	}
	words, err := splitWords(strings.Join(fields[1:], " ") + " " + rest)
	if err != nil {
		return &Error{File: file, Line: line, Msg: "docrun directive: " + err.Error()}
	}
	for _, wd := range words {
		k, v, hasV := strings.Cut(wd, "=")
		switch {
		case k == "skip" && !hasV:
			d.Skip = true
		case k == "reason" && hasV:
			d.SkipReason = v
		case k == "timeout" && hasV:
			if _, err := time.ParseDuration(v); err != nil {
				return &Error{File: file, Line: line, Msg: fmt.Sprintf("docrun directive: timeout=%s is not a duration (e.g. 30s, 5m)", v)}
			}
			d.Timeout = v
		case k == "output" && hasV:
			switch v {
			case "exact", "similar", "ignore":
				d.Output = v
			default:
				return &Error{File: file, Line: line, Msg: fmt.Sprintf("docrun directive: output=%s (want exact, similar or ignore)", v)}
			}
		default:
			return &Error{File: file, Line: line, Msg: fmt.Sprintf("unknown docrun directive %q (known: skip, reason=, timeout=, output=, step, replace)", wd)}
		}
	}
	w.pending = d
	return nil
}

// embeddedBlock reads the fenced block inside a "docrun step" or "docrun
// replace" comment, parsing it with goldmark like the page itself.
func (w *walker) embeddedBlock(rest string, pos, line int) (*block, error) {
	rest = strings.TrimSuffix(strings.TrimSpace(rest), "-->")
	src := []byte(rest)
	root := goldmark.New().Parser().Parse(text.NewReader(src))
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		fc, ok := c.(*ast.FencedCodeBlock)
		if !ok {
			continue
		}
		lang := ""
		if fc.Info != nil {
			lang = firstWord(string(fc.Info.Segment.Value(src)))
		}
		return &block{lang: lang, code: linesText(fc, src), pos: pos,
			line: line + 1 + bytes.Count(src[:max(fc.Pos(), 0)], []byte("\n")), dirLine: line}, nil
	}
	return nil, &Error{File: w.src.page, Line: line, Msg: "docrun step/replace directive needs a fenced code block inside the comment"}
}

// splitWords splits directive words, honouring double quotes.
func splitWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && !in:
			in = true
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated quote")
			}
			v, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, err
			}
			cur.WriteString(v)
			i = j
			in = false
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out, nil
}
