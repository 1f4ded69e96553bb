package shortcode

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// render describes an item compactly: txt:"..." for text, esc:"..." for an
// escaped tag, and <name args> or %name args% for a tag, with a leading '/'
// on the name for a closing tag and a trailing '/' for a self-closing one.
func render(src []byte, it Item) string {
	switch it.Kind {
	case Text:
		return fmt.Sprintf("txt:%q", src[it.Start:it.End])
	case Escaped:
		return fmt.Sprintf("esc:%q", it.Literal)
	}
	sc := it.Tag
	d := "<"
	if sc.Markdown {
		d = "%"
	}
	var b strings.Builder
	b.WriteString(d)
	if sc.Closing {
		b.WriteByte('/')
	}
	b.WriteString(sc.Name)
	for _, p := range sc.Params {
		b.WriteByte(' ')
		if p.Name != "" {
			b.WriteString(p.Name + "=")
		}
		fmt.Fprintf(&b, "%q", p.Value)
	}
	if sc.SelfClosing {
		b.WriteByte('/')
	}
	b.WriteString(d)
	return b.String()
}

// checkItems verifies the invariants of a successful Lex: the items cover
// src exactly, in order, without overlap or empty items; tags and params
// lie in bounds; no text item holds the start of a tag.
func checkItems(t *testing.T, src []byte, items []Item) {
	t.Helper()
	pos := 0
	for i, it := range items {
		if it.Start != pos || it.End <= it.Start || it.End > len(src) {
			t.Fatalf("item %d [%d,%d) does not continue at %d (len %d)", i, it.Start, it.End, pos, len(src))
		}
		pos = it.End
		switch it.Kind {
		case Text:
			for j := it.Start; j < it.End; j++ {
				if s := string(src[j:min(j+3, len(src))]); s == "{{<" || s == "{{%" {
					t.Fatalf("text item %d holds a tag start at %d", i, j)
				}
			}
		case Escaped:
			if !strings.HasPrefix(string(src[it.Start:]), "{{") {
				t.Fatalf("escaped item %d does not start with {{", i)
			}
		case Tag:
			sc := it.Tag
			if sc == nil || sc.Start != it.Start || sc.End != it.End {
				t.Fatalf("tag item %d has tag %+v", i, sc)
			}
			if sc.Name == "" {
				t.Fatalf("tag item %d has no name", i)
			}
			last := sc.Start
			for _, p := range sc.Params {
				if p.Start < last || p.End <= p.Start || p.End > sc.End {
					t.Fatalf("tag item %d param %+v out of order or bounds", i, p)
				}
				last = p.End
			}
		default:
			t.Fatalf("item %d has kind %v", i, it.Kind)
		}
	}
	if pos != len(src) {
		t.Fatalf("items end at %d, src has %d bytes", pos, len(src))
	}
}

