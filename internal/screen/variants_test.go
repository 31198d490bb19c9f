package screen

import (
	"slices"
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
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
		for _, n := range entryNames(&tc.e) {
			got = append(got, n.display)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("entryNames(%q)\n got %q\nwant %q", tc.e.Name, got, tc.want)
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
