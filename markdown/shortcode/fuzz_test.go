package shortcode

import (
	"errors"
	"reflect"
	"testing"
)

// seeds adds every table input of the package's tests to the fuzz corpus.
func seeds(f *testing.F) {
	for _, tt := range lexTests {
		f.Add([]byte(tt.in))
	}
	for _, tt := range lexErrorTests {
		f.Add([]byte(tt.in))
	}
	for _, tt := range parseTests {
		f.Add([]byte(tt.in))
	}
	for _, tt := range parseErrorTests {
		f.Add([]byte(tt.in))
	}
}

// FuzzLex checks that Lex never panics, that its items cover the input
// exactly and in order, that errors are positioned *Error values, that a
// tag lexed alone gives the same tag, and that Parse never panics.
func FuzzLex(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		items, err := Lex(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(src) {
				t.Fatalf("error %v (%T) is not an in-bounds *Error", err, err)
			}
			end := 0
			if len(items) > 0 {
				end = items[len(items)-1].End
			}
			if end != e.Offset {
				t.Fatalf("items before the error end at %d, error at %d", end, e.Offset)
			}
			// The items before the error are still a valid lexing of the prefix.
			checkItems(t, src[:end], items)
		} else {
			checkItems(t, src, items)
			for _, it := range items {
				if it.Kind != Tag {
					continue
				}
				// A tag lexed on its own gives the same tag, shifted.
				alone, err := Lex(src[it.Start:it.End])
				if err != nil || len(alone) != 1 || alone[0].Kind != Tag {
					t.Fatalf("tag %q alone: %v, %v", src[it.Start:it.End], alone, err)
				}
				got := *alone[0].Tag
				got.Start += it.Start
				got.End += it.Start
				for i := range got.Params {
					got.Params[i].Start += it.Start
					got.Params[i].End += it.Start
				}
				if !reflect.DeepEqual(&got, it.Tag) {
					t.Fatalf("tag %q alone: %+v, in context: %+v", src[it.Start:it.End], got, *it.Tag)
				}
			}
		}
		root, perr := Parse(src)
		if err != nil && perr == nil {
			t.Fatalf("Lex failed with %v but Parse succeeded", err)
		}
		if perr == nil {
			checkTree(t, src, root)
		}
	})
}

// FuzzParse checks that Parse never panics, that its errors are positioned
// *Error values and that a successful tree covers the input exactly.
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		root, err := Parse(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(src) || root != nil {
				t.Fatalf("Parse = %v, %v (%T)", root, err, err)
			}
			return
		}
		checkTree(t, src, root)
		// Every tag of the tree is a tag of the lexing, in order.
		items, _ := Lex(src)
		var tags []*Shortcode
		for _, it := range items {
			if it.Kind == Tag {
				tags = append(tags, it.Tag)
			}
		}
		var seen []*Shortcode
		root.Walk(func(n *Node) bool {
			if n.Tag != nil {
				seen = append(seen, n.Tag)
			}
			return true
		})
		nclose := 0
		root.Walk(func(n *Node) bool {
			if n.Close != nil {
				nclose++
			}
			return true
		})
		if len(seen)+nclose != len(tags) {
			t.Fatalf("tree has %d tags and %d closings, lexing has %d tags", len(seen), nclose, len(tags))
		}
	})
}
