package html

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/docrun/docrun/markdown"
)

// The expanded page carries block shortcodes as HTML comments:
// <!--docrun-sc:N--> before the content of mark N and <!--docrun-sc:/N-->
// after it. goldmark puts them where they fall: an HTML block of their own,
// or inline raw HTML inside a paragraph. A wrapper <div> must enclose whole
// blocks, so each pair is lifted to the nearest common container that may
// hold blocks: the wrapper opens before the child of that container which
// holds the opening marker and closes after the child which holds the
// closing one. Ranges of properly nested shortcodes stay properly nested.

var markerRe = regexp.MustCompile(`<!--docrun-sc:(/?)(\d+)-->`)

// markPlan says what to emit around which nodes.
type markPlan struct {
	before map[ast.Node][]int // open these marks before entering the node
	after  map[ast.Node][]int // close these marks after leaving the node
	skip   map[ast.Node]bool  // marker-only nodes: render nothing
	alone  map[ast.Node][]int // unpaired marks drawn where the node is
}

type markerAt struct {
	node  ast.Node
	close bool
	id    int
}

// planMarks finds the marker nodes of a page and plans its wrappers.
func planMarks(p *markdown.Page) markPlan {
	plan := markPlan{before: map[ast.Node][]int{}, after: map[ast.Node][]int{},
		skip: map[ast.Node]bool{}, alone: map[ast.Node][]int{}}
	var found []markerAt
	_ = ast.Walk(p.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var text string
		switch n := n.(type) {
		case *ast.HTMLBlock:
			text = htmlBlockText(n, p.Source)
		case *ast.RawHTML:
			text = rawText(n, p.Source)
		default:
			return ast.WalkContinue, nil
		}
		if !strings.Contains(text, "<!--docrun-sc:") {
			return ast.WalkSkipChildren, nil
		}
		ms := markerRe.FindAllStringSubmatchIndex(text, -1)
		rest := markerRe.ReplaceAllString(text, "")
		if strings.TrimSpace(rest) != "" {
			// Markers inside other raw HTML: the sanitizer drops them.
			return ast.WalkSkipChildren, nil
		}
		plan.skip[n] = true
		for _, m := range ms {
			id, _ := strconv.Atoi(text[m[4]:m[5]])
			found = append(found, markerAt{node: n, close: m[3] > m[2], id: id})
		}
		return ast.WalkSkipChildren, nil
	})
	opens := map[int]ast.Node{}
	closes := map[int]ast.Node{}
	var order []int
	for _, f := range found {
		if f.id < 0 || f.id >= len(p.Marks) {
			continue
		}
		if f.close {
			if _, ok := closes[f.id]; !ok {
				closes[f.id] = f.node
			}
			continue
		}
		if _, ok := opens[f.id]; !ok {
			opens[f.id] = f.node
			order = append(order, f.id)
		}
	}
	for _, id := range order {
		o := opens[id]
		c, paired := closes[id]
		if !paired || !p.Marks[id].Paired {
			plan.alone[o] = append(plan.alone[o], id)
			plan.skip[o] = false
			continue
		}
		a, z := liftPair(o, c)
		plan.before[a] = append(plan.before[a], id)
		// Inner marks close first: they were opened later.
		plan.after[z] = append([]int{id}, plan.after[z]...)
	}
	return plan
}

// liftPair returns the siblings a wrapper spans: the children of the
// nearest common flow container of o and c that hold o and c.
func liftPair(o, c ast.Node) (ast.Node, ast.Node) {
	anc := map[ast.Node]bool{}
	for n := o; n != nil; n = n.Parent() {
		anc[n] = true
	}
	lca := c
	for lca != nil && !anc[lca] {
		lca = lca.Parent()
	}
	for lca != nil && !flowContainer(lca) {
		lca = lca.Parent()
	}
	if lca == nil {
		return o, c
	}
	return childHolding(lca, o), childHolding(lca, c)
}

func childHolding(anc, n ast.Node) ast.Node {
	for n.Parent() != nil && n.Parent() != anc {
		n = n.Parent()
	}
	return n
}

func htmlBlockText(n *ast.HTMLBlock, src []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(src))
	}
	return b.String()
}

