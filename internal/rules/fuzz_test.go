package rules

import (
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FuzzLoad replaces one rule file of a valid set with random bytes: Load
// must either accept the rules, with every date the policies compare as
// text written YYYY-MM-DD, or return Problems that each name a file and a
// positive line. It must never panic.
//
//	go test ./internal/rules -run '^$' -fuzz FuzzLoad -fuzztime 60s
//
// The set is the shipped rules with a catalog of a few entries (every
// kind of entry, and those is_informed.yaml names), so that a run tries
// many inputs rather than re-reading the whole catalog each time.
func FuzzLoad(f *testing.F) {
	base := fuzzFiles(f)
	names := slices.Sorted(maps.Keys(base))
	for i, n := range names {
		f.Add(uint8(i), []byte(base[n]))
	}
	// The edits of TestProblems, as starting points near the checks.
	for _, tt := range problemCases {
		if i := slices.Index(names, tt.file); i >= 0 && tt.old != "" && tt.file != "catalog.yaml" {
			f.Add(uint8(i), []byte(edit(f, tt.file, tt.old, tt.new)))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, text []byte) {
		name := names[int(which)%len(names)]
		fs := maps.Clone(base)
		fs[name] = string(text)
		s, err := loadFS(fs)
		if err == nil {
			walk(s.Data, func(key string, v any) bool {
				if key == "sources" {
					return false // a catalog entry's free text
				}
				if _, named := v.(map[string]any); named {
					return true // an id or code may be "from"
				}
				if key == "from" || key == "until" || key == "covered_d1_d4_until" {
					if d, ok := v.(string); !ok || !dateText.MatchString(d) {
						t.Errorf("%s accepted with %s = %#v", name, key, v)
					}
				}
				return true
			})
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("%s: error is not Problems: %v", name, err)
		}
		for _, p := range ps {
			if p.File == "" || p.Line <= 0 {
				t.Errorf("%s: problem without a file and line: %q", name, p.Error())
			}
		}
	})
}

// fuzzFiles is the shipped rule set with the catalog cut down to a few
// entries.
func fuzzFiles(t testing.TB) map[string]string {
	keep := []string{"nvidia-h100-sxm5-80gb", "nvidia-h20", "amd-instinct-mi308x", "huawei-ascend-910c", "skhynix-hbm3-12h-24gb"}
	entry := regexp.MustCompile(`^  ([a-z0-9-]+):$`)
	var out []string
	in := true // the header, before the first entry
	for _, l := range strings.SplitAfter(shipped(t)["catalog.yaml"], "\n") {
		if m := entry.FindStringSubmatch(strings.TrimSuffix(l, "\n")); m != nil {
			in = slices.Contains(keep, m[1])
		}
		if in {
			out = append(out, l)
		}
	}
	fs := files(t, map[string]string{"catalog.yaml": strings.Join(out, "")})
	s, err := loadFS(fs)
	if err != nil {
		t.Fatalf("the cut-down rules do not load: %v", err)
	}
	if n := len(s.Data["catalog"].(map[string]any)["entries"].(map[string]any)); n != len(keep) {
		t.Fatalf("cut-down catalog has %d entries, want %d", n, len(keep))
	}
	return fs
}
