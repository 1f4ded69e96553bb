package shortcode

import "fmt"

// Node is a shortcode with its paired content, built by Parse.
//
// There are four kinds of node:
//   - the root: Tag == nil, not Escaped, covering all of the source;
//   - a text node: Tag == nil, not Escaped, no Children, src[Start:End];
//   - an escaped node: Escaped, Literal holds the text Hugo outputs;
//   - a tag node: Tag != nil; Close != nil when the tag is paired with a
//     closing tag, in which case Children cover the content in between.
type Node struct {
	// Tag is the opening (or standalone, or self-closing) tag; nil for
	// the root, text and escaped nodes.
	Tag *Shortcode
	// Close is the matching closing tag, nil when the tag is not paired.
	Close *Shortcode
	// Start and End are the byte range of the node: for a tag node from
	// Tag.Start to Close.End (or Tag.End when unpaired).
	Start, End int
	// Children are the nodes between Tag and Close (text nodes, escaped
	// nodes and tag nodes), covering that range completely and in order.
	// For the root they cover the whole source.
	Children []*Node
	// Literal is the escaped node's literal text.
	Literal string
	// Escaped marks an escaped node.
	Escaped bool
}

// Inner returns the byte range of the content of a paired tag node, from
// the end of Tag to the start of Close. ok is false for other nodes.
func (n *Node) Inner() (start, end int, ok bool) {
	if n.Tag == nil || n.Close == nil {
		return 0, 0, false
	}
	return n.Tag.End, n.Close.Start, true
}

// Walk calls fn for n and then, if fn returns true, for each child in
// order, depth first.
func (n *Node) Walk(fn func(*Node) bool) {
	if !fn(n) {
		return
	}
	for _, c := range n.Children {
		c.Walk(fn)
	}
}

// frame is an opening tag waiting for its closing tag.
type frame struct {
	node     *Node
	children []*Node
}

// Parse lexes src and pairs opening and closing tags into a tree whose root
// has Tag == nil and covers all of src.
//
// An opening tag (not self-closing) is paired with the nearest later
// closing tag of the same name at the same nesting depth. Tags left open
// when their enclosing tag closes, or at the end of input, are standalone:
// they get no children and the nodes after them stay siblings. A closing
// tag without an open tag of that name is an error, reported as crossed
// nesting when a tag of that name was made standalone by the closing of an
// enclosing tag. Closing tags are matched by name only, so {{% /tab %}} may
// close {{< tab >}}. Parse runs in time linear in the number of items.
//
// The error, if any, is an *Error.
func Parse(src []byte) (*Node, error) {
	items, err := Lex(src)
	if err != nil {
		return nil, err
	}
	root := &Node{Start: 0, End: len(src)}
	stack := []*frame{{node: root}}
	open := map[string]int{}           // name -> number of frames on the stack
	crossed := map[string]*Shortcode{} // name -> a tag left standalone by a closing tag
	for _, it := range items {
		top := stack[len(stack)-1]
		switch it.Kind {
		case Text:
			top.children = append(top.children, &Node{Start: it.Start, End: it.End})
		case Escaped:
			top.children = append(top.children, &Node{Start: it.Start, End: it.End, Literal: it.Literal, Escaped: true})
		case Tag:
			sc := it.Tag
			if !sc.Closing {
				n := &Node{Tag: sc, Start: sc.Start, End: sc.End}
				if sc.SelfClosing {
					top.children = append(top.children, n)
				} else {
					stack = append(stack, &frame{node: n})
					open[sc.Name]++
				}
				continue
			}
			if open[sc.Name] == 0 {
				if o := crossed[sc.Name]; o != nil {
					return nil, &Error{Offset: sc.Start, Msg: fmt.Sprintf(
						"crossed nesting: closing tag %s for %s at offset %d, which is inside another tag closed before it",
						sc, o, o.Start)}
				}
				return nil, &Error{Offset: sc.Start, Msg: fmt.Sprintf("unexpected closing tag %s", sc)}
			}
			k := len(stack) - 1
			for stack[k].node.Tag.Name != sc.Name {
				crossed[stack[k].node.Tag.Name] = stack[k].node.Tag
				k--
			}
			f := stack[k]
			f.children = flatten(f.children, stack[k+1:], open)
			open[sc.Name]--
			f.node.Close = sc
			f.node.End = sc.End
			f.node.Children = f.children
			stack = stack[:k]
			parent := stack[k-1]
			parent.children = append(parent.children, f.node)
		}
	}
	root.Children = flatten(stack[0].children, stack[1:], open)
	return root, nil
}

// flatten appends the unpaired frames to children: each frame's tag as a
// standalone node followed by the nodes collected after it. Every node is
// moved once, which keeps Parse linear.
func flatten(children []*Node, frames []*frame, open map[string]int) []*Node {
	for _, f := range frames {
		open[f.node.Tag.Name]--
		children = append(children, f.node)
		children = append(children, f.children...)
	}
	return children
}
