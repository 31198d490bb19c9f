package rules

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

const shippedDir = "../../rules"

var (
	shippedOnce  sync.Once
	shippedFiles map[string]string // file name -> text of rules/
	shippedErr   error
)

// shipped returns the text of every file of the repository's rules/.
func shipped(t testing.TB) map[string]string {
	t.Helper()
	shippedOnce.Do(func() {
		names, err := filepath.Glob(filepath.Join(shippedDir, "*.yaml"))
		if err != nil || len(names) == 0 {
			shippedErr = errors.Join(err, errors.New("no rules/*.yaml"))
			return
		}
		shippedFiles = map[string]string{}
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err != nil {
				shippedErr = err
				return
			}
			shippedFiles[filepath.Base(n)] = string(b)
		}
	})
	if shippedErr != nil {
		t.Fatal(shippedErr)
	}
	return shippedFiles
}

// files returns a copy of the shipped rule files with changes applied
// (name -> new text; "" deletes the file).
func files(t testing.TB, changes map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range shipped(t) {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// loadFS loads rule files from memory, named as the built-in rules are.
func loadFS(fs map[string]string) (*Set, error) {
	m := fstest.MapFS{}
	for name, text := range fs {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return Load(m, "rules")
}

// edit returns the shipped text of file with old replaced by new; old
// must occur exactly once.
func edit(t testing.TB, file, old, new string) string {
	t.Helper()
	text := shipped(t)[file]
	if n := strings.Count(text, old); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want once", file, old, n)
	}
	return strings.Replace(text, old, new, 1)
}

// lineOf is the 1-based line of the first occurrence of sub in text.
func lineOf(t testing.TB, text, sub string) int {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in the text", sub)
	}
	return strings.Count(text[:i], "\n") + 1
}

func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is not Problems: %v", err)
	}
	return ps
}

func TestShippedRulesLoadClean(t *testing.T) {
	if _, err := LoadDir(shippedDir); err != nil {
		t.Fatalf("the shipped rules do not load:\n%v", err)
	}
}

// TestProblems holds one case per class of error Load refuses. Each loaded
// before Load validated (the data reached the policies and decided less);
// each must now be refused with the file, line and field given exactly.
func TestProblems(t *testing.T) {
	for _, tt := range problemCases {
		t.Run(tt.name, func(t *testing.T) {
			fs := tt.files(t)
			_, err := loadFS(fs)
			if err == nil {
				t.Fatal("Load accepted the rules")
			}
			ps := problemsOf(t, err)
			var got []string
			for _, p := range ps {
				got = append(got, p.Error())
			}
			for _, w := range tt.want {
				prefix := filepath.Join("rules", w.file)
				if w.marker != "" {
					prefix += ":" + strconv.Itoa(lineOf(t, fs[w.file], w.marker))
				}
				prefix += ": "
				if w.field != "" {
					prefix += w.field + ": "
				}
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, prefix+w.msg) }) {
					t.Errorf("no problem %q in:\n%s", prefix+w.msg, strings.Join(got, "\n"))
				}
			}
			if !tt.andMore && len(got) != len(tt.want) {
				t.Errorf("%d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
		})
	}
}

type problemWant struct {
	file, marker string // the problem's line is the first line of file holding marker
	field, msg   string // msg: the start of the message
}

type problemCase struct {
	name    string
	file    string // the file edited: old replaced by new; no old: new is the file ("" deletes it)
	old     string
	new     string
	want    []problemWant
	andMore bool // other problems may follow from the same edit
}

// files returns the shipped rule files with the case's edit.
func (tt problemCase) files(t testing.TB) map[string]string {
	text := tt.new
	if tt.old != "" {
		text = edit(t, tt.file, tt.old, tt.new)
	}
	return files(t, map[string]string{tt.file: text})
}