var lexTests = []struct {
	name string
	in   string
	want []string
}{
	{"empty", "", nil},
	{"text only", "hello", []string{`txt:"hello"`}},
	{"note", "{{< note >}}", []string{`<note<`}},
	{"note pair", "a {{< note >}}\nb\n{{< /note >}} c", []string{
		`txt:"a "`, `<note<`, `txt:"\nb\n"`, `</note<`, `txt:" c"`}},
	{"no spaces", "{{<note>}}x{{</note>}}", []string{`<note<`, `txt:"x"`, `</note<`}},
	{"closing space after slash", "{{</ mermaid >}}", []string{`</mermaid<`}},
	{"heading", `{{% heading "prerequisites" %}}`, []string{`%heading "prerequisites"%`}},
	{"include", `{{< include "task-tutorial-prereqs.md" >}}`, []string{`<include "task-tutorial-prereqs.md"<`}},
	{"skew", `{{< skew currentVersionAddMinor -1 "." >}}`, []string{`<skew "currentVersionAddMinor" "-1" "."<`}},
	{"code_sample", `{{< code_sample file="pods/pod.yaml" >}}`, []string{`<code_sample file="pods/pod.yaml"<`}},
	{"glossary", `{{< glossary_tooltip text="Pod" term_id="pod" >}}`, []string{`<glossary_tooltip text="Pod" term_id="pod"<`}},
	{"glossary tight", `{{<glossary_tooltip text="x" term_id="y">}}`, []string{`<glossary_tooltip text="x" term_id="y"<`}},
	{"glossary unicode", `{{<glossary_tooltip text="ファイナライザー" term_id="finalizer">}}`,
		[]string{`<glossary_tooltip text="ファイナライザー" term_id="finalizer"<`}},
	{"tabs", `{{< tabs name="tab_with_code" >}}{{% tab name="Linux" %}}...{{% /tab %}}{{< /tabs >}}`, []string{
		`<tabs name="tab_with_code"<`, `%tab name="Linux"%`, `txt:"..."`, `%/tab%`, `</tabs<`}},
	{"feature-state", `{{< feature-state for_k8s_version="v1.25" state="stable" >}}`,
		[]string{`<feature-state for_k8s_version="v1.25" state="stable"<`}},
	{"self-closing", `{{< tab name="Zsh" include="included/z.md" />}}`, []string{`<tab name="Zsh" include="included/z.md"/<`}},
	{"self-closing bare", `{{< br />}}{{<br/>}}{{< br / >}}`, []string{`<br/<`, `<br/<`, `<br/<`}},
	{"self-closing after word", `{{< x a/>}}`, []string{`<x "a"/<`}},
	{"namespaced name", `{{< ns/name >}}`, []string{`<ns/name<`}},
	{"inline name", `{{< time.inline >}}`, []string{`<time.inline<`}},
	{"markdown self-closing", `{{% x /%}}`, []string{`%x/%`}},
	{"multi-line tag", "x/{{< param \"version\"\n>}}/y", []string{`txt:"x/"`, `<param "version"<`, `txt:"/y"`}},
	{"multi-line params", "{{<\n  glossary_tooltip\n  text=\"a\"\n  term_id=\"b\"\n>}}", []string{`<glossary_tooltip text="a" term_id="b"<`}},
	{"named bare", `{{< x a=b c=1.5 >}}`, []string{`<x a="b" c="1.5"<`}},
	{"named spaced", `{{< x a = "b" c= d >}}`, []string{`<x a="b" c="d"<`}},
	{"named bare at delim", `{{< x a=b>}}`, []string{`<x a="b"<`}},
	{"single quotes are not quotes", `{{< x a='v' >}}`, []string{`<x a="'v'"<`}},
	{"raw string", "{{< x `a \"b\"\nc` >}}", []string{`<x "a \"b\"\nc"<`}},
	{"raw named", "{{< x a=`>}}` >}}", []string{`<x a=">}}"<`}},
	{"escaped quote", `{{< x t="say \"hi\"" >}}`, []string{`<x t="say \"hi\""<`}},
	{"backslash kept", `{{< x p="C:\dir" >}}`, []string{`<x p="C:\\dir"<`}},
	{"delims in quotes", `{{< x text="a > b" y="50%}}" z="}}" >}}`, []string{`<x text="a > b" y="50%}}" z="}}"<`}},
	{"value with tag", `{{< x t="{{< y >}}" >}}`, []string{`<x t="{{< y >}}"<`}},
	{"quote after word", `{{< x a"b" >}}`, []string{`<x "a" "b"<`}},
	{"escaped", `{{</* note */>}}`, []string{`esc:"{{< note >}}"`}},
	{"escaped closing", `{{</* /note */>}}`, []string{`esc:"{{< /note >}}"`}},
	{"escaped markdown", `{{%/* tab name="x" */%}}`, []string{`esc:"{{% tab name=\"x\" %}}"`}},
	{"escaped empty", `{{</**/>}}`, []string{`esc:"{{<>}}"`}},
	{"escaped not interpreted", "a{{</* x \"unterminated\n {{% */>}}b", []string{
		`txt:"a"`, `esc:"{{< x \"unterminated\n {{% >}}"`, `txt:"b"`}},
	{"jsonpath", `kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'`,
		[]string{`txt:"kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'"`}},
	{"go template", `-o go-template='{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}'`,
		[]string{`txt:"-o go-template='{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'"`}},
	{"helm", "{{ .Values.x }} {{- if .y }}", []string{`txt:"{{ .Values.x }} {{- if .y }}"`}},
	{"triple brace", "{{{< x >}}}", []string{`txt:"{"`, `<x<`, `txt:"}"`}},
	{"brace at end", "a {{", []string{`txt:"a {{"`}},
	{"crlf", "{{< note >}}\r\nx\r\n{{< /note >}}", []string{`<note<`, `txt:"\r\nx\r\n"`, `</note<`}},
	{"invalid utf8", "\xff{{< x \xfe >}}\xff", []string{`txt:"\xff"`, `<x "\xfe"<`, `txt:"\xff"`}},
	{"unicode name", `{{< 注意 >}}`, []string{`<注意<`}},
	{"positional quoted only", `{{< x "a b" "c" >}}`, []string{`<x "a b" "c"<`}},
	{"empty quoted", `{{< x "" "" >}}`, []string{`<x "" ""<`}},
}

