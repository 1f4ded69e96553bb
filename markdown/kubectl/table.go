package kubectl

//go:generate go run ./internal/gen

import (
	"strings"
	"sync"
)

// scope tells whether a flag is the command's own (local) or is inherited by
// its subcommands too (persistent), as in cobra.
type scope bool

const (
	local      scope = false
	persistent scope = true
)

// flag is one flag definition of kubectl's command tree.
type flag struct {
	name      string // long name, normalized (word separators are "-")
	shorthand string // one letter, or ""
	typ       string // pflag's Value.Type(): "bool", "string", "stringSlice", ...
	noOptDef  string // the value when given without one ("true" for bools); "" if it needs one
	scope     scope
}

// command is one command of kubectl's tree and the flags defined on it.
type command struct {
	path    string // "" for kubectl itself, "rollout status", ...
	aliases []string
	flags   []flag
}

// node is a command linked to its parent and children, with the flags cobra
// merges into it: its own, then its parents' persistent ones, nearest first.
type node struct {
	*command
	name     string
	parent   *node
	children []*node
	once     sync.Once
	byName   map[string]*flag
	byShort  map[byte]*flag
}

// tree links the generated table once, on first use.
var tree = sync.OnceValue(func() *node {
	nodes := make(map[string]*node, len(table))
	var root *node
	for i := range table {
		c := &table[i]
		n := &node{command: c}
		nodes[c.path] = n
		if c.path == "" {
			root = n
			continue
		}
		parent, name := "", c.path
		if i := strings.LastIndexByte(c.path, ' '); i >= 0 {
			parent, name = c.path[:i], c.path[i+1:]
		}
		n.name = name
		n.parent = nodes[parent] // the generator writes parents first
		n.parent.children = append(n.parent.children, n)
	}
	return root
})

// child is cobra's findNext: the subcommand called name or with that alias.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
		for _, a := range c.aliases {
			if a == name {
				return c
			}
		}
	}
	return nil
}

// path is the command path as words, nil for the root.
func (n *node) path() []string {
	if n.command.path == "" {
		return nil
	}
	return strings.Split(n.command.path, " ")
}

// merged fills the command's flag set the way cobra merges it before
// parsing: own flags, own persistent flags, then each parent's persistent
// flags; the first definition of a name wins.
func (n *node) merged() {
	n.once.Do(func() {
		n.byName = map[string]*flag{}
		n.byShort = map[byte]*flag{}
		add := func(f *flag) {
			if _, ok := n.byName[f.name]; ok {
				return
			}
			n.byName[f.name] = f
			if f.shorthand != "" {
				n.byShort[f.shorthand[0]] = f
			}
		}
		for i := range n.flags {
			add(&n.flags[i])
		}
		for p := n.parent; p != nil; p = p.parent {
			for i := range p.flags {
				if p.flags[i].scope == persistent {
					add(&p.flags[i])
				}
			}
		}
	})
}

// helpFlag is the flag cobra adds to the command it runs (InitDefaultHelpFlag).
var helpFlag = flag{name: "help", shorthand: "h", typ: "bool", noOptDef: "true"}

// lookup finds a flag by long name (normalized as kubectl does) on the
// command; withHelp adds cobra's help flag, which exists only on the command
// that runs, not while cobra looks for that command.
func (n *node) lookup(name string, withHelp bool) *flag {
	n.merged()
	if f := n.byName[normalize(name)]; f != nil {
		return f
	}
	if withHelp && normalize(name) == helpFlag.name {
		return &helpFlag
	}
	return nil
}

// lookupShort finds a flag by its one-letter shorthand.
func (n *node) lookupShort(c byte, withHelp bool) *flag {
	n.merged()
	if f := n.byShort[c]; f != nil {
		return f
	}
	if withHelp && c == helpFlag.shorthand[0] && n.byName[helpFlag.name] == nil {
		return &helpFlag
	}
	return nil
}

// normalize is component-base's WordSepNormalizeFunc, which kubectl applies
// to every flag name: "_" becomes "-".
func normalize(name string) string {
	return strings.ReplaceAll(name, "_", "-")
}