func rawText(n *ast.RawHTML, src []byte) string {
	var b strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// label is a localised string of the site, or def.
func (b *body) label(key, def string) string {
	if s := b.site.T(b.lang, key); s != "" {
		return s
	}
	return def
}

// openMark writes the opening of a paired shortcode's wrapper and records
// it as open among owner's children.
func (b *body) openMark(w util.BufWriter, id int, owner ast.Node) {
	m := b.page.Marks[id]
	tag := "div"
	switch {
	case m.Unknown:
		w.WriteString(`<div class="shortcode unknown" role="note"><p class="sc-label">`)
		b.unknownLabel(w, m)
		w.WriteString("</p>\n")
	case m.Name == "note" || m.Name == "caution" || m.Name == "warning":
		w.WriteString(`<div class="callout callout-` + m.Name + `" role="note"><p class="callout-label">`)
		escape(w, b.label(m.Name, strings.ToUpper(m.Name[:1])+m.Name[1:]+":"))
		w.WriteString("</p>\n")
	case m.Name == "alert":
		w.WriteString(`<div class="callout callout-alert" role="note">`)
		if t := m.Params["title"]; t != "" {
			w.WriteString(`<p class="callout-label">`)
			escape(w, t)
			w.WriteString("</p>")
		}
		w.WriteByte('\n')
	case m.Name == "tabs":
		w.WriteString(`<div class="tabs">`)
		w.WriteByte('\n')
	case m.Name == "tab":
		w.WriteString(`<div class="tab"><p class="tab-label">`)
		name := m.Params["name"]
		if name == "" && len(m.Args) > 0 {
			name = m.Args[0]
		}
		escape(w, name)
		w.WriteString("</p>\n")
	case m.Name == "details":
		tag = "details"
		w.WriteString(`<details open><summary>`)
		escape(w, firstNonEmpty(m.Params["summary"], m.Params["title"], "Details"))
		w.WriteString("</summary>\n")
	case m.Name == "table":
		w.WriteString(`<div class="sc-table">`)
		if c := m.Params["caption"]; c != "" {
			w.WriteString(`<p class="caption">`)
			escape(w, c)
			w.WriteString("</p>")
		}
		w.WriteByte('\n')
	default:
		w.WriteString(`<div class="shortcode sc-` + cssName(m.Name) + `">`)
		w.WriteByte('\n')
	}
	b.push(openElem{tag: tag, owner: owner, mark: id})
}

// closeMark closes mark id's wrapper and whatever is still open inside it.
func (b *body) closeMark(w util.BufWriter, id int) {
	for i := len(b.stack) - 1; i >= 0; i-- {
		if b.stack[i].mark == id {
			for len(b.stack) > i {
				b.closeTop(w)
			}
			return
		}
	}
}

// standalone draws unpaired shortcodes (feature-state, thirdparty-content,
// unknown ones, ...) where their marker is: as a block, or inline inside
// a paragraph.
func (b *body) standalone(w writer, ids []int, block bool) {
	tag := "span"
	if block {
		tag = "div"
	}
	for _, id := range ids {
		m := b.page.Marks[id]
		switch {
		case m.Unknown:
			w.WriteString("<" + tag + ` class="shortcode unknown" role="note">`)
			b.unknownLabel(w, m)
		case m.Name == "feature-state":
			w.WriteString("<" + tag + ` class="feature-state">`)
			escape(w, b.label("feature_state", "FEATURE STATE:"))
			w.WriteString(" <code>Kubernetes ")
			escape(w, firstNonEmpty(m.Params["for_k8s_version"], m.Params["for_kubernetes_version"]))
			if s := m.Params["state"]; s != "" {
				w.WriteString(" [")
				escape(w, s)
				w.WriteString("]")
			}
			w.WriteString("</code>")
			if g := m.Params["feature_gate_name"]; g != "" {
				w.WriteString(` <span class="gate">(feature gate <code>`)
				escape(w, g)
				w.WriteString("</code>)</span>")
			}
		case m.Name == "thirdparty-content":
			w.WriteString("<" + tag + ` class="callout callout-thirdparty" role="note">`)
			key, def := "thirdparty_message", thirdPartyMessage
			if m.Params["single"] == "true" || m.Params["vendor"] == "true" {
				key, def = "thirdparty_message_single", thirdPartyMessageSingle
			}
			escape(w, b.label(key, def))
		case m.Name == "figure":
			w.WriteString("<" + tag + ` class="figure">[image: `)
			escape(w, firstNonEmpty(m.Params["alt"], m.Params["title"], m.Params["src"]))
			w.WriteString("]")
			if c := m.Params["caption"]; c != "" {
				w.WriteString(" ")
				escape(w, c)
			}
		case m.Name == "glossary_definition":
			w.WriteString("<" + tag + ` class="shortcode sc-glossary">`)
			escape(w, "Glossary: "+firstNonEmpty(m.Params["term_id"], m.Params["name"]))
		default:
			w.WriteString("<" + tag + ` class="shortcode sc-` + cssName(m.Name) + `">`)
			w.WriteString("<code>")
			escape(w, shortcodeText(m))
			w.WriteString("</code>")
		}
		w.WriteString("</" + tag + ">")
		if block {
			w.WriteByte('\n')
		}
	}
}

func (b *body) unknownLabel(w writer, m *markdown.Mark) {
	w.WriteString(`Unknown shortcode <code>`)
	escape(w, shortcodeText(m))
	w.WriteString(`</code> (line `)
	w.WriteString(strconv.Itoa(m.Line))
	w.WriteString(`): shown as its content, not as the site renders it`)
}

// shortcodeText is a shortcode as written: {{< name arg key="value" >}}.
func shortcodeText(m *markdown.Mark) string {
	var sb strings.Builder
	sb.WriteString("{{< " + m.Name)
	for _, a := range m.Args {
		sb.WriteString(" " + strconv.Quote(a))
	}
	keys := make([]string, 0, len(m.Params))
	for k := range m.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sb.WriteString(" " + k + "=" + strconv.Quote(m.Params[k]))
	}
	sb.WriteString(" >}}")
	return sb.String()
}

// cssName keeps the letters, digits and dashes of a shortcode name.
func cssName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

const (
	thirdPartyMessage = "Items on this page refer to third party products or projects that provide functionality required by Kubernetes. " +
		"The Kubernetes project authors aren't responsible for those third-party products or projects."
	thirdPartyMessageSingle = "Items on this page refer to a third party product or project that provides functionality required by Kubernetes. " +
		"The Kubernetes project authors aren't responsible for that third-party product or project."
)
