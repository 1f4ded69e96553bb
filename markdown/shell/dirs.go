package shell

import "mvdan.cc/sh/v3/syntax"

// Dirs returns the operands of the cd commands a script runs in its own
// shell, in order: those of its top-level statements and of && and ||
// chains of them, not those in subshells, functions, loops, command
// substitutions or the background, which leave the shell's working
// directory alone. A cd without an operand gives "". An operand with
// expansions keeps its source text ($HOME/x). A script that did not
// parse gives none.
func (s *Script) Dirs() []string {
	if s.File == nil {
		return nil
	}
	var dirs []string
	var visit func(st *syntax.Stmt)
	visit = func(st *syntax.Stmt) {
		if st == nil || st.Background || st.Coprocess {
			return
		}
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			if len(c.Args) == 0 {
				return
			}
			if w, ok := literal(c.Args[0]); !ok || w != "cd" {
				return
			}
			args := c.Args[1:]
			// cd -P DIR, cd -L DIR: the options do not change where it goes
			for len(args) > 0 {
				if w, ok := literal(args[0]); ok && (w == "-P" || w == "-L" || w == "--") {
					args = args[1:]
					continue
				}
				break
			}
			if len(args) == 0 {
				dirs = append(dirs, "")
				return
			}
			dirs = append(dirs, s.word(args[0]))
		case *syntax.BinaryCmd:
			if c.Op == syntax.AndStmt || c.Op == syntax.OrStmt {
				visit(c.X)
				visit(c.Y)
			}
		}
	}
	for _, st := range s.File.Stmts {
		visit(st)
	}
	return dirs
}
