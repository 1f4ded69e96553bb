package runner

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	yaml "go.yaml.in/yaml/v3"
)

// Config is a docrun.yaml file: settings for pages matched by path.
//
//	pages:
//	  - match: "**/access-cluster-api.md"   # glob on the page path
//	    timeout: 10m                         # the whole page
//	    stepTimeout: 3m                      # each step
//	    set: {pod-name: web-0}               # placeholder values
//	    setFrom: {node-name: "kubectl get nodes -o name | head -1 | cut -d/ -f2"}
//	    env: {MY_VAR: value}
//	    skip: [3, "kubectl edit"]            # step indexes, or code prefixes
//	    substitutions:
//	      - literal: "--watch"
//	        replace: ""
//	      - regexp: 'sleep [0-9]+'
//	        replace: "sleep 1"
//	    insert:
//	      - after: 4
//	        code: kubectl wait --for=condition=Ready pod --all --timeout=60s
//	    replace:
//	      7: kubectl get pods -l app=nginx   # instead of ... --watch
type Config struct {
	Pages []PageConfig `yaml:"pages"`
	// Dir is the folder of the config file; globs are relative to it.
	Dir string `yaml:"-"`
}

// PageConfig is the configuration of the pages whose path matches Match.
type PageConfig struct {
	Match         string            `yaml:"match"`
	Timeout       string            `yaml:"timeout"`
	StepTimeout   string            `yaml:"stepTimeout"`
	Set           map[string]string `yaml:"set"`
	SetFrom       map[string]string `yaml:"setFrom"`
	Env           map[string]string `yaml:"env"`
	Skip          []any             `yaml:"skip"`
	Substitutions []Substitution    `yaml:"substitutions"`
	Insert        []Insert          `yaml:"insert"`
	// Replace gives a step (by index) other code to run: a
	// non-interactive substitute for an interactive step, say.
	Replace map[int]string `yaml:"replace"`

	timeout, stepTimeout time.Duration
}

// Substitution replaces text in the code of every step of a page before it
// runs: a literal string or a regular expression ($1 refers to groups, and
// ${name} to a bound placeholder).
type Substitution struct {
	Literal string `yaml:"literal"`
	Regexp  string `yaml:"regexp"`
	Replace string `yaml:"replace"`
	re      *regexp.Regexp
}

// Insert adds a hidden shell step before or after a step of the page.
type Insert struct {
	Before *int   `yaml:"before"`
	After  *int   `yaml:"after"`
	Code   string `yaml:"code"`
}

// LoadConfig reads a docrun.yaml file.
func LoadConfig(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	abs, _ := filepath.Abs(file)
	c.Dir = filepath.Dir(abs)
	for i := range c.Pages {
		p := &c.Pages[i]
		if p.Match == "" {
			return nil, fmt.Errorf("%s: pages[%d]: match is empty", file, i)
		}
		if !doublestar.ValidatePattern(p.Match) {
			return nil, fmt.Errorf("%s: pages[%d]: match %q: %v", file, i, p.Match, doublestar.ErrBadPattern)
		}
		for _, d := range []struct {
			s   string
			dst *time.Duration
		}{{p.Timeout, &p.timeout}, {p.StepTimeout, &p.stepTimeout}} {
			if d.s == "" {
				continue
			}
			v, err := time.ParseDuration(d.s)
			if err != nil {
				return nil, fmt.Errorf("%s: pages[%d]: %q is not a duration", file, i, d.s)
			}
			*d.dst = v
		}
		for j := range p.Substitutions {
			s := &p.Substitutions[j]
			switch {
			case s.Regexp != "" && s.Literal != "":
				return nil, fmt.Errorf("%s: pages[%d].substitutions[%d]: give literal or regexp, not both", file, i, j)
			case s.Regexp != "":
				re, err := regexp.Compile(s.Regexp)
				if err != nil {
					return nil, fmt.Errorf("%s: pages[%d].substitutions[%d]: %v", file, i, j, err)
				}
				s.re = re
			case s.Literal == "":
				return nil, fmt.Errorf("%s: pages[%d].substitutions[%d]: literal or regexp is needed", file, i, j)
			}
		}
		for j, in := range p.Insert {
			if (in.Before == nil) == (in.After == nil) || strings.TrimSpace(in.Code) == "" {
				return nil, fmt.Errorf("%s: pages[%d].insert[%d]: give code and one of before or after", file, i, j)
			}
		}
		for _, s := range p.Skip {
			switch s.(type) {
			case int, string:
			default:
				return nil, fmt.Errorf("%s: pages[%d].skip: %v is not a step index or a code prefix", file, i, s)
			}
		}
	}
	return &c, nil
}

// For returns the configurations that apply to a page, in file order.
func (c *Config) For(page string) []*PageConfig {
	if c == nil {
		return nil
	}
	abs, _ := filepath.Abs(page)
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil {
		rel = page
	}
	rel = filepath.ToSlash(rel)
	var out []*PageConfig
	for i := range c.Pages {
		if globMatch(c.Pages[i].Match, rel) {
			out = append(out, &c.Pages[i])
		}
	}
	return out
}

// globMatch matches a slash path against a doublestar glob (** spans
// folders). A pattern without a slash also matches the path's file name
// in any folder.
func globMatch(pattern, name string) bool {
	if doublestar.MatchUnvalidated(pattern, name) {
		return true
	}
	return !strings.Contains(pattern, "/") && doublestar.MatchUnvalidated(pattern, path.Base(name))
}

// skips reports whether a config skips a step.
func (p *PageConfig) skips(index int, code string) bool {
	for _, s := range p.Skip {
		switch v := s.(type) {
		case int:
			if v == index {
				return true
			}
		case string:
			if strings.HasPrefix(strings.TrimSpace(code), v) {
				return true
			}
		}
	}
	return false
}