var problemCases = []problemCase{
	// screening.yaml
	{
		name: "outcome removed from screening.yaml lists.EL",
		file: "screening.yaml", old: "    restricts: true\n    outcome: deny\n    citation: \"15 CFR 744.11", new: "    restricts: true\n    citation: \"15 CFR 744.11",
		want: []problemWant{{"screening.yaml", "  EL:", "screening.lists.EL.outcome", "required"}},
	},
	{
		name: "threshold 81",
		file: "screening.yaml", old: "review_threshold: 0.81", new: "review_threshold: 81",
		want: []problemWant{{"screening.yaml", "review_threshold:", "screening.review_threshold", "must be in (0, 1], got 81"}},
	},
	{
		name: `threshold "0.95"`,
		file: "screening.yaml", old: "deny_threshold: 0.95", new: `deny_threshold: "0.95"`,
		want: []problemWant{{"screening.yaml", "deny_threshold:", "screening.deny_threshold", `expected a number, got string "0.95"`}},
	},
	{
		name: "threshold tagged as text",
		file: "screening.yaml", old: "review_threshold: 0.81", new: "review_threshold: !!str 0.81",
		want: []problemWant{{"screening.yaml", "review_threshold:", "screening.review_threshold", `expected a number, got string "0.81"`}},
	},
	{
		name: "deny threshold below review threshold",
		file: "screening.yaml", old: "deny_threshold: 0.95", new: "deny_threshold: 0.8",
		want: []problemWant{{"screening.yaml", "deny_threshold:", "screening.deny_threshold", "must be at least review_threshold (0.81), got 0.8"}},
	},
	{
		name: "outcome not one of allow/review/deny",
		file: "screening.yaml", old: "    restricts: true\n    outcome: deny\n    citation: \"15 CFR 744.11", new: "    restricts: true\n    outcome: denied\n    citation: \"15 CFR 744.11",
		want: []problemWant{{"screening.yaml", "outcome: denied", "screening.lists.EL.outcome", `must be one of allow, review, deny, got "denied"`}},
	},
	{
		name: "deny on a list that does not restrict exports",
		file: "screening.yaml", old: "    restricts: false\n    outcome: review\n    citation: \"22 CFR 127.7\"", new: "    restricts: false\n    outcome: deny\n    citation: \"22 CFR 127.7\"",
		want: []problemWant{{"screening.yaml", "outcome: deny\n    citation: \"22 CFR", "screening.lists.DTC.outcome", "must be review for a list that does not restrict exports"}},
	},
	{
		name: "allow on a list that restricts exports",
		file: "screening.yaml", old: "    restricts: true\n    outcome: deny\n    citation: \"15 CFR 764", new: "    restricts: true\n    outcome: allow\n    citation: \"15 CFR 764",
		want: []problemWant{{"screening.yaml", "outcome: allow", "screening.lists.DPL.outcome", "a strong hit on a list that restricts exports must not be allowed"}},
	},
	{
		name: "restricts written yes",
		file: "screening.yaml", old: "    restricts: true\n    outcome: deny\n    citation: \"15 CFR 744.15\"", new: "    restricts: yes\n    outcome: deny\n    citation: \"15 CFR 744.15\"",
		want: []problemWant{{"screening.yaml", "restricts: yes", "screening.lists.UVL.restricts", `expected true or false, got string "yes"`}},
	},
	{
		name: "list code the loader assigns has no rule",
		file: "screening.yaml", old: "  NONSDN:\n", new: "  NON-SDN:\n",
		want: []problemWant{{"screening.yaml", "lists:", "screening.lists.NONSDN", "required: the list loader assigns this code"}},
	},
	{
		name: "unknown key",
		file: "screening.yaml", old: "    name: Entity List (BIS)\n", new: "    name: Entity List (BIS)\n    outcom: deny\n",
		want: []problemWant{{"screening.yaml", "outcom:", "screening.lists.EL.outcom", `unknown key "outcom" (known: citation, name, outcome, restricts)`}},
	},
	{
		name: "matcher missing",
		file: "screening.yaml", old: "matcher:", new: "matchers:",
		want: []problemWant{
			{"screening.yaml", "# Restricted-party", "screening.matcher", "required"},
			{"screening.yaml", "matchers:", "screening.matchers", `unknown key "matchers"`},
		},
	},
	{
		name: "matcher invariant broken: containment in another country not reviewed",
		file: "screening.yaml", old: "country_penalty: 0.06", new: "country_penalty: 0.1",
		want: []problemWant{{"screening.yaml", "country_penalty:", "screening.matcher.country_penalty", "containment_floor - country_penalty (0.78) must be at least review_threshold (0.81)"}},
	},
	{
		name: "matcher invariant broken: same name in another country denied",
		file: "screening.yaml", old: "country_penalty: 0.06", new: "country_penalty: 0.04",
		want: []problemWant{{"screening.yaml", "country_penalty:", "screening.matcher.country_penalty", "1 - country_penalty (0.96) must be at least review_threshold (0.81) and below deny_threshold (0.95)"}},
	},
	{
		name: "matcher invariant broken: containment denies",
		file: "screening.yaml", old: "containment_floor: 0.88", new: "containment_floor: 0.95",
		want: []problemWant{{"screening.yaml", "containment_floor:", "screening.matcher.containment_floor", "must be below deny_threshold (0.95), got 0.95"}},
	},
	{
		name: "matcher invariant broken: containment below review",
		file: "screening.yaml", old: "containment_floor: 0.88", new: "containment_floor: 0.8",
		want: []problemWant{{"screening.yaml", "containment_floor:", "screening.matcher.containment_floor", "must be at least review_threshold (0.81), got 0.8"}},
	},
	{
		name: "matcher invariant broken: acronym denies",
		file: "screening.yaml", old: "acronym_score: 0.86", new: "acronym_score: 0.97",
		want: []problemWant{{"screening.yaml", "acronym_score:", "screening.matcher.acronym_score", "must be at least review_threshold (0.81) and below deny_threshold (0.95), got 0.97"}},
	},
	{
		name: "matcher invariant broken by raising review_threshold",
		file: "screening.yaml", old: "review_threshold: 0.81", new: "review_threshold: 0.87",
		want: []problemWant{
			{"screening.yaml", "country_penalty:", "screening.matcher.country_penalty", "containment_floor - country_penalty (0.82) must be at least review_threshold (0.87)"},
			{"screening.yaml", "acronym_score:", "screening.matcher.acronym_score", "must be at least review_threshold (0.87)"},
		},
	},
	{
		name: "matcher score out of range",
		file: "screening.yaml", old: "min_token_similarity: 0.82", new: "min_token_similarity: 82",
		want: []problemWant{{"screening.yaml", "min_token_similarity:", "screening.matcher.min_token_similarity", "must be in (0, 1], got 82"}},
	},
	{
		name: "matcher bonus out of range",
		file: "screening.yaml", old: "country_bonus: 0.02", new: "country_bonus: -0.02",
		want: []problemWant{{"screening.yaml", "country_bonus:", "screening.matcher.country_bonus", "must be in [0, 1), got -0.02"}},
	},
	// country_groups.yaml, countries.yaml
	{
		name: "D:5 renamed",
		file: "country_groups.yaml", old: `"D:5":`, new: `"D5":`,
		want: []problemWant{
			{"country_groups.yaml", "# data.rules.country_groups", "country_groups.D:5", "required: the license rules are written in terms of it"},
			{"country_groups.yaml", `"D5":`, "country_groups.D5", `a Country Group is written like "D:5", got "D5"`},
			{"license.yaml", `macau_d5: {groups: ["D:5"]`, "license.sets.macau_d5.groups.0", `unknown Country Group "D:5" (not in country_groups.yaml)`},
		},
		andMore: true, // every other reference to D:5
	},
	{
		name: "unknown Country Group in a set",
		file: "license.yaml", old: `d1_d4: {groups: ["D:1", "D:4"]`, new: `d1_d4: {groups: ["D:1", "D:44"]`,
		want: []problemWant{{"license.yaml", "d1_d4: {groups:", "license.sets.d1_d4.groups.1", `unknown Country Group "D:44"`}},
	},
	{
		name: "unknown country code",
		file: "diffusion.yaml", old: "SE, TW, GB]", new: "SE, TW, UK]",
		want: []problemWant{{"diffusion.yaml", "exempt_countries:", "diffusion.exempt_countries.18", `unknown country code "UK" (not in countries.yaml)`}},
	},
	{
		name: "unknown country code in a group",
		file: "country_groups.yaml", old: "members: [CU]", new: "members: [CU, XX]",
		want: []problemWant{{"country_groups.yaml", "members: [CU, XX]", `country_groups.E:2.members.1`, `unknown country code "XX"`}},
	},
	{
		name: "country name naming two countries",
		file: "countries.yaml", old: `NO: {name: "Norway"}`, new: `NO: {name: "Norway", aliases: ["Germany"]}`,
		want: []problemWant{{"countries.yaml", `NO: {name: "Norway"`, "countries.NO.aliases.0", `"Germany" also names DE`}},
	},
	{
		name: "country code not ISO alpha-2",
		file: "countries.yaml", old: `NO: {name: "Norway"}`, new: `NOR: {name: "Norway"}`,
		want: []problemWant{
			{"countries.yaml", "NOR:", "countries.NOR", `not an ISO 3166-1 alpha-2 code (two capital letters): "NOR"`},
			{"diffusion.yaml", "exempt_countries:", "diffusion.exempt_countries.13", `unknown country code "NO"`},
		},
		andMore: true, // every other use of NO
	},
	// dates
	{
		name: "date 2022/10/07",
		file: "license.yaml", old: "  - from: 2022-10-07", new: "  - from: 2022/10/07",
		want: []problemWant{{"license.yaml", "2022/10/07", "license.destination.0.from", `expected a date YYYY-MM-DD, got "2022/10/07"`}},
	},
	{
		name: "date 2023-13-45",
		file: "gp10.yaml", old: "from: 2025-05-13", new: "from: 2023-13-45",
		want: []problemWant{{"gp10.yaml", "from:", "gp10.from", `"2023-13-45" is not a calendar date (month out of range)`}},
	},
	{
		name: "date 2023-02-30",
		file: "exceptions.yaml", old: "from: 2024-04-04", new: "from: 2023-02-30",
		want: []problemWant{{"exceptions.yaml", "2023-02-30", "exceptions.ACA.from", `"2023-02-30" is not a calendar date (day out of range)`}},
	},
	{
		name: "date with a time of day",
		file: "diffusion.yaml", old: "from: 2025-01-13", new: "from: 2025-01-13T00:00:00Z",
		want: []problemWant{{"diffusion.yaml", "from:", "diffusion.from", `expected a date YYYY-MM-DD without a time of day, got "2025-01-13T00:00:00Z"`}},
	},
	{
		name: "date with single-digit month",
		file: "diffusion.yaml", old: "from: 2025-01-13", new: "from: 2025-1-13",
		want: []problemWant{{"diffusion.yaml", "from:", "diffusion.from", `expected a date YYYY-MM-DD, got "2025-1-13"`}},
	},
	{
		name: "date as a number",
		file: "diffusion.yaml", old: "from: 2025-01-13", new: "from: 20250113",
		want: []problemWant{{"diffusion.yaml", "from:", "diffusion.from", "expected a date YYYY-MM-DD, got number 20250113"}},
	},
	{
		name: "until before from",
		file: "country_groups.yaml", old: "{country: KH, from: 2021-12-09, until: 2026-02-03", new: "{country: KH, from: 2026-03-01, until: 2026-02-03",
		want: []problemWant{{"country_groups.yaml", "{country: KH", "country_groups.D:5.dated.1.until", "must be after from (2026-03-01), got 2026-02-03"}},
	},
	{
		name: "dated group unknown",
		file: "end_use.yaml", old: `- {group: "D:5", from: 2023-11-17`, new: `- {group: "D:9", from: 2023-11-17`,
		// One anchor, read by both 744.23 controls: both are refused.
		want: []problemWant{
			{"end_use.yaml", `group: "D:9"`, "end_use.controls.advanced_ic_production.where.dated_groups.0.group", `unknown Country Group "D:9"`},
			{"end_use.yaml", `group: "D:9"`, "end_use.controls.supercomputer.where.dated_groups.0.group", `unknown Country Group "D:9"`},
		},
	},
	{
		name: "embargo: unknown region",
		file: "embargoes.yaml", old: "regions: {UA: [crimea]}\n    versions:", new: "regions: {UA: [krym]}\n    versions:",
		want: []problemWant{{"embargoes.yaml", "regions: {UA: [krym]}", "embargoes.embargoes.crimea.regions.UA.0", `unknown region "krym" of UA (not under embargoes.regions.UA)`}},
	},
	{
		name: "embargo: regions of a country without regions",
		file: "embargoes.yaml", old: "regions: {UA: [crimea]}\n    versions:", new: "regions: {RU: [crimea]}\n    versions:",
		want: []problemWant{{"embargoes.yaml", "regions: {RU: [crimea]}", "embargoes.embargoes.crimea.regions.RU", "RU has no regions under embargoes.regions"}},
	},
	{
		name: "embargo: unknown EAR99 scope",
		file: "embargoes.yaml", old: "        ear99: all\n", new: "        ear99: most\n",
		want: []problemWant{{"embargoes.yaml", "ear99: most", "embargoes.embargoes.cuba.versions.0.ear99", `unknown EAR99 scope "most"`}},
	},
	{
		name: "embargo: ccl missing",
		file: "embargoes.yaml", old: "        ccl: true\n        ear99: all\n", new: "        ear99: all\n",
		want: []problemWant{{"embargoes.yaml", "- from: 1996-03-25\n        ear99: all", "embargoes.embargoes.cuba.versions.0.ccl", "required"}},
	},
	{
		name: "embargo: unknown country",
		file: "embargoes.yaml", old: "countries: [CU]\n    versions:", new: "countries: [CUB]\n    versions:",
		want: []problemWant{{"embargoes.yaml", "countries: [CUB]", "embargoes.embargoes.cuba.countries.0", `unknown country code "CUB"`}},
	},
	{
		name: "ofac: until before from",
		file: "embargoes.yaml", old: "until: 2025-07-01", new: "until: 2010-07-01",
		want: []problemWant{{"embargoes.yaml", "until: 2010-07-01", "embargoes.ofac.syria.until", "must be after from (2011-08-18), got 2010-07-01"}},
	},
	{
		name: "version list out of date order",
		file: "license.yaml", old: "  - from: 2023-01-17", new: "  - from: 2022-01-18",
		want: []problemWant{{"license.yaml", "2022-01-18", "license.destination.1.from", "out of date order: must be after the previous version's from (2022-10-07), got 2022-01-18"}},
	},
	{
		name: "regimes out of date order",
		file: "classification.yaml", old: "    from: 2024-12-02", new: "    from: 2023-11-17",
		want: []problemWant{{"classification.yaml", "from: 2023-11-17\n    citation: \"15 CFR 774 Supp. 1, ECCN 3A090 as amended by 88 FR 73458 and", "classification.regimes.3.from", "out of date order: must be after the previous version's from (2023-11-17), got 2023-11-17"}},
	},
	// license.yaml
	{
		name: "unknown key in a version",
		file: "license.yaml", old: `    except_groups: ["A:5", "A:6"]`, new: `    exclude_groups: ["A:5", "A:6"]`,
		want: []problemWant{{"license.yaml", "exclude_groups", "license.destination.2.exclude_groups", `unknown key "exclude_groups"`}},
	},
	{
		name: "version without items",
		file: "license.yaml", old: "    items: [3A090.c]", new: "    items: []",
		want: []problemWant{{"license.yaml", "items: []", "license.hbm.0.items", "must list at least one ECCN"}},
	},
	{
		name: "unknown ECCN",
		file: "license.yaml", old: "    items: [3A090.c]", new: "    items: [3A090c]",
		want: []problemWant{{"license.yaml", "items: [3A090c]", "license.hbm.0.items.0", `unknown ECCN "3A090c"`}},
	},
	{
		name: "named set missing",
		file: "license.yaml", old: "  macau_d5: {", new: "  macau_D5: {",
		want: []problemWant{{"license.yaml", "sets:", "license.sets.macau_d5", "required: the policies read it by name"}},
	},
	{
		name: "set naming no country",
		file: "license.yaml", old: `macau_d5: {groups: ["D:5"], countries: [MO]}`, new: `macau_d5: {}`,
		want: []problemWant{{"license.yaml", "macau_d5: {}", "license.sets.macau_d5", "names no country"}},
	},
	{
		name: "band figure as text",
		file: "license.yaml", old: "tpp_below: 21000", new: "tpp_below: 21,000",
		want: []problemWant{{"license.yaml", "tpp_below: 21,000", "license.review_policy.case_by_case.tpp_below", `expected a number, got string "21,000"`}},
	},
	// classification.yaml
	{
		name: "prong removed from an anchored regime (and the regime merging it)",
		file: "classification.yaml", old: "    b2: {tpp_min: 1600, pd_min: 3.2, pd_below: 5.92}\n", new: "",
		want: []problemWant{
			{"classification.yaml", "  - &oct2023", "classification.regimes.2.b2", "required: test tpp_pd reads it"},
			{"classification.yaml", "  - <<: *oct2023", "classification.regimes.3.b2", "required: test tpp_pd reads it"},
		},
	},
	{
		name: "prong bound inverted",
		file: "classification.yaml", old: "pd_min: 1.6, pd_below: 5.92", new: "pd_min: 1.6, pd_below: 1.5",
		want: []problemWant{
			{"classification.yaml", "b1: {", "classification.regimes.2.b1.pd_below", "must be greater than pd_min (1.6), got 1.5"},
			{"classification.yaml", "b1: {", "classification.regimes.3.b1.pd_below", "must be greater than pd_min (1.6), got 1.5"},
		},
	},
	{
		name: "unknown regime test",
		file: "classification.yaml", old: "test: tpp_interconnect", new: "test: tpp_and_interconnect",
		want: []problemWant{
			{"classification.yaml", "test: tpp_and", "classification.regimes.1.test", `unknown test "tpp_and_interconnect"`},
		},
	},
	// end_use.yaml, exceptions.yaml, gp10.yaml, is_informed.yaml, red_flags.yaml
	{
		name: "end-use control renamed",
		file: "end_use.yaml", old: "  wmd:\n    codes: [wmd]", new: "  wmd_end_use:\n    codes: [wmd]",
		want: []problemWant{{"end_use.yaml", "controls:", "end_use.controls.wmd", "required: policies/chipcheck/end_use reads it by name"}},
	},
	{
		name: "end-use control with an unknown code",
		file: "end_use.yaml", old: "codes: [military_intelligence]", new: "codes: [military_intel]",
		want: []problemWant{{"end_use.yaml", "codes: [military_intel]", "end_use.controls.military_intelligence.codes.0", `unknown end-use code "military_intel"`}},
	},
	{
		name: "NAC notice period removed",
		file: "exceptions.yaml", old: "  notice_days: 25\n", new: "",
		want: []problemWant{{"exceptions.yaml", "NAC:", "exceptions.NAC.notice_days", "required: the NAC notice check reads it"}},
	},
	{
		name: "exception code differs from its key",
		file: "exceptions.yaml", old: "  code: ACA", new: "  code: NAC",
		want: []problemWant{{"exceptions.yaml", "code: NAC\n  name: \"Advanced", "exceptions.ACA.code", `must be the key it is under (ACA), got "NAC"`}},
	},
	{
		name: "GP10 carve-out end use unknown",
		file: "gp10.yaml", old: "[technical_evaluation]", new: "[technical_evaluations]",
		want: []problemWant{{"gp10.yaml", "carve_out_end_uses:", "gp10.carve_out_end_uses.0", `unknown end-use code "technical_evaluations"`}},
	},
	{
		name: "letter names a catalog alias instead of an id",
		file: "is_informed.yaml", old: "catalog: [nvidia-h20]", new: "catalog: [H20]",
		want: []problemWant{{"is_informed.yaml", "catalog: [H20]", "is_informed.letters.0.catalog.0", `unknown catalog entry id "H20"`}},
	},
	{
		name: "letter reaches an unknown figure",
		file: "is_informed.yaml", old: "reaches: {memory_bandwidth_gbs: 4000,", new: "reaches: {memory_bandwidth: 4000,",
		want: []problemWant{{"is_informed.yaml", "reaches:", "is_informed.letters.0.reaches.memory_bandwidth", `unknown chip figure "memory_bandwidth"`}},
	},
	{
		name: "letter addressee empty",
		file: "is_informed.yaml", old: "addressee: NVIDIA Corporation", new: `addressee: " "`,
		want: []problemWant{{"is_informed.yaml", `addressee: " "`, "is_informed.letters.0.addressee", "must not be empty"}},
	},
	{
		name: "letter addressee missing",
		file: "is_informed.yaml", old: "    addressee: NVIDIA Corporation\n", new: "",
		want: []problemWant{{"is_informed.yaml", "- id: nvidia-h20-2025-04", "is_informed.letters.0.addressee", "required"}},
	},
	{
		name: "letter confidence unknown",
		file: "is_informed.yaml", old: "confidence: reported", new: "confidence: likely",
		want: []problemWant{{"is_informed.yaml", "confidence: likely", "is_informed.letters.1.confidence", `must be one of confirmed, reported, UNVERIFIED, got "likely"`}},
	},
	{
		name: "red-flag description a number",
		file: "red_flags.yaml", old: `description: "customer pays cash for an expensive item when financing is usual"`, new: "description: 42",
		want: []problemWant{{"red_flags.yaml", "description: 42", "red_flags.flags.cash_payment.description", "expected a string, got number 42"}},
	},
	{
		name: "required text empty",
		file: "red_flags.yaml", old: `citation: "15 CFR 732 Supp. 3 (RF24)"`, new: `citation: ""`,
		want: []problemWant{{"red_flags.yaml", `citation: ""`, "red_flags.flags.management_overlap_listed_party.citation", "must not be empty"}},
	},
	// catalog.yaml
	{
		name: "catalog: duplicate format",
		file: "catalog.yaml", old: "      - {format: int8, bits: 8,  tops: 1978.9}\n    memory_bandwidth_gbs: 3350\n    interconnect_gbs: 900", new: "      - {format: fp8, bits: 8,  tops: 1978.9}\n    memory_bandwidth_gbs: 3350\n    interconnect_gbs: 900",
		want: []problemWant{{"catalog.yaml", "{format: fp8, bits: 8,  tops: 1978.9}\n    memory_bandwidth_gbs: 3350", "catalog.entries.nvidia-h100-sxm5-80gb.performance.3.format", `format "fp8" is also given at catalog.entries.nvidia-h100-sxm5-80gb.performance.0`}},
	},
	{
		name: "catalog: zero TOPS",
		file: "catalog.yaml", old: "{format: int4, bits: 4,  tops: 1248}\n    memory_bandwidth_gbs: 2039", new: "{format: int4, bits: 4,  tops: 0}\n    memory_bandwidth_gbs: 2039",
		want: []problemWant{{"catalog.yaml", "tops: 0}", "catalog.entries.nvidia-a100-sxm4-80gb.performance.3.tops", "must be greater than 0, got 0"}},
	},
	{
		name: "catalog: bits as text",
		file: "catalog.yaml", old: "{format: int4, bits: 4,  tops: 1248}\n    memory_bandwidth_gbs: 2039", new: "{format: int4, bits: \"4\",  tops: 1248}\n    memory_bandwidth_gbs: 2039",
		want: []problemWant{{"catalog.yaml", `bits: "4"`, "catalog.entries.nvidia-a100-sxm4-80gb.performance.3.bits", `expected a number, got string "4"`}},
	},
	{
		name: "catalog: negative die area",
		file: "catalog.yaml", old: "H100 SXM5 80GB\"]\n    vendor: NVIDIA\n    designer_country: US\n    datacenter: true\n    die_area_mm2: 814", new: "H100 SXM5 80GB\"]\n    vendor: NVIDIA\n    designer_country: US\n    datacenter: true\n    die_area_mm2: -814",
		want: []problemWant{{"catalog.yaml", "die_area_mm2: -814", "catalog.entries.nvidia-h100-sxm5-80gb.die_area_mm2", "must be greater than 0, got -814"}},
	},
	{
		name: "catalog: alias of two entries",
		file: "catalog.yaml", old: `aliases: ["A800", `, new: `aliases: ["A100 SXM", `,
		want: []problemWant{{"catalog.yaml", `aliases: ["A100 SXM", "A800`, "catalog.entries.nvidia-a800-sxm4-80gb.aliases.0", `"A100 SXM" also names nvidia-a100-sxm4-80gb`}},
	},
	{
		name: "catalog: bare HBM stack with performance",
		file: "catalog.yaml", old: "    hbm: {bandwidth_gbs: 819.2, package_area_mm2: 121}\n", new: "    hbm: {bandwidth_gbs: 819.2, package_area_mm2: 121}\n    performance: [{format: int8, bits: 8, tops: 1}]\n",
		want: []problemWant{{"catalog.yaml", "hbm: {bandwidth_gbs: 819.2", "catalog.entries.skhynix-hbm3-12h-24gb.hbm", "a bare HBM stack has no performance, dies or die_area_mm2"}},
	},
	{
		name: "catalog: unknown designer country",
		file: "catalog.yaml", old: "\"Habana Gaudi2\"]\n    vendor: Intel (Habana Labs)\n    designer_country: IL", new: "\"Habana Gaudi2\"]\n    vendor: Intel (Habana Labs)\n    designer_country: ISR",
		want: []problemWant{{"catalog.yaml", "designer_country: ISR", "catalog.entries.intel-gaudi2.designer_country", `unknown country code "ISR"`}},
	},
	{
		name: "catalog: misspelt figure",
		file: "catalog.yaml", old: "\"A100-PCIE-80GB\"]\n    vendor: NVIDIA\n    designer_country: US\n    datacenter: true\n    die_area_mm2: 826", new: "\"A100-PCIE-80GB\"]\n    vendor: NVIDIA\n    designer_country: US\n    datacenter: true\n    die_area: 826",
		want: []problemWant{{"catalog.yaml", "die_area: 826", "catalog.entries.nvidia-a100-pcie-80gb.die_area", `unknown key "die_area"`}},
	},
	// whole files
	{
		name: "file missing",
		file: "gp10.yaml", old: "", new: "",
		want: []problemWant{{"gp10.yaml", "", "", "missing: chipcheck needs this rule file"}},
	},
	{
		name: "file empty",
		file: "red_flags.yaml", old: "", new: "# nothing yet\n",
		want: []problemWant{{"red_flags.yaml", "# nothing", "red_flags", "the file holds no rule data"}},
	},
	{
		name: "a second document",
		file: "gp10.yaml", old: "PRC advanced computing ICs\"\n", new: "PRC advanced computing ICs\"\n---\nfrom: 2025-05-14\n",
		want: []problemWant{{"gp10.yaml", "---", "", "a second YAML document: a rule file holds one"}},
	},
	{
		name: "a key that is not text",
		file: "screening.yaml", old: "  EL:\n", new: "  1:\n",
		want: []problemWant{{"screening.yaml", "  1:", "screening.lists", "a key must be text, got number 1 (quote it)"}},
	},
}

