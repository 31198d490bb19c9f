package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/report"
)

func TestCatalogCommand(t *testing.T) {
	rulesDir := filepath.Join(repoRoot(t), "rules")
	entries := func(args ...string) ([]report.CatalogEntry, cliResult) {
		r := cliRun(t, "", append([]string{"catalog", "--rules", rulesDir, "-o", "json"}, args...)...)
		var es []report.CatalogEntry
		if err := json.Unmarshal([]byte(r.stdout), &es); err != nil {
			t.Fatalf("catalog %v: %v\n%s", args, err, r.stdout)
		}
		return es, r
	}
	all, r := entries()
	if r.code != 0 || len(all) < 20 {
		t.Fatalf("catalog: exit %d, %d entries", r.code, len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("not sorted by id: %s before %s", all[i-1].ID, all[i].ID)
		}
	}
	// An alias, in another case and spacing, finds its entry.
	es, _ := entries("h100sxm5")
	if len(es) != 1 || es[0].ID != "nvidia-h100-sxm5-80gb" {
		t.Errorf("catalog h100sxm5 = %+v", es)
	}
	es, _ = entries("HUAWEI")
	for _, e := range es {
		if !strings.Contains(e.Vendor, "Huawei") || !e.GP10Named && strings.Contains(e.ID, "910b") {
			t.Errorf("catalog HUAWEI: %+v", e)
		}
	}
	if len(es) == 0 {
		t.Error("catalog HUAWEI: nothing")
	}
	es, r = entries("mi30ox")
	if len(es) != 0 || r.code != 0 || !strings.Contains(r.stderr, "nearest: amd-instinct-mi300x") {
		t.Errorf("catalog mi30ox: %d entries, exit %d, stderr %q; want none and the nearest on stderr", len(es), r.code, r.stderr)
	}
}

// TestUnknownNamesSuggestNearest: an order naming an unknown catalog entry
// or country code is refused with the nearest known ones.
func TestUnknownNamesSuggestNearest(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"destination: DE", "destination: UK", `destination: unknown country code "UK"; did you mean GB (United Kingdom)?`},
		{"destination: DE", "destination: CHN", `unknown country code "CHN"; did you mean CN (China)`},
		{"catalog: nvidia-h100-sxm5-80gb}", "catalog: nvidia-h100-sxm-80gb}", `unknown catalog entry "nvidia-h100-sxm-80gb"; nearest: nvidia-h100-sxm5-80gb (NVIDIA H100 SXM5 80GB)`},
	} {
		r := cliRun(t, "", cliCheckArgs(t, "-q", allowOrder(t, tt.from, tt.to))...)
		if r.code != 3 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 3 and %q", tt.to, r.code, r.stderr, tt.want)
		}
	}
}
