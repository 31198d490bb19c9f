package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

// ledgerDomain judges kind "entry" (id and amount): its Prepare keeps a
// running total across the chunks of a batch in the batch's State, and
// each decision says the total before its record. It notes every
// Prepare call.
type ledgerDomain struct {
	whole bool
	mu    sync.Mutex
	calls []prepareCall
}

type prepareCall struct {
	chunk, n int
	first    string
}

type entry struct {
	id            string
	amount, total int
}

func (l *ledgerDomain) Prepare(_ context.Context, b *record.Batch, recs []*record.Record) error {
	l.mu.Lock()
	l.calls = append(l.calls, prepareCall{chunk: b.Chunk, n: len(recs), first: recs[0].ID})
	l.mu.Unlock()
	if b.Chunk == 0 && b.State != nil {
		return fmt.Errorf("a new batch starts with state %v", b.State)
	}
	total, _ := b.State.(int)
	for _, r := range recs {
		e := r.Value.(*entry)
		e.total = total
		total += e.amount
	}
	b.State = total
	return nil
}

func (l *ledgerDomain) Decide(_ context.Context, rec *record.Record) decision.Decision {
	e := rec.Value.(*entry)
	d := decision.Decision{ID: fmt.Sprint(rec.ID, "@", e.total), Kind: rec.Kind}
	d.Finish()
	return d
}

func (l *ledgerDomain) NeedsWholeBatch() bool { return l.whole }

var entryKind = record.Kind{Name: "entry", UniqueIDs: true, Build: func(d *record.Decoder, n *record.Node) (any, string) {
	id := d.ReqStr(n, nil, "id")
	amount := d.Number(n, nil, "amount", record.NonNegative)
	e := &entry{id: id}
	if amount != nil {
		e.amount = int(*amount)
	}
	return e, id
}}

func ledgerRunner(t *testing.T, l *ledgerDomain) *Runner {
	r := *builtin(t)
	r.domains = map[string]Domain{}
	r.kinds = nil
	r.addDomain(l, []record.Kind{entryKind})
	return &r
}

