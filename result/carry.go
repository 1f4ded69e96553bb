package result

// CarryOver gives steps, the steps of a new parse of a page, the outcomes
// of old, the steps of an earlier run of it: the one rule by which serve,
// watch and watch --rerun keep outcomes over an edit of the page.
//
// Each step takes the outcome of the first unused old step of the same
// kind and code, so that a step moved by an edit above it keeps its
// outcome. Its verdict is dropped when it no longer shows expected output,
// and compared again by recompare (when not nil) when the expected output
// changed. A step without such an old step keeps what it has (no outcome);
// it is Stale when the earlier run had an outcome at all, since it did not
// run as it reads now. CarryOver returns the indexes in steps of the steps
// without an old one, in order: where a re-run starts.
func CarryOver(steps, old []*StepResult, recompare func(*StepResult)) []int {
	byKey := map[string][]*StepResult{}
	ran := false
	for _, o := range old {
		byKey[carryKey(o)] = append(byKey[carryKey(o)], o)
		ran = ran || o.Status != "" || o.Stale
	}
	var changed []int
	for i, st := range steps {
		k := carryKey(st)
		if q := byKey[k]; len(q) > 0 {
			byKey[k] = q[1:]
			carry(st, q[0], recompare)
			continue
		}
		changed = append(changed, i)
		st.Stale = ran
	}
	return changed
}

func carryKey(s *StepResult) string {
	return string(s.Kind) + "\x00" + s.Code
}

// carry gives st the outcome of o.
func carry(st, o *StepResult, recompare func(*StepResult)) {
	st.Status, st.ExitCode, st.DurationMS = o.Status, o.ExitCode, o.DurationMS
	st.Stdout, st.Stderr, st.Ran = o.Stdout, o.Stderr, o.Ran
	st.Bindings, st.SkipReason, st.Stale = o.Bindings, o.SkipReason, o.Stale
	st.Created, st.Note, st.Settle = o.Created, o.Note, o.Settle
	st.Verdict, st.Diff = o.Verdict, o.Diff
	ran := st.Status == Passed || st.Status == Failed
	switch {
	case st.Expected == nil:
		st.Verdict, st.Diff = "", ""
		if ran {
			st.Verdict = VerdictNone
		}
	case !ran:
	case o.Expected == nil || o.Expected.Text != st.Expected.Text || o.Expected.Lang != st.Expected.Lang:
		st.Verdict, st.Diff = "", ""
		if recompare != nil {
			recompare(st)
		}
	}
}
