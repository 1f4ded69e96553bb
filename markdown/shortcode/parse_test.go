package shortcode

import (
	"errors"
	"strings"
	"testing"
)

// shape renders a parse tree compactly: the root's children separated by
// spaces; "text" for a text node, "esc" for an escaped node, "name" for a
// standalone tag, "name/" for a self-closing tag and name[children] with
// children separated by commas for a paired tag.
func shape(root *Node) string {
	var parts []string
	for _, c := range root.Children {
		parts = append(parts, nodeShape(c))
	}
	return strings.Join(parts, " ")
}

func nodeShape(n *Node) string {
	switch {
	case n.Escaped:
		return "esc"
	case n.Tag == nil:
		return "text"
	case n.Tag.SelfClosing:
		return n.Tag.Name + "/"
	case n.Close == nil:
		return n.Tag.Name
	}
	var parts []string
	for _, c := range n.Children {
		parts = append(parts, nodeShape(c))
	}
	return n.Tag.Name + "[" + strings.Join(parts, ",") + "]"
}

// checkTree verifies that the children of every node cover its content
// exactly and in order, and that tag nodes span their tags.
func checkTree(t *testing.T, src []byte, root *Node) {
	t.Helper()
	if root.Tag != nil || root.Start != 0 || root.End != len(src) {
		t.Fatalf("root = %+v, len %d", root, len(src))
	}
	checkChildren(t, root, 0, len(src))
}

func checkChildren(t *testing.T, n *Node, lo, hi int) {
	t.Helper()
	pos := lo
	for _, c := range n.Children {
		if c.Start != pos || c.End <= c.Start || c.End > hi {
			t.Fatalf("child [%d,%d) does not continue at %d (parent up to %d)", c.Start, c.End, pos, hi)
		}
		pos = c.End
		switch {
		case c.Tag == nil:
			if len(c.Children) > 0 || c.Close != nil {
				t.Fatalf("text or escaped node [%d,%d) has children", c.Start, c.End)
			}
		case c.Close == nil:
			if len(c.Children) > 0 || c.Start != c.Tag.Start || c.End != c.Tag.End {
				t.Fatalf("unpaired tag node %v spans [%d,%d) with %d children", c.Tag, c.Start, c.End, len(c.Children))
			}
		default:
			if c.Start != c.Tag.Start || c.End != c.Close.End || c.Close.Name != c.Tag.Name || !c.Close.Closing {
				t.Fatalf("paired node %v ... %v spans [%d,%d)", c.Tag, c.Close, c.Start, c.End)
			}
			in, out, ok := c.Inner()
			if !ok || in != c.Tag.End || out != c.Close.Start {
				t.Fatalf("Inner() = %d, %d, %v", in, out, ok)
			}
			checkChildren(t, c, in, out)
		}
	}
	if pos != hi {
		t.Fatalf("children end at %d, want %d", pos, hi)
	}
}