// writeEntries writes n entries of amount 1 as JSONL, with extra lines
// replacing some.
func writeEntries(t *testing.T, n int, replace map[int]string) string {
	var sb strings.Builder
	for i := range n {
		if l, ok := replace[i]; ok {
			sb.WriteString(l + "\n")
			continue
		}
		fmt.Fprintf(&sb, `{"kind":"entry","id":"E%d","amount":1}`+"\n", i)
	}
	p := filepath.Join(t.TempDir(), "entries.jsonl")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Prepare sees the records chunk after chunk, in input order, with one
// batch per run carrying its state; a second run starts afresh.
func TestCheckPreparesChunksInOrder(t *testing.T) {
	const n = 5000
	l := &ledgerDomain{}
	r := ledgerRunner(t, l)
	p := writeEntries(t, n, nil)
	for run := range 2 {
		l.calls = nil
		var got []decision.Decision
		counts, probs, err := withWorkers(r, 3).Check(context.Background(), CheckOptions{}, collect(&got), p)
		if err != nil || len(probs) > 0 {
			t.Fatalf("run %d: %v %v", run, err, probs)
		}
		if counts.Allow != n || len(got) != n {
			t.Fatalf("run %d: %+v, %d decisions", run, counts, len(got))
		}
		for i, d := range got {
			if want := fmt.Sprint("E", i, "@", i); d.ID != want {
				t.Fatalf("run %d: decision %d is %s, want %s", run, i, d.ID, want)
			}
		}
		if len(l.calls) < 2 {
			t.Errorf("run %d: %d Prepare calls; the input was not chunked", run, len(l.calls))
		}
		seen := 0
		for i, c := range l.calls {
			if c.chunk != i || c.first != fmt.Sprint("E", seen) {
				t.Errorf("run %d: call %d is %+v, want chunk %d from E%d", run, i, c, i, seen)
			}
			seen += c.n
		}
	}
}

// A WholeBatch domain gets every record in one Prepare call.
func TestCheckWholeBatch(t *testing.T) {
	l := &ledgerDomain{whole: true}
	p := writeEntries(t, 5000, nil)
	var got []decision.Decision
	_, probs, err := ledgerRunner(t, l).Check(context.Background(), CheckOptions{}, collect(&got), p)
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	if len(l.calls) != 1 || l.calls[0].n != 5000 || len(got) != 5000 || got[4999].ID != "E4999@4999" {
		t.Errorf("calls %+v, %d decisions", l.calls, len(got))
	}
}

// A WholeBatch domain registered for another kind does not stop an input
// without its records from streaming; once one of its records is read the
// rest is held (OnHold says so, once) and decided in input order.
func TestCheckHoldsOnlyForWholeBatchRecords(t *testing.T) {
	stream, whole := &ledgerDomain{}, &ledgerDomain{whole: true}
	r := ledgerRunner(t, stream)
	acctKind := entryKind
	acctKind.Name = "acct"
	r.addDomain(whole, []record.Kind{acctKind})
	for _, tc := range []struct {
		name      string
		acctAt    int // line of the one acct record; -1: none
		wantHolds int
	}{{"orders only", -1, 0}, {"acct late", 4990, 1}} {
		stream.calls, whole.calls = nil, nil
		replace := map[int]string{}
		if tc.acctAt >= 0 {
			replace[tc.acctAt] = fmt.Sprintf(`{"kind":"acct","id":"A%d","amount":1}`, tc.acctAt)
		}
		holds := 0
		var got []decision.Decision
		_, probs, err := withWorkers(r, 2).Check(context.Background(), CheckOptions{OnHold: func() { holds++ }}, collect(&got), writeEntries(t, 5000, replace))
		if err != nil || len(probs) > 0 {
			t.Fatal(err, probs)
		}
		if holds != tc.wantHolds || len(got) != 5000 {
			t.Errorf("%s: %d holds, %d decisions; want %d holds", tc.name, holds, len(got), tc.wantHolds)
		}
		if len(stream.calls) < 2 {
			t.Errorf("%s: %d Prepare calls of the streaming domain: the input was held", tc.name, len(stream.calls))
		}
		if tc.acctAt >= 0 && (len(whole.calls) != 1 || got[tc.acctAt].ID != fmt.Sprint("A", tc.acctAt, "@0")) {
			t.Errorf("%s: whole-batch calls %+v, decision %d is %s", tc.name, whole.calls, tc.acctAt, got[tc.acctAt].ID)
		}
		for i, d := range got {
			if i != tc.acctAt && !strings.HasPrefix(d.ID, fmt.Sprint("E", i, "@")) {
				t.Fatalf("%s: decision %d is %s: not in input order", tc.name, i, d.ID)
			}
		}
	}
}

// An input problem stops the deciding (reading goes on, to report every
// problem), unless KeepGoing; duplicates far apart are found.
func TestCheckProblems(t *testing.T) {
	const n = 30000
	p := writeEntries(t, n, map[int]string{
		100:   `{"kind":"entry","id":"E100","amount":"x"}`,
		25000: `{"kind":"entry","id":"E3","amount":1}`,
	})
	want := []string{
		"entries.jsonl:101: amount: ",
		"entries.jsonl:25001: id: duplicate entry id \"E3\" (first at " + p + ":4)",
	}
	for _, keepGoing := range []bool{false, true} {
		var got []decision.Decision
		counts, probs, err := ledgerRunner(t, &ledgerDomain{}).Check(context.Background(), CheckOptions{KeepGoing: keepGoing}, collect(&got), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(probs) != 2 || !strings.Contains(probs[0].Error(), want[0][len("entries.jsonl"):]) || !strings.HasSuffix(probs[1].Error(), want[1][len("entries.jsonl:25001"):]) {
			t.Errorf("keepGoing %v: problems %v", keepGoing, probs)
		}
		decided := counts.Allow + counts.Review + counts.Deny
		switch {
		case keepGoing && decided != n-2:
			t.Errorf("keepGoing: %d decided, want %d", decided, n-2)
		case !keepGoing && decided >= n/2:
			t.Errorf("%d decided after a problem at line 101", decided)
		}
		if keepGoing && !slices.ContainsFunc(got, func(d decision.Decision) bool { return d.ID == "E29999@29997" }) {
			t.Error("keepGoing: the last entry is missing or its total is wrong")
		}
	}
}

// TestListsWhileReading: loading the lists while the first records are
// read decides the fixture orders exactly as loading them first does, and
// a list that cannot be loaded fails Check before any decision.
func TestListsWhileReading(t *testing.T) {
	orders := filepath.Join("..", "..", "fixtures", "orders")
	listsDir := fixtureLists(t)
	run := func(t *testing.T, opts Options) ([]decision.Decision, error) {
		t.Helper()
		opts.Now = clock
		r, err := Load(context.Background(), opts)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		var out []decision.Decision
		_, _, err = r.Check(context.Background(), CheckOptions{}, collect(&out), orders)
		return out, err
	}
	first, err := run(t, Options{ListsDir: listsDir})
	if err != nil {
		t.Fatal(err)
	}
	meanwhile, err := run(t, Options{ListsDir: listsDir, ListsWhileReading: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || len(first) != len(meanwhile) {
		t.Fatalf("%d and %d decisions", len(first), len(meanwhile))
	}
	screened := 0
	for i := range first {
		a, _ := json.Marshal(withoutRun(first[i]))
		b, _ := json.Marshal(withoutRun(meanwhile[i]))
		if string(a) != string(b) {
			t.Errorf("%s: lists loaded first %s\nwhile reading %s", first[i].ID, a, b)
		}
		for _, rs := range meanwhile[i].Reasons {
			if strings.HasPrefix(rs.Rule, "SCREEN-") && rs.Rule != "SCREEN-NOT-RUN" && rs.Rule != "SCREEN-LIST-STALE" {
				screened++
			}
		}
	}
	if screened == 0 {
		t.Error("no order has a screening finding: the lists were not used")
	}

	for _, tt := range []struct{ name, dir, want string }{
		{"missing directory", filepath.Join(t.TempDir(), "nope"), "nope"},
		{"unreadable list", func() string {
			dir := fixtureLists(t)
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if !e.IsDir() && strings.HasSuffix(e.Name(), ".csv") {
					os.WriteFile(filepath.Join(dir, e.Name()), []byte("not,a\n\"list"), 0o644)
				}
			}
			return dir
		}(), ".csv:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(t, Options{ListsDir: tt.dir, ListsWhileReading: true})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one naming %q", err, tt.want)
			}
			if len(out) > 0 {
				t.Errorf("%d decisions emitted although the lists failed to load", len(out))
			}
		})
	}
}