func TestLex(t *testing.T) {
	for _, tt := range lexTests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.in)
			items, err := Lex(src)
			if err != nil {
				t.Fatalf("Lex(%q): %v", tt.in, err)
			}
			checkItems(t, src, items)
			var got []string
			for _, it := range items {
				got = append(got, render(src, it))
			}
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("Lex(%q)\n got %s\nwant %s", tt.in, strings.Join(got, " | "), strings.Join(tt.want, " | "))
			}
		})
	}
}

func TestLexPositions(t *testing.T) {
	src := []byte(`ab {{< glossary_tooltip text="a > b" term_id=pod >}} {{% /tab %}}`)
	items, err := Lex(src)
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, src, items)
	sc := items[1].Tag
	if got := string(src[sc.Start:sc.End]); got != `{{< glossary_tooltip text="a > b" term_id=pod >}}` {
		t.Errorf("tag range holds %q", got)
	}
	if p := sc.Params[0]; string(src[p.Start:p.End]) != `"a > b"` || p.Value != "a > b" || p.Name != "text" {
		t.Errorf("param 0 = %+v (%q)", p, src[p.Start:p.End])
	}
	if p := sc.Params[1]; string(src[p.Start:p.End]) != `pod` || p.Value != "pod" {
		t.Errorf("param 1 = %+v", p)
	}
	if v, ok := sc.Get("term_id"); !ok || v != "pod" {
		t.Errorf("Get(term_id) = %q, %v", v, ok)
	}
	if _, ok := sc.Get("nope"); ok {
		t.Error("Get(nope) found")
	}
	if sc.Positional(0) != "" {
		t.Error("Positional(0) on a named-only tag")
	}
	cl := items[3].Tag
	if !cl.Closing || !cl.Markdown || cl.Name != "tab" || cl.Start != strings.Index(string(src), "{{%") || cl.End != len(src) {
		t.Errorf("closing tag = %+v", cl)
	}
}

func TestPositional(t *testing.T) {
	items, err := Lex([]byte(`{{< skew currentVersionAddMinor -1 "." >}}`))
	if err != nil {
		t.Fatal(err)
	}
	sc := items[0].Tag
	for i, want := range []string{"currentVersionAddMinor", "-1", ".", ""} {
		if got := sc.Positional(i); got != want {
			t.Errorf("Positional(%d) = %q, want %q", i, got, want)
		}
	}
	if got := sc.Positional(-1); got != "" {
		t.Errorf("Positional(-1) = %q", got)
	}
}

var lexErrorTests = []struct {
	name   string
	in     string
	offset int
	msg    string
}{
	{"unterminated", "abc {{< note ", 4, "unterminated shortcode: no >}} before end of input"},
	{"unterminated no name", "{{<", 0, "unterminated shortcode"},
	{"unterminated closing", "x{{< /note", 1, "unterminated shortcode"},
	{"unterminated by next tag", "{{< note\ntext\n{{< /note >}}", 0, "found {{ at offset 14"},
	{"mismatched angle", "ab{{< note %}}", 2, "mismatched delimiters: {{< closed by %}} at offset 11"},
	{"mismatched percent", "{{% note >}}", 0, "mismatched delimiters: {{% closed by >}}"},
	{"mismatched after param", `{{< x a="b"%}}`, 0, "mismatched delimiters"},
	{"mismatched closing", "{{< /note %}}", 0, "mismatched delimiters"},
	{"missing name", "x {{< >}}", 2, "missing shortcode name in {{< >}}"},
	{"missing name tight", "{{<>}}", 0, "missing shortcode name"},
	{"missing name closing", `{{< / "x" >}}`, 0, `missing shortcode name: unexpected '"' at offset 6`},
	{"missing name self-closing", "{{< / >}}x", 0, "missing shortcode name in {{< / >}}"},
	{"missing name quoted", `{{< "note" >}}`, 0, `missing shortcode name: unexpected '"' at offset 4`},
	{"spaced comment", "{{< /* note */ >}}", 0, "an escaped shortcode is written"},
	{"unterminated quote", `{{< x a="b >}}`, 0, "unterminated quoted value starting at offset 8"},
	{"quote across lines", "{{< x a=\"b\nc\" >}}", 0, "end of line"},
	{"unterminated raw", "{{< x `b >}}", 0, "unterminated raw string value starting at offset 6"},
	{"unterminated escaped quote", `{{< x "a\" >}}`, 0, "unterminated quoted value"},
	{"named then positional", `{{< x a="1" b >}}`, 0, "got named and positional params in x: positional parameter at offset 12"},
	{"positional then named", `p {{< x "1" b=2 >}}`, 2, "got named and positional params in x: named parameter at offset 14"},
	{"missing param name", `{{< x a="b" ="v" >}}`, 0, "missing parameter name before '=' at offset 12"},
	{"missing value", `{{< x a= >}}`, 0, `missing value for parameter "a" at offset 9`},
	{"missing value eof", `{{< x a=`, 0, "unterminated shortcode"},
	{"closing with params", `{{< /note x >}}`, 0, "unexpected 'x' at offset 10 in closing tag"},
	{"closing self-closing", `{{< /note />}}`, 0, "in closing tag"},
	{"unterminated escaped", "{{</* note >}}", 0, "unterminated escaped shortcode: no */>}} found"},
	{"escaped wrong kind", "{{%/* note */>}}", 0, "no */%}} found"},
	{"second tag bad", "{{< a >}} {{< b c=\"d >}}", 10, "unterminated quoted value"},
	{"lone percent", "{{%}", 0, "missing shortcode name: unexpected '}'"},
	{"empty quoted", `{{< x "" y="" >}}`, 0, "got named and positional params"},
}

