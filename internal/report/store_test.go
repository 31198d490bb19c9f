package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// manyResults is ciResults three times over, the files interleaved and
// the problems last, as a run of several files reports them.
func manyResults() []any {
	var decs, probs []any
	for i := range 3 {
		for _, v := range ciResults() {
			switch x := v.(type) {
			case decision.Decision:
				x.ID = fmt.Sprintf("%s-%d", x.ID, i)
				decs = append(decs, x)
			default:
				probs = append(probs, x)
			}
		}
	}
	return append(decs, probs...)
}

// TestReportsStreamed: JUnit and SARIF hold their cases and results in a
// store, out of memory past storeMem; the document is the same whether
// the store spilled to a file or not, JUnit's is laid out exactly as
// encoding/xml indents the whole document, and every case comes out in
// its suite, in arrival order.
func TestReportsStreamed(t *testing.T) {
	vs := manyResults()
	render := func(format string, mem int) string {
		defer func(old int) { storeMem = old }(storeMem)
		storeMem = mem
		return renderCI(t, format, ciMeta, vs)
	}
	for _, format := range []string{JUnit, SARIF} {
		inMemory, spilled := render(format, 1<<20), render(format, 256)
		if inMemory != spilled {
			t.Errorf("%s: the spilled store gives another document:\n%s\n%s", format, inMemory, spilled)
		}
	}

	out := render(JUnit, 256)
	var doc JUnitSuites
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	again, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if want := xml.Header + string(again) + "\n"; out != want {
		t.Errorf("JUnit is not laid out as encoding/xml lays out the document:\n%s\nwant\n%s", out, want)
	}
	var order []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.File != s.Name {
				t.Errorf("case %s of %s in suite %s", c.Name, c.File, s.Name)
			}
			if strings.HasPrefix(c.Name, "SO-1") || strings.HasPrefix(c.Name, "SO-2") {
				order = append(order, c.Name)
			}
		}
	}
	if strings.Join(order, " ") != "SO-1 <deny>-0 SO-2-0 SO-1 <deny>-1 SO-2-1 SO-1 <deny>-2 SO-2-2" {
		t.Errorf("cases of orders.yaml in the order %v, want arrival order", order)
	}
	if doc.Tests != len(vs) {
		t.Errorf("%d tests, want %d", doc.Tests, len(vs))
	}

	var log SARIFLog
	if err := json.Unmarshal([]byte(render(SARIF, 256)), &log); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, v := range vs {
		if d, ok := v.(decision.Decision); ok {
			want += len(findings(&d))
		} else {
			want++
		}
	}
	if got := len(log.Runs[0].Results); got != want {
		t.Errorf("SARIF: %d results, want %d", got, want)
	}
}