// TestAwaitReadsAhead: while the lists load, up to maxEarly chunks are
// taken from the reader and none is handed on before they are loaded.
func TestAwaitReadsAhead(t *testing.T) {
	for _, n := range []int{0, 3, maxEarly, maxEarly + 5} {
		r := &Runner{loaded: make(chan struct{})}
		chunks := make(chan record.Chunk, n)
		for i := range n {
			chunks <- record.Chunk{Recs: []record.Record{{ID: fmt.Sprint(i)}}}
		}
		if n < maxEarly {
			close(chunks)
		}
		type got struct {
			early []record.Chunk
			err   error
		}
		done := make(chan got, 1)
		go func() {
			e, err := r.await(chunks)
			done <- got{e, err}
		}()
		// Before the lists are loaded await hands nothing on, however
		// much was read.
		for len(chunks) > n-min(n, maxEarly) {
			runtime.Gosched()
		}
		select {
		case g := <-done:
			t.Fatalf("n=%d: await returned %d chunks before the lists were loaded", n, len(g.early))
		default:
		}
		r.loadErr = fmt.Errorf("lists broken")
		close(r.loaded)
		g := <-done
		if len(g.early) != min(n, maxEarly) || g.err == nil {
			t.Errorf("n=%d: %d chunks read ahead and error %v, want %d and the load error", n, len(g.early), g.err, min(n, maxEarly))
		}
		for i, c := range g.early {
			if c.Recs[0].ID != fmt.Sprint(i) {
				t.Errorf("n=%d: chunk %d is record %s: out of order", n, i, c.Recs[0].ID)
			}
		}
	}
}
