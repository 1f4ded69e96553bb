package html

import (
	"fmt"
	"io"
	"strings"
	"testing"

	nhtml "golang.org/x/net/html"
)

// voidTags have no end tag.
var voidTags = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// flowTags cannot sit inside a <p>: the HTML parser would close the
// paragraph before them and the tree would not be the one written.
var flowTags = map[string]bool{"address": true, "article": true, "aside": true, "blockquote": true,
	"details": true, "div": true, "dl": true, "fieldset": true, "figure": true, "footer": true,
	"form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "main": true, "nav": true, "ol": true, "p": true, "pre": true,
	"section": true, "table": true, "ul": true}

// checkHTML reports the first way doc is not well-formed HTML as written:
// an end tag that does not close the innermost open element, a block
// inside a paragraph, an element left open, or anything that can run a
// script. It also parses doc with golang.org/x/net/html.
func checkHTML(doc string) error {
	if _, err := nhtml.Parse(strings.NewReader(doc)); err != nil {
		return err
	}
	z := nhtml.NewTokenizer(strings.NewReader(doc))
	var stack []string
	for {
		tt := z.Next()
		if tt == nhtml.ErrorToken {
			if z.Err() != io.EOF {
				return z.Err()
			}
			break
		}
		tok := z.Token()
		switch tt {
		case nhtml.StartTagToken, nhtml.SelfClosingTagToken:
			switch tok.Data {
			case "script", "iframe", "object", "embed", "img", "link", "base", "form":
				return fmt.Errorf("element <%s> in a report", tok.Data)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "src" ||
					strings.EqualFold(urlScheme(browserURL(a.Val)), "javascript") {
					return fmt.Errorf("attribute %s=%q on <%s>", a.Key, a.Val, tok.Data)
				}
			}
			if flowTags[tok.Data] {
				for _, open := range stack {
					if open == "p" {
						return fmt.Errorf("<%s> inside <p> (open: %v)", tok.Data, stack)
					}
				}
			}
			if !voidTags[tok.Data] && tt == nhtml.StartTagToken {
				stack = append(stack, tok.Data)
			}
		case nhtml.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				return fmt.Errorf("</%s> closes nothing open (open: %v)", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("left open: %v", stack)
	}
	return nil
}

func TestCheckHTML(t *testing.T) {
	for doc, ok := range map[string]bool{
		`<div><p>a<br>b</p></div>`:           true,
		`<div><p>a</div>`:                    false,
		`<p><div></div></p>`:                 false,
		`<p>a`:                               false,
		`<p onclick="x()">a</p>`:             false,
		`<a href="javascript:x()">a</a>`:     false,
		"<a href=\"java\tscript:x()\">a</a>": false,
		`<script>x()</script>`:               false,
	} {
		if err := checkHTML(doc); (err == nil) != ok {
			t.Errorf("checkHTML(%q) = %v", doc, err)
		}
	}
}