// TestProblemsAllAtOnce: every problem of every file in one load, sorted
// by file and line, one per line in the error text.
func TestProblemsAllAtOnce(t *testing.T) {
	fs := files(t, map[string]string{
		"screening.yaml":      edit(t, "screening.yaml", "review_threshold: 0.81", "review_threshold: 81"),
		"license.yaml":        edit(t, "license.yaml", "  - from: 2023-01-17", "  - from: 2023/01/18"),
		"country_groups.yaml": edit(t, "country_groups.yaml", "members: [IR, KP, SY]", "members: [IR, KP, SY, ZZ]"),
	})
	_, err := loadFS(fs)
	ps := problemsOf(t, err)
	want := []string{
		"rules/country_groups.yaml:" + strconv.Itoa(lineOf(t, fs["country_groups.yaml"], "ZZ")) + `: country_groups.E:1.members.3: unknown country code "ZZ" (not in countries.yaml)`,
		"rules/license.yaml:" + strconv.Itoa(lineOf(t, fs["license.yaml"], "2023/01/18")) + `: license.destination.1.from: expected a date YYYY-MM-DD, got "2023/01/18"`,
		"rules/screening.yaml:" + strconv.Itoa(lineOf(t, fs["screening.yaml"], "review_threshold:")) + ": screening.review_threshold: must be in (0, 1], got 81",
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Error())
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err.Error() != strings.Join(want, "\n") {
		t.Errorf("error text:\n%s\nwant one problem per line", err)
	}
}

