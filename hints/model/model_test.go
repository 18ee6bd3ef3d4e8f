package model_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/synclens/synclens/hints/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestModel dumps what the model knows of each testdata package and compares
// it with testdata/<pkg>.golden: lock sets at each operation, summaries,
// locks every caller holds, goroutine ends and joins, objects with their
// sites, accesses with their locks. Unknown answers show as unknown.
func TestModel(t *testing.T) {
	for _, pkg := range []string{"locks", "goroutines", "accesses", "calls"} {
		t.Run(pkg, func(t *testing.T) {
			results := analysistest.Run(t, analysistest.TestData(), model.Analyzer, pkg)
			if len(results) != 1 {
				t.Fatalf("got %d results", len(results))
			}
			m := results[0].Result.(*model.Model)
			got := dump(m)
			golden := filepath.Join(analysistest.TestData(), pkg+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("model of %s differs from %s (run with -update to see):\n%s", pkg, golden, diff(string(want), got))
			}
		})
	}
}

// unresolved lists f's dynamic calls that run no package function the
// model knows of.
func unresolved(f *model.Func) []ssa.CallInstruction {
	var out []ssa.CallInstruction
	for _, b := range f.SSA.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(ssa.CallInstruction)
			if !ok || c.Common().StaticCallee() != nil || len(f.CallSitesAt(in)) > 0 {
				continue
			}
			if _, builtin := c.Common().Value.(*ssa.Builtin); builtin {
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, a, c)
		}
	}
	return b.String()
}

func dump(m *model.Model) string {
	var b strings.Builder
	pos := func(p interface{ IsValid() bool }) string { return "" }
	_ = pos
	at := func(m *model.Model, p any) string {
		switch p := p.(type) {
		case *model.Op:
			if p == nil {
				return "-"
			}
			ps := m.Position(p.Pos)
			return fmt.Sprintf("%d:%d", ps.Line, ps.Column)
		}
		return "?"
	}
	held := func(hs []*model.Held) string {
		if len(hs) == 0 {
			return "none"
		}
		var parts []string
		for _, h := range hs {
			s := h.Path.Name()
			if h.Read {
				s += "(r)"
			}
			if h.FromCaller {
				s += "(caller)"
			}
			if h.Site != nil {
				s += "@" + at(m, h.Site)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ", ")
	}
	for _, f := range m.Funcs {
		fmt.Fprintf(&b, "func %s\n", f.SSA.RelString(m.Pkg))
		for _, op := range f.Ops {
			name := "?"
			if op.Path.Valid() {
				name = op.Path.Name()
			}
			flags := ""
			if op.Deferred {
				flags += " deferred"
			}
			fmt.Fprintf(&b, "  %s %s %s%s held[%s]\n", at(m, op), op.Kind, name, flags, held(op.Held))
		}
		for _, cs := range f.Calls {
			kind := "call"
			if cs.Go {
				kind = "go"
			} else if cs.Defer {
				kind = "defer"
			}
			switch {
			case cs.Callback:
				kind += " callback"
			case cs.Dynamic:
				kind += fmt.Sprintf(" dynamic(%d)", cs.Alts)
			}
			ps := m.Position(cs.Pos)
			fmt.Fprintf(&b, "  %d:%d %s %s held[%s]\n", ps.Line, ps.Column, kind, cs.Callee.SSA.RelString(m.Pkg), held(cs.Held))
		}
		for _, in := range unresolved(f) {
			ps := m.Position(in.Pos())
			fmt.Fprintf(&b, "  %d:%d call unknown %s\n", ps.Line, ps.Column, in.Common().Description())
		}
		s := f.Summary
		if len(s.Acquires)+len(s.Returns)+len(s.Releases) > 0 {
			var acq []string
			for _, a := range s.Acquires {
				x := a.Path.Name() + "@" + at(m, a.Lock)
				if a.Read {
					x += "(r)"
				}
				if a.Always {
					x += "(always)"
				}
				if len(a.Chain) > 0 {
					x += fmt.Sprintf("(via %d calls)", len(a.Chain))
				}
				acq = append(acq, x)
			}
			var rel []string
			for _, p := range s.Releases {
				rel = append(rel, p.Name())
			}
			fmt.Fprintf(&b, "  summary: acquires[%s] returns[%s] releases[%s]\n", strings.Join(acq, ", "), held(s.Returns), strings.Join(rel, ", "))
		}
		if len(f.Requires) > 0 {
			fmt.Fprintf(&b, "  requires[%s]\n", held(f.Requires))
		}
	}
	for _, g := range m.Goroutines {
		ps := m.Position(g.Spawn.Pos)
		target := "unknown"
		if g.Target != nil {
			target = g.Target.SSA.RelString(m.Pkg)
		}
		var ends []string
		for _, e := range g.Ends {
			ends = append(ends, e.String())
		}
		if g.Forever {
			ends = append(ends, "never")
		}
		if len(ends) == 0 {
			ends = append(ends, "unknown")
		}
		var joins []string
		for _, j := range g.Joins {
			joins = append(joins, fmt.Sprintf("%s@%s", j.Kind, at(m, j)))
		}
		if len(joins) == 0 {
			joins = append(joins, "nobody")
		}
		fmt.Fprintf(&b, "goroutine %d:%d %s runs %s many=%v ends[%s] joins[%s]\n", ps.Line, ps.Column, g.Spawn.Kind, target, g.Many, strings.Join(ends, "; "), strings.Join(joins, ", "))
	}
	for _, o := range m.Objects {
		var sites []string
		for _, op := range o.Ops {
			sites = append(sites, fmt.Sprintf("%s@%s", op.Kind, at(m, op)))
		}
		capacity := ""
		if o.Kind == model.ObjChan {
			capacity = fmt.Sprintf(" cap=%d", o.Cap)
		}
		fmt.Fprintf(&b, "object %s %s%s: %s\n", o.Kind, o.Name, capacity, strings.Join(sites, " "))
	}
	var acc []string
	for _, a := range m.Accesses {
		ps := m.Position(a.Pos)
		what := ""
		switch {
		case a.Var != nil:
			what = m.FieldName(a.Var)
		case a.Cell != nil:
			what = "local " + a.Cell.Comment
		}
		if a.Map {
			what += "[]"
		}
		rw := "read"
		if a.Write {
			rw = "write"
		}
		if a.Atomic {
			rw = "atomic " + rw
		}
		extra := ""
		if a.Fresh {
			extra = " fresh"
		}
		acc = append(acc, fmt.Sprintf("access %d:%d %s %s held[%s]%s", ps.Line, ps.Column, rw, what, held(a.Held), extra))
	}
	sort.Strings(acc)
	for _, a := range acc {
		b.WriteString(a + "\n")
	}
	return b.String()
}

// TestPlacesOfEveryFunc asks how every function of the calls package runs,
// which walks the goroutine starts: a method value of an interface
// (wg.Go(r.Run)) has no function behind it and must not crash the model.
func TestPlacesOfEveryFunc(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), model.Analyzer, "calls")
	m := results[0].Result.(*model.Model)
	for _, f := range m.Funcs {
		m.Places(f)
	}
}
