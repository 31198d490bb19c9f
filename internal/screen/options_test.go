package screen

import (
	"fmt"
	"strings"
	"testing"
)

// shipped are the matcher numbers of the shipped rule data, spelled out so
// that each invariant case below changes one of them.
func shipped() Options {
	return Options{ContainmentScore: 0.88, CountryBonus: 0.02, CountryPenalty: 0.06, AcronymScore: 0.86, MinTokenSimilarity: 0.82}
}

// The shipped rule data keeps every promise.
func TestShippedMatcherRules(t *testing.T) {
	o := testOptions(t, Options{})
	if got, want := fmt.Sprint(o.ContainmentScore, o.CountryBonus, o.CountryPenalty, o.AcronymScore, o.MinTokenSimilarity), "0.88 0.02 0.06 0.86 0.82"; got != want {
		t.Errorf("matcher numbers %s, want %s (the values calibrated on the evaluation set)", got, want)
	}
}

// NewIndex refuses Options without the rule-data numbers, or with one out
// of range; FromRules refuses rule data that is incomplete or breaks a
// promise.
func TestNewIndexRefusesMatcherOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"defaults only", DefaultOptions(), "containment_floor: not set"},
		{"zero value", Options{}, "min_token_similarity: not set"},
		{"bonus unset", func() Options { o := shipped(); o.CountryBonus = 0; return o }(), "country_bonus: not set"},
		{"containment 1", func() Options { o := shipped(); o.ContainmentScore = 1; return o }(), "containment_floor = 1: out of range"},
		{"penalty negative", func() Options { o := shipped(); o.CountryPenalty = -0.1; return o }(), "country_penalty = -0.1: out of range"},
	} {
		ix, err := NewIndex(testEntries(), tc.o)
		if ix != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: NewIndex = %v, %v; want an error saying %q", tc.name, ix, err, tc.want)
		}
	}
	if _, err := NewIndex(testEntries(), shipped()); err != nil {
		t.Errorf("complete options refused: %v", err)
	}

	rules := func(m map[string]float64) func(path ...string) (float64, error) {
		return func(path ...string) (float64, error) {
			k := strings.Join(path, ".")
			if v, ok := m[k]; ok {
				return v, nil
			}
			return 0, fmt.Errorf("rules: %s: not found", k)
		}
	}
	good := map[string]float64{
		"screening.review_threshold": 0.81, "screening.deny_threshold": 0.95,
		"screening.matcher.containment_floor": 0.88, "screening.matcher.country_bonus": 0,
		"screening.matcher.country_penalty": 0.06, "screening.matcher.acronym_score": 0.86,
		"screening.matcher.min_token_similarity": 0.82,
	}
	if o, review, err := FromRules(DefaultOptions(), rules(good)); err != nil || review != 0.81 || o.CountryBonus != 0 {
		t.Errorf("FromRules(good) = %v, %v (a zero bonus from rule data means none)", review, err)
	} else if _, err := NewIndex(testEntries(), o); err != nil {
		t.Errorf("NewIndex refuses options from rule data with no bonus: %v", err)
	}
	for key, want := range map[string]string{
		"screening.matcher.acronym_score": "acronym_score: not found",
		"screening.review_threshold":      "review_threshold: not found",
	} {
		m := map[string]float64{}
		for k, v := range good {
			if k != key {
				m[k] = v
			}
		}
		if _, _, err := FromRules(DefaultOptions(), rules(m)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromRules without %s: %v, want %q", key, err, want)
		}
	}
}