// TestSyntaxProblems: YAML that does not parse is a problem at its line,
// in the same form.
func TestSyntaxProblems(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"unclosed list", "from: 2025-05-13\nitems: [3A090.a, 3A090.b\ncitation: x\n", 2, "invalid YAML: did not find expected ',' or ']'"},
		{"mapping in a scalar", "from: 2025-05-13\nitems: a: b\n", 2, "invalid YAML: mapping values are not allowed in this context"},
		{"duplicate key", "from: 2025-05-13\nitems: [3A090.a]\nfrom: 2025-05-14\n", 3, `invalid YAML: mapping key "from" already defined at line 1`},
		{"tab indentation", "from: 2025-05-13\n\titems: [3A090.a]\n", 2, "invalid YAML: found a tab character that violates indentation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadFS(files(t, map[string]string{"gp10.yaml": tt.text}))
			ps := problemsOf(t, err)
			want := Problem{File: filepath.Join("rules", "gp10.yaml"), Line: tt.line, Msg: tt.msg}
			if len(ps) != 1 || ps[0] != want {
				t.Errorf("got %q, want %q", ps.Error(), want.Error())
			}
		})
	}
}

// TestDatesNormalised: however a valid date is written, the policies see
// YYYY-MM-DD text, so that text comparison is date comparison.
func TestDatesNormalised(t *testing.T) {
	for _, written := range []string{`2025-05-13`, `"2025-05-13"`, `'2025-05-13'`, `!!timestamp 2025-05-13`, `!!str 2025-05-13`} {
		s, err := loadFS(files(t, map[string]string{"gp10.yaml": edit(t, "gp10.yaml", "from: 2025-05-13", "from: "+written)}))
		if err != nil {
			t.Fatalf("from: %s: %v", written, err)
		}
		if got := s.Data["gp10"].(map[string]any)["from"]; got != "2025-05-13" {
			t.Errorf("from: %s reaches the policies as %#v", written, got)
		}
	}
	// Every date of the shipped rules is text of that form.
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	walk(s.Data, func(key string, v any) bool {
		if key != "from" && key != "until" && !strings.HasSuffix(key, "_until") {
			return true
		}
		n++
		if d, ok := v.(string); !ok || !dateText.MatchString(d) {
			t.Errorf("%s = %#v, want YYYY-MM-DD text", key, v)
		}
		return true
	})
	if n < 20 {
		t.Errorf("found %d dates in the shipped rules, want at least 20", n)
	}
}

