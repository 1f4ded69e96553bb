package html

import (
	"os"
	"testing"

	"github.com/docrun/docrun/markdown"
)

func TestSmoke(t *testing.T) {
	p, err := markdown.ParsePage("../../../shared/corpus/content/ja/docs/tasks/administer-cluster/access-cluster-api.md", markdown.Options{})
	if err != nil { t.Fatal(err) }
	f, _ := os.Create("/tmp/smoke.html")
	defer f.Close()
	if err := Render(f, &Report{Page: p, Generator: "docrun test"}); err != nil { t.Fatal(err) }
}
