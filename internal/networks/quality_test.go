package networks_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/networks/netgen"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// outcome is what a population's decisions came to.
type outcome struct {
	net, netFlagged, benign, benignFlagged, denied int
	benignDenied                                   int
}

// decide writes cfg's population as JSON Lines and decides it as
// `chipcheck check FILE` does.
func decide(t *testing.T, run *runner.Runner, cfg netgen.Config) outcome {
	t.Helper()
	accts := netgen.Generate(cfg)
	network := map[string]bool{}
	for i := range accts {
		network[accts[i].AccountID] = accts[i].Network()
	}
	file := filepath.Join(t.TempDir(), "activity.jsonl")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := netgen.WriteJSONL(f, accts); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	recs, probs := run.Read(ctx, runner.ReadOptions{}, file)
	if len(probs) > 0 {
		t.Fatalf("generated records are invalid: %v", probs[0])
	}
	var o outcome
	_, err = run.Decide(ctx, recs, runner.Sink{Emit: func(d decision.Decision, _ []byte) error {
		if d.Failed() {
			return fmt.Errorf("%s: %v", d.ID, d.Reasons)
		}
		flagged := d.Decision != decision.Allow
		if network[d.ID] {
			o.net++
			if flagged {
				o.netFlagged++
			}
			return nil
		}
		o.benign++
		if flagged {
			o.benignFlagged++
		}
		if d.Decision == decision.Deny {
			o.benignDenied++
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (o outcome) recall() float64 { return float64(o.netFlagged) / float64(o.net) }
func (o outcome) fpr() float64    { return float64(o.benignFlagged) / float64(o.benign) }

// TestQualityAcrossSeedsAndShapes decides smaller populations of several
// seeds and network shapes (one campaign, a few operations, many small
// cells; more or less camouflage) and holds each to the targets the
// full-scale benchmark (bench/netquality) measures, with room for the
// noise of small samples.
func TestQualityAcrossSeedsAndShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("decides tens of thousands of accounts")
	}
	run, err := runner.Load(context.Background(), runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	shapes := []struct {
		name string
		edit func(*netgen.Config)
	}{
		{"one campaign", func(c *netgen.Config) {}},
		{"five operations", func(c *netgen.Config) { c.Cells, c.Sharing = 5, 0.5 }},
		{"cells of 40", func(c *netgen.Config) { c.Cells, c.Sharing, c.Camouflage = 15, 0.7, 0.5 }},
		{"little sharing, strong prompts", func(c *netgen.Config) { c.Sharing, c.PromptOverlap = 0.2, 0.7 }},
	}
	for _, sh := range shapes {
		for _, seed := range []uint64{3, 17, 101} {
			t.Run(fmt.Sprintf("%s/seed%d", sh.name, seed), func(t *testing.T) {
				cfg := netgen.Default()
				cfg.Seed, cfg.Benign, cfg.Network = seed, 4000, 500
				sh.edit(&cfg)
				o := decide(t, run, cfg)
				t.Logf("network %d/%d flagged (%.2f%%), benign %d/%d (%.3f%%)", o.netFlagged, o.net, 100*o.recall(), o.benignFlagged, o.benign, 100*o.fpr())
				if o.recall() < 0.97 {
					t.Errorf("flagged %.2f%% of network accounts, want at least 97%%", 100*o.recall())
				}
				if o.fpr() > 0.005 {
					t.Errorf("flagged %.3f%% of benign accounts, want at most 0.5%%", 100*o.fpr())
				}
				if o.benignDenied > 0 {
					t.Errorf("%d benign accounts denied: behaviour and benign overlaps must never deny", o.benignDenied)
				}
			})
		}
	}
}

// TestDetectionDegradesWithSharing: with nothing shared and no prompt
// overlap, only the accounts whose own usage gives them away are found,
// so detection falls to about the share that is not camouflaged; benign
// accounts are flagged no more for it.
func TestDetectionDegradesWithSharing(t *testing.T) {
	if testing.Short() {
		t.Skip("decides tens of thousands of accounts")
	}
	run, err := runner.Load(context.Background(), runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := netgen.Default()
	cfg.Seed, cfg.Benign, cfg.Network = 5, 6000, 600
	full := decide(t, run, cfg)
	cfg.Sharing, cfg.PromptOverlap, cfg.BurstShare = 0, 0, 0
	none := decide(t, run, cfg)
	t.Logf("recall %.3f sharing, %.3f none", full.recall(), none.recall())
	if none.recall() >= full.recall() {
		t.Errorf("recall without sharing %.3f is not below %.3f", none.recall(), full.recall())
	}
	if lo, hi := 1-cfg.Camouflage-0.06, 1-cfg.Camouflage+0.06; none.recall() < lo || none.recall() > hi {
		t.Errorf("recall without sharing %.3f, want about %.2f (the accounts not camouflaged)", none.recall(), 1-cfg.Camouflage)
	}
	if none.fpr() > full.fpr()+0.002 {
		t.Errorf("benign flagged %.4f without sharing, %.4f with", none.fpr(), full.fpr())
	}
}