// walk calls fn with each map member of v, at any depth, and goes into
// the member's value when fn returns true.
func walk(v any, fn func(key string, v any) bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if fn(k, e) {
				walk(e, fn)
			}
		}
	case []any:
		for _, e := range x {
			walk(e, fn)
		}
	}
}

func TestScreening(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	sc := s.Screening()
	if sc.ReviewThreshold != 0.81 || sc.DenyThreshold != 0.95 {
		t.Errorf("thresholds %v, %v", sc.ReviewThreshold, sc.DenyThreshold)
	}
	want := Matcher{ContainmentFloor: 0.88, CountryBonus: 0.02, CountryPenalty: 0.06, AcronymScore: 0.86, MinTokenSimilarity: 0.82}
	if sc.Matcher != want {
		t.Errorf("Matcher = %+v, want %+v", sc.Matcher, want)
	}
	if el := sc.Lists["EL"]; !el.Restricts || el.Outcome != "deny" || el.Citation != "15 CFR 744.11; Supp. 4 to Part 744" {
		t.Errorf("Lists[EL] = %+v", el)
	}
	for _, code := range listCodes {
		if _, ok := sc.Lists[code]; !ok {
			t.Errorf("no rule for list %s", code)
		}
	}
	// A copy: changing it does not change the Set.
	sc.Lists["EL"] = ListRule{Outcome: "allow"}
	if s.Screening().Lists["EL"].Outcome != "deny" {
		t.Error("Screening returned the Set's own map")
	}
	// The typed figures are the ones the policies read.
	for _, k := range []string{"review_threshold", "deny_threshold"} {
		if _, err := s.Number("screening", k); err != nil {
			t.Error(err)
		}
	}
	if v, _ := s.Number("screening", "matcher", "containment_floor"); v != sc.Matcher.ContainmentFloor {
		t.Errorf("data.rules.screening.matcher.containment_floor = %v", v)
	}
}

