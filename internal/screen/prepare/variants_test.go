package prepare

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/internal/realdata"
)

// Published names and aliases from the Entity List, the Nonproliferation
// Sanctions list and the SDN list, with the names the index keeps for them.
func TestEntryNames(t *testing.T) {
	for _, tc := range []struct {
		e    lists.Entry
		want []string
	}{
		{lists.Entry{Name: "Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd.", Aliases: []string{"Huawei Marine", "HMN Technologies"}},
			[]string{"Huawei Marine Networks Co., Ltd", "Huawei Marine", "HMN Technologies"}},
		{lists.Entry{Name: "Huawei Technologies Co., Ltd. (Huawei)", Aliases: []string{"Shenzhen Huawei Technologies"}},
			[]string{"Huawei Technologies Co., Ltd. (Huawei)", "Huawei Technologies Co., Ltd", "Huawei", "Shenzhen Huawei Technologies"}},
		{lists.Entry{Name: "Ardis Group of Companies LLC and any successor, sub-unit, or subsidiary thereof"},
			[]string{"Ardis Group of Companies LLC"}},
		{lists.Entry{Name: "Chitron Electronics Company Ltd., a.k.a. Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)"},
			[]string{"Chitron Electronics Company Ltd", "Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)", "Chi-Chung Electronics Company Ltd", "Chitron-Shenzhen"}},
		{lists.Entry{Name: "Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan"},
			[]string{"Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan", "Chengdu Huawei Technologies Co., Ltd"}},
		{lists.Entry{Name: "Huawei Technologies (UK) Co., Ltd."},
			[]string{"Huawei Technologies (UK) Co., Ltd", "Huawei Technologies Co., Ltd"}},
		{lists.Entry{Name: "Semiconductor Manufacturing International Corporation (SMIC)"},
			[]string{"Semiconductor Manufacturing International Corporation (SMIC)", "Semiconductor Manufacturing International Corporation", "SMIC"}},
		{lists.Entry{Name: "Sugon", Aliases: []string{"and Da-Jiang Innovations"}},
			[]string{"Sugon", "Da-Jiang Innovations"}},
		{lists.Entry{Name: "PUTIN, Vladimir Vladimirovich", Type: "individual", Aliases: []string{"PUTIN, Vladimir"}},
			[]string{"PUTIN, Vladimir Vladimirovich", "PUTIN, Vladimir"}},
	} {
		var got []string
		for _, n := range EntryNames(&tc.e) {
			got = append(got, n.Display)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("EntryNames(%q)\n got %q\nwant %q", tc.e.Name, got, tc.want)
		}
	}
}

func TestParentheticalAlias(t *testing.T) {
	for _, tc := range []struct {
		inner, before string
		want          bool
	}{
		{"SMIC", "Semiconductor Manufacturing International Corporation ", true},
		{"Huawei", "Huawei Technologies Co., Ltd. ", true},
		{"UK", "Huawei Technologies ", false},
		{"Thailand", "Huawei Technologies ", false},
		{"Beijing", "Semiconductor Manufacturing International ", false},
	} {
		if got := parentheticalAlias(tc.inner, tc.before); got != tc.want {
			t.Errorf("parentheticalAlias(%q, %q) = %v", tc.inner, tc.before, got)
		}
	}
}

// The cheap checks EntryNames makes before each regexp must never skip a
// name the regexp matches: every published name and alias of the real lists.
func TestRegexpPrechecks(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the real lists; skipped in -short mode")
	}
	corp := realdata.Corpus(t)
	for _, tc := range []struct {
		name string
		re   *regexp.Regexp
		may  func(string) bool
	}{
		{"leadingMarker", leadingMarker, func(s string) bool { return s != "" && strings.IndexByte("aAfFnN", s[0]) >= 0 }},
		{"successorTail", successorTail, func(s string) bool {
			return mayContain(s, "successor", "subunit", "sub-unit", "subsidiar", "affiliate")
		}},
		{"affiliated", affiliated, func(s string) bool { return mayContain(s, "affiliated") }},
		{"akaInline", akaInline, func(s string) bool { return mayContain(s, "k.", "known as") }},
		{"parens", parens, func(s string) bool { return strings.IndexByte(s, '(') >= 0 }},
	} {
		matched := 0
		for _, e := range corp.Entries {
			for _, s := range append([]string{e.Name}, e.Aliases...) {
				s = strings.TrimSpace(s)
				if tc.re.MatchString(s) {
					matched++
					if !tc.may(s) {
						t.Errorf("%s matches %q but its precheck skips it", tc.name, s)
					}
				}
			}
		}
		if matched == 0 {
			t.Errorf("%s matches no real name: the check proves nothing", tc.name)
		}
	}
	// (?i) folds long s and the Kelvin sign: non-ASCII text is never skipped.
	if !mayContain("X and its ſucceſſors", "successor") {
		t.Error("mayContain skips non-ASCII text")
	}
}