var parseTests = []struct {
	name string
	in   string
	want string
}{
	{"empty", "", ""},
	{"text", "hello", "text"},
	{"note", "{{< note >}}\nsee {{< code_sample file=\"a.yaml\" >}}{{< /note >}} after", "note[text,code_sample] text"},
	{"empty pair", "{{< note >}}{{< /note >}}", "note[]"},
	{"standalone", `{{< version-check >}} a {{< include "x" >}} {{< glossary_tooltip text="a" term_id="b" >}}`,
		"version-check text include text glossary_tooltip"},
	{"tabs", `{{< tabs name="t" >}}
{{% tab name="Linux" %}}
x
{{% /tab %}}
{{< tab name="Zsh" include="z.md" />}}
{{< /tabs >}}`, "tabs[text,tab[text],text,tab/,text]"},
	{"nested same name", `{{< tabs >}}{{< tab >}}{{< tabs >}}{{< tab >}}in{{< /tab >}}{{< /tabs >}}{{< /tab >}}{{< /tabs >}}`,
		"tabs[tab[tabs[tab[text]]]]"},
	{"siblings same name", `{{< tab >}}a{{< /tab >}}{{< tab >}}b{{< /tab >}}`, "tab[text] tab[text]"},
	{"unpaired inside pair", `{{< note >}}{{< include "x" >}}text{{< /note >}}`, "note[include,text]"},
	{"unpaired same name before pair", `{{< x >}}a{{< x >}}b{{< /x >}}`, "x text x[text]"},
	{"unpaired at end", `a{{< x >}}b{{< y >}}c`, "text x text y text"},
	{"mixed delimiter kinds", `{{< tab >}}x{{% /tab %}}`, "tab[text]"},
	{"escaped inside", "{{< note >}}\n```\n{{</* note */>}}\n```\n{{< /note >}}", "note[text,esc,text]"},
	{"escaped closing does not close", `{{< note >}}{{</* /note */>}}{{< /note >}}`, "note[esc]"},
	{"closing inside unpaired is fine", `{{< a >}}{{< b >}}x{{< /a >}}`, "a[b,text]"},
	{"deep flatten", `{{< a >}}{{< b >}}1{{< c >}}2{{< d >}}3{{< /a >}}`, "a[b,text,c,text,d,text]"},
	{"outer pairs across inner", `{{< b >}}{{< a >}}{{< b >}}{{< /a >}}{{< /b >}}`, "b[a[b]]"},
	{"corpus alert", `{{% alert title="Note" %}}body{{% /alert %}}`, "alert[text]"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.in)
			root, err := Parse(src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			checkTree(t, src, root)
			if got := shape(root); got != tt.want {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

var parseErrorTests = []struct {
	name   string
	in     string
	offset int
	msg    string
}{
	{"lex error", `ab {{< x a="b >}}`, 3, "unterminated quoted value"},
	{"stray closing", "text {{< /note >}}", 5, "unexpected closing tag {{< /note >}}"},
	{"stray markdown closing", "{{% /tab %}}", 0, "unexpected closing tag {{% /tab %}}"},
	{"double closing", "{{< note >}}{{< /note >}}{{< /note >}}", 25, "unexpected closing tag"},
	{"crossed", "{{< a >}}{{< b >}}{{< /a >}}{{< /b >}}", 28,
		"crossed nesting: closing tag {{< /b >}} for {{< b >}} at offset 9"},
	{"crossed with params", `{{< note >}}{{< tab name="x" >}}{{< /note >}}{{< /tab >}}`, 45,
		`crossed nesting: closing tag {{< /tab >}} for {{< tab name=x >}} at offset 12`},
	{"self-closing has no pair", "{{< x />}}{{< /x >}}", 10, "unexpected closing tag"},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := Parse([]byte(tt.in))
			var e *Error
			if !errors.As(err, &e) || root != nil {
				t.Fatalf("Parse(%q) = %v, %v (%T), want nil and *Error", tt.in, root, err, err)
			}
			if e.Offset != tt.offset || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("Parse(%q) error = %d %q, want %d containing %q", tt.in, e.Offset, e.Msg, tt.offset, tt.msg)
			}
		})
	}
}

func TestWalk(t *testing.T) {
	root, err := Parse([]byte(`{{< tabs >}}{{% tab %}}x{{% /tab %}}{{< /tabs >}}{{< note >}}{{< /note >}}`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	root.Walk(func(n *Node) bool {
		if n.Tag != nil {
			names = append(names, n.Tag.Name)
		}
		return n.Tag == nil || n.Tag.Name != "note"
	})
	if got := strings.Join(names, ","); got != "tabs,tab,note" {
		t.Errorf("Walk visited %s", got)
	}
}

// TestParseLinear parses a large input with deep unpaired nesting, many
// pairs and many stray tags; a quadratic pairing would take minutes.
func TestParseLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("{{< outer >}}")
	for range 100000 {
		b.WriteString("{{< open >}}t ")
	}
	b.WriteString("{{< /outer >}}")
	for range 100000 {
		b.WriteString("{{% tab %}}x{{% /tab %}}{{< g a=\"b\" >}}")
	}
	src := []byte(b.String())
	root, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, src, root)
	if n := len(root.Children); n != 200001 {
		t.Errorf("root has %d children", n)
	}
	if n := len(root.Children[0].Children); n != 200000 {
		t.Errorf("outer has %d children", n)
	}
}