func TestLoadData(t *testing.T) {
	fs := files(t, map[string]string{
		// A file chipcheck does not know reaches the policies as it is.
		"extra.yml": testData,
	})
	m := fstest.MapFS{
		"README.md":        {Data: []byte("not rule data")},
		"notes.txt":        {Data: []byte("a: b")},
		"sub/ignored.yaml": {Data: []byte("countries: {}")},
		"x.yaml.bak":       {Data: []byte("x: y")},
		"empty.yaml":       {Data: nil},
	}
	for name, text := range fs {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	s, err := Load(m, "rules")
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir != "rules" {
		t.Errorf("Dir = %q", s.Dir)
	}
	var stems []string
	for k := range s.Data {
		stems = append(stems, k)
	}
	slices.Sort(stems)
	want := []string{"catalog", "classification", "countries", "country_groups", "diffusion", "embargoes", "empty", "end_use",
		"exceptions", "extra", "gp10", "is_informed", "license", "networks", "onboarding", "red_flags", "screening", "waivers"}
	if !slices.Equal(stems, want) {
		t.Errorf("stems = %v, want %v (only *.yaml/*.yml directly in dir)", stems, want)
	}
	if string(s.Files["extra.yml"]) != testData {
		t.Errorf("Files[extra.yml] is not the bytes as read")
	}
	if s.Data["empty"] != nil {
		t.Errorf("empty file: %#v, want nil", s.Data["empty"])
	}
	data := s.Data["extra"].(map[string]any)
	regimes := data["regimes"].([]any)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"date stays YYYY-MM-DD", regimes[1].(map[string]any)["from"], "2022-10-07"},
		{"year-1 date", regimes[0].(map[string]any)["from"], "0001-01-01"},
		{"quoted date", regimes[1].(map[string]any)["until"], "2023-11-17"},
		{"explicit timestamp date", data["stamp"], "2024-12-02"},
		{"explicit timestamp time", data["moment"], "2024-12-02T10:30:00Z"},
		{"date in a list", data["dates"], []any{"2023-01-18", "2024-04-04"}},
		{"NO stays a string", data["flag"], "NO"},
		{"no stays a string", data["other"], "no"},
		{"yes stays a string", data["answer"], "yes"},
		{"int", data["tpp_min"], 4800},
		{"float", data["pd_min"], 5.92},
		{"quoted number stays text", data["text"], "4800"},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, tt.got, tt.want)
		}
	}
	if _, ok := s.Data["countries"].(map[string]any)["NO"]; !ok {
		t.Errorf("countries has no key NO")
	}
	if !s.Country("NO") {
		t.Error(`Country("NO") = false: the YAML key NO was not kept as the string "NO"`)
	}
}