func TestLexErrors(t *testing.T) {
	for _, tt := range lexErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Lex([]byte(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Lex(%q) error = %v (%T), want *Error", tt.in, err, err)
			}
			if e.Offset != tt.offset || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("Lex(%q) error = %d %q, want %d containing %q", tt.in, e.Offset, e.Msg, tt.offset, tt.msg)
			}
			if !strings.HasPrefix(e.Error(), fmt.Sprintf("shortcode: offset %d: ", tt.offset)) {
				t.Errorf("Error() = %q", e.Error())
			}
			end := 0
			if len(items) > 0 {
				end = items[len(items)-1].End
			}
			if end != tt.offset {
				t.Errorf("items before the error end at %d, not at the error offset %d", end, tt.offset)
			}
		})
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, in := range []string{
		`{{< glossary_tooltip text="Pod" term_id="pod" >}}`,
		`{{% /tab %}}`,
		`{{< tab name="Zsh" include="included/z.md" />}}`,
		"{{< x a=`say \"hi\"` b=\"a b\" c=\"q\\\"x\" d=plain e=\"ends\\\\\" \" >}}",
		`{{< skew currentVersionAddMinor -1 "." >}}`,
	} {
		items, err := Lex([]byte(in))
		if err != nil || len(items) != 1 {
			t.Fatalf("Lex(%q) = %v, %v", in, items, err)
		}
		out := items[0].Tag.String()
		again, err := Lex([]byte(out))
		if err != nil || len(again) != 1 {
			t.Fatalf("Lex(String() = %q) = %v, %v", out, again, err)
		}
		if a, b := render([]byte(in), items[0]), render([]byte(out), again[0]); a != b {
			t.Errorf("round trip of %q via %q: %s != %s", in, out, a, b)
		}
	}
}

func TestPosition(t *testing.T) {
	src := []byte("ab\ncd\n\nef")
	for _, tt := range []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {99, 4, 3}, {-1, 1, 1},
	} {
		if l, c := Position(src, tt.off); l != tt.line || c != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
}

// TestLexStrayEquals: an '=' right after the name is skipped with a
// warning, as Hugo renders such a page.
func TestLexStrayEquals(t *testing.T) {
	for _, src := range []string{`{{< x= file="a.yaml" >}}`, `{{< x = file="a.yaml" >}}`, `{{% x =file="a.yaml" %}}`} {
		items, err := Lex([]byte(src))
		if err != nil || len(items) != 1 || items[0].Tag == nil {
			t.Fatalf("Lex(%q) = %v, %v", src, items, err)
		}
		tag := items[0].Tag
		if v, _ := tag.Get("file"); v != "a.yaml" || !strings.Contains(tag.Warning, "stray '='") {
			t.Errorf("Lex(%q): file=%q, warning %q", src, v, tag.Warning)
		}
	}
}
