package markdown

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// corpusDir is the shared corpus of real Kubernetes pages beside the
// project; tests that use it skip when it is absent.
func corpusDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "pages.tsv")); err != nil {
		t.Skipf("corpus not found at %s (it sits in ../shared beside the project): %v", dir, err)
	}
	return dir
}

// corpusPages lists the pages named in the corpus's pages.tsv.
func corpusPages(t testing.TB) []string {
	dir := corpusDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "pages.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i == 0 {
			continue
		}
		pages = append(pages, filepath.Join(dir, strings.Split(line, "\t")[0]))
	}
	return pages
}

func TestCorpusParses(t *testing.T) {
	pages := corpusPages(t)
	if len(pages) != 41 {
		t.Errorf("pages.tsv lists %d pages, want 41", len(pages))
	}
	for _, p := range pages {
		doc, err := Parse(p, Options{})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if doc.Title == "" {
			t.Errorf("%s: no title", p)
		}
		if len(doc.Steps) == 0 {
			t.Errorf("%s: no steps", p)
		}
		for _, w := range doc.Warnings {
			t.Logf("warning: %s", w)
		}
		for _, s := range doc.Steps {
			if s.Line < 1 {
				t.Errorf("%s: step %d has line %d", p, s.Index, s.Line)
			}
			if strings.Contains(s.Code, "docrun-sc:") {
				t.Errorf("%s:%d: a shortcode marker leaked into a step's code", p, s.Line)
			}
		}
	}
}

// TestReferencePage checks the steps of the project's reference page and
// its English counterpart exactly.
func TestReferencePage(t *testing.T) {
	dir := corpusDir(t)
	for _, lang := range []string{"ja", "en"} {
		t.Run(lang, func(t *testing.T) {
			p := filepath.Join(dir, "content", lang, "docs/tasks/administer-cluster/access-cluster-api.md")
			doc, err := Parse(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			type want struct {
				kind         Kind
				lang         string
				first        string
				runnable     bool
				background   bool
				network      bool
				placeholders []string
				expected     string // start of the expected output, "" for none
			}
			wants := []want{
				{KindCommand, "shell", "kubectl config view", true, false, false, nil, ""},
				{KindCommand, "shell", "kubectl proxy --port=8080 &", true, true, false, nil, ""},
				{KindCommand, "shell", "curl http://localhost:8080/api/", true, false, false, nil, "{\n  \"versions\""},
				{KindCommand, "shell", "#", true, false, false, []string{"some_server_name"}, "{\n  \"kind\": \"APIVersions\""},
				{KindGo, "golang", "package main", true, false, false, []string{"path-to-kubeconfig"}, ""},
				{KindClient, "python", "from kubernetes import client, config", true, false, false, nil, ""},
				{KindCommand, "shell", "# Clone java library", true, false, true, nil, ""},
				{KindClient, "java", "package io.kubernetes.client.examples;", true, false, false, nil, ""},
				{KindClient, "csharp", "using System;", true, false, false, nil, ""},
				{KindClient, "javascript", "const k8s = require('@kubernetes/client-node');", true, false, false, nil, ""},
				{KindClient, "haskell", "exampleWithKubeConfig :: IO ()", false, false, false, nil, ""},
			}
			if len(doc.Steps) != len(wants) {
				t.Fatalf("%d steps, want %d", len(doc.Steps), len(wants))
			}
			counts := map[Kind]int{}
			for i, w := range wants {
				s := doc.Steps[i]
				counts[s.Kind]++
				first := strings.TrimSpace(s.Code)
				if s.Kind != w.kind || s.Lang != w.lang || !strings.HasPrefix(first, w.first) ||
					s.Runnable != w.runnable || s.Background != w.background || s.Network != w.network ||
					s.Interactive || s.Host {
					t.Errorf("step %d (line %d) = %s/%s runnable=%v bg=%v net=%v int=%v host=%v %q; want %+v",
						i, s.Line, s.Kind, s.Lang, s.Runnable, s.Background, s.Network, s.Interactive, s.Host, firstLineOf(s.Code), w)
				}
				if w.placeholders == nil {
					w.placeholders = []string{}
				}
				if !reflect.DeepEqual(s.Placeholders, w.placeholders) {
					t.Errorf("step %d placeholders = %q, want %q", i, s.Placeholders, w.placeholders)
				}
				switch {
				case w.expected == "" && s.Expected != nil:
					t.Errorf("step %d has expected output %q, want none", i, s.Expected.Text)
				case w.expected != "" && (s.Expected == nil || !strings.HasPrefix(s.Expected.Text, w.expected) || s.Expected.Lang != "json"):
					t.Errorf("step %d expected = %+v, want json starting %q", i, s.Expected, w.expected)
				}
			}
			if counts[KindCommand] != 5 || counts[KindGo] != 1 || counts[KindClient] != 5 {
				t.Errorf("counts = %v, want 5 command, 1 go, 5 client", counts)
			}
			if !strings.Contains(doc.Steps[3].Code, "grep -E '^token'") {
				t.Errorf("step 3 is not the grep/cut script: %q", doc.Steps[3].Code)
			}
			if !strings.Contains(doc.Steps[6].Code, "git clone") {
				t.Errorf("step 6 is not the java clone: %q", doc.Steps[6].Code)
			}
			if doc.Sections[0].Role != "prerequisites" {
				t.Errorf("first section = %+v, want the prerequisites heading", doc.Sections[0])
			}
		})
	}
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