const testData = `
regimes:
  - id: before
    from: 0001-01-01
  - id: oct-2022
    from: 2022-10-07
    until: "2023-11-17"
flag: NO
other: no
answer: yes
stamp: !!timestamp 2024-12-02
moment: !!timestamp 2024-12-02T10:30:00Z
dates: [2023-01-18, 2024-04-04]
tpp_min: 4800
pd_min: 5.92
negative: -3
nested: {deeper: {value: 7}}
text: "4800"
`

func TestLoadErrors(t *testing.T) {
	// A second file for a stem.
	_, err := loadFS(files(t, map[string]string{"gp10.yml": shipped(t)["gp10.yaml"]}))
	ps := problemsOf(t, err)
	if want := "rules/gp10.yml: a second file for data.rules.gp10 (the first is gp10.yaml)"; len(ps) != 1 || ps[0].Error() != want {
		t.Errorf("got %q, want %q", ps.Error(), want)
	}
	// No rule files at all, or no directory: plain errors.
	if _, err := Load(fstest.MapFS{"README.md": {Data: []byte("x")}}, "rules"); err == nil || !strings.Contains(err.Error(), "no .yaml files") {
		t.Errorf("no yaml files: %v", err)
	}
	if _, err := LoadDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("Load of a missing directory succeeded")
	}
	// A directory of some rule files only: each missing one is named.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "countries.yaml"), []byte(shipped(t)["countries.yaml"]), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadDir(dir)
	ps = problemsOf(t, err)
	if len(ps) != len((&ruleFiles{}).targets())-1 || ps[0].Error() != filepath.Join(dir, "catalog.yaml")+": missing: chipcheck needs this rule file" {
		t.Errorf("got:\n%v", err)
	}
}

