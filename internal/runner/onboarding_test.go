package runner

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// TestDecideOnboardingWithOrders: onboarding applications and orders in
// one batch are each judged by their domain and emitted in input order;
// identity-document reuse is found across files of the batch.
func TestDecideOnboardingWithOrders(t *testing.T) {
	r := builtin(t)
	fx := filepath.Join("..", "..", "fixtures")
	recs, probs := r.Read(context.Background(), ReadOptions{},
		filepath.Join(fx, "onboarding", "id-reuse.yaml"), filepath.Join(fx, "orders", "screening.yaml"), filepath.Join(fx, "onboarding", "models.yaml"))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	want := make([]string, len(recs))
	for i, rec := range recs {
		want[i] = rec.ID
	}
	var got []decision.Decision
	if _, err := withWorkers(r, 4).Decide(context.Background(), recs, Sink{Emit: func(d decision.Decision, _ []byte) error {
		got = append(got, d)
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	byID := map[string]decision.Decision{}
	for i, d := range got {
		if d.ID != want[i] {
			t.Fatalf("decision %d is %s, want %s (input order)", i, d.ID, want[i])
		}
		byID[d.ID] = d
	}
	if d := byID["onb-id-second-org"]; d.Decision != decision.Deny || d.Kind != "onboarding" || d.Provenance == nil || d.Provenance.InputSHA256 == "" {
		t.Errorf("onb-id-second-org = %+v", d)
	}
	if d := byID["onb-model-foreign"]; d.Decision != decision.Deny || d.Reasons[0].Rule != "ONB-MODEL-LICENCE" {
		t.Errorf("onb-model-foreign = %+v", d.Reasons)
	}
	if d := byID["SO-scr-01"]; d.Kind != "order" || d.Decision != decision.Deny {
		t.Errorf("SO-scr-01 = %+v", d)
	}
}