func TestVocabulary(t *testing.T) {
	s, err := loadFS(files(t, map[string]string{"catalog.yaml": shipped(t)["catalog.yaml"] +
		"\n  bare-entry:\n    performance:\n      - {format: int8, bits: 8, tops: 100}\n"}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		fn   func(string) bool
		in   string
		want bool
	}{
		{"country", s.Country, "US", true},
		{"country NO", s.Country, "NO", true},
		{"country unknown", s.Country, "XX", false},
		{"country lower case", s.Country, "us", false},
		{"country empty", s.Country, "", false},
		{"end use", s.EndUse, "ai_training", true},
		{"end use military", s.EndUse, "military", true},
		{"end use unknown", s.EndUse, "ai_trainingx", false},
		{"end use from another list", s.EndUse, "cash_payment", false},
		{"red flag", s.RedFlag, "no_web_presence", true},
		{"red flag unknown", s.RedFlag, "suspicious", false},
		{"red flag from another list", s.RedFlag, "ai_training", false},
		{"catalog id", s.Catalog, "nvidia-h100-sxm5-80gb", true},
		{"catalog id upper case", s.Catalog, "NVIDIA-H100-SXM5-80GB", true},
		{"catalog alias", s.Catalog, "H100 SXM", true},
		{"catalog alias other case and spaces", s.Catalog, "  h100   sxm ", true},
		{"catalog alias with dashes", s.Catalog, "h100-sxm5-80g", true},
		{"catalog entry without name or alias", s.Catalog, "BARE-ENTRY", true},
		{"catalog name is not an alias", s.Catalog, "NVIDIA H100 SXM5 80GB (not an alias)", false},
		{"catalog unknown", s.Catalog, "H300", false},
		{"catalog empty", s.Catalog, "", false},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
	if id, ok := s.CatalogID(" Bare-Entry "); !ok || id != "bare-entry" || len(s.CatalogEntries()[id].Performance) != 1 {
		t.Errorf("entry without name or alias: CatalogID = %q, %v", id, ok)
	}
}

func TestCountryCode(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"US", "US", true},
		{"us", "US", true},
		{"United States", "US", true},
		{"Korea, North", "KP", true},
		{"korea,  north", "KP", true},
		{"Korea, South", "KR", true},
		{"Burma", "MM", true},
		{"Norway", "NO", true},
		{"NO", "NO", true},
		{"UAE", "AE", true},
		{"Hong Kong", "HK", true},
		{"China", "CN", true},
		{"Germany", "DE", true},
		{"Atlantis", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := s.CountryCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CountryCode(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNumber(t *testing.T) {
	s, err := loadFS(files(t, map[string]string{"extra.yaml": testData}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    []string
		want    float64
		wantErr string
	}{
		{[]string{"extra", "tpp_min"}, 4800, ""},
		{[]string{"extra", "pd_min"}, 5.92, ""},
		{[]string{"extra", "negative"}, -3, ""},
		{[]string{"extra", "nested", "deeper", "value"}, 7, ""},
		{[]string{"screening", "review_threshold"}, 0.81, ""},
		{[]string{"extra", "text"}, 0, "want a number"},
		{[]string{"extra", "flag"}, 0, "want a number"},
		{[]string{"extra", "missing"}, 0, "extra.missing"},
		{[]string{"nostem", "x"}, 0, "nostem.x"},
		{[]string{"extra", "tpp_min", "below"}, 0, "not found"},
		{[]string{"extra", "nested"}, 0, "want a number"},
	}
	for _, tt := range tests {
		got, err := s.Number(tt.path...)
		name := strings.Join(tt.path, ".")
		if tt.wantErr == "" {
			if err != nil || got != tt.want {
				t.Errorf("Number(%s) = %v, %v, want %v", name, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("Number(%s) = %v, want an error", name, got)
		} else if !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Number(%s) error %q, want it to contain %q", name, err, tt.wantErr)
		}
	}
}

func TestCodes(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Codes("end_use", "codes"); len(got) < 7 || !slices.IsSorted(got) || !slices.Contains(got, "ai_training") {
		t.Errorf("Codes(end_use.codes) = %v", got)
	}
	if got := s.Codes("nope"); len(got) != 0 {
		t.Errorf("Codes(nope) = %v, want none", got)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Korea, North", "korea, north"},
		{"  H100\tSXM \n", "h100 sxm"},
		{"A  B   C", "a b c"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestShippedVocabularies checks the rules/ directory of the repository
// for the vocabularies docs/records.md promises and the country aliases the
// list loaders depend on.
func TestShippedVocabularies(t *testing.T) {
	s, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"ai_training", "supercomputer", "advanced_ic_production",
		"semiconductor_equipment_production", "military", "military_intelligence", "wmd"} {
		if !s.EndUse(c) {
			t.Errorf("end-use code %s (docs/records.md) is not in rules/end_use.yaml", c)
		}
	}
	for _, f := range []string{"new_customer_large_volume", "residential_address", "no_web_presence",
		"no_business_need", "datacenter_capacity_unconfirmed", "freight_forwarder_destination",
		"unclear_ultimate_consignee", "evasive_end_use", "unusual_routing", "cash_payment",
		"declines_installation_or_training"} {
		if !s.RedFlag(f) {
			t.Errorf("red-flag code %s (docs/records.md) is not in rules/red_flags.yaml", f)
		}
	}
	for _, c := range []string{"US", "NO", "CN", "HK", "MO", "XK"} {
		if !s.Country(c) {
			t.Errorf("Country(%q) = false", c)
		}
	}
	if id, ok := s.CatalogID("H100-SXM5-80G"); !ok || id != "nvidia-h100-sxm5-80gb" {
		t.Errorf("catalog alias H100-SXM5-80G: %q, %v", id, ok)
	}
}

// TestListCodesMatchLoader: listCodes, the codes screening.yaml must have
// a rule for, are the codes internal/lists assigns to lists.Entry.List:
// the CSL sources it knows (cslSources), the lists it names for the OFAC
// files (listNames) and the lists nonSDNList sorts OFAC's non-SDN entries
// into. It reads the loader's source, so a list added there fails here
// until screening.yaml has a rule for it.
func TestListCodesMatchLoader(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join("..", "lists", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	found := map[string]bool{}
	lit := func(e ast.Expr) {
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			if s, err := strconv.Unquote(b.Value); err == nil {
				codes[s] = true
			}
		}
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if (id.Name != "cslSources" && id.Name != "listNames") || i >= len(n.Values) {
						continue
					}
					found[id.Name] = true
					for _, el := range n.Values[i].(*ast.CompositeLit).Elts {
						kv := el.(*ast.KeyValueExpr)
						if id.Name == "cslSources" {
							lit(kv.Value)
						} else {
							lit(kv.Key)
						}
					}
				}
			case *ast.FuncDecl:
				if n.Name.Name != "nonSDNList" {
					return true
				}
				found[n.Name.Name] = true
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
						lit(r.Results[0])
					}
					return true
				})
			}
			return true
		})
	}
	for _, decl := range []string{"cslSources", "listNames", "nonSDNList"} {
		if !found[decl] {
			t.Fatalf("internal/lists has no %s any more: update this test to read the list codes from where they are now", decl)
		}
	}
	if got := slices.Sorted(maps.Keys(codes)); !slices.Equal(got, listCodes) {
		t.Errorf("internal/lists assigns list codes %v; listCodes (check.go) is %v", got, listCodes)
	}
}
