# Unit tests of the per-item judgments (data.chipcheck.item) against the
# real rules/*.yaml: the `line` document the engine queries once per chip
# specification and date interval, and the views each stage sees, at their
# dated edges. The stage tests build their inputs from these views; these
# pin the views.
#
# Input of `line`, as the engine builds it (internal/orders/line.go,
# specInput): {date, chip: <spec>} for a chip line, {date, contains:
# [{count, catalog?, chip}]} for a computer or assembly; a spec is the
# record's chip as JSON (name, catalog, datacenter, die_area_mm2,
# performance, dies, memory_bandwidth_gbs, interconnect_gbs,
# designer_country, hbm, gp10_named; absent fields left out).
#
# judge(it, d) is also called directly here with the fixture lines of
# data.chipcheck.fixtures (already classified), as the stage tests do.
package chipcheck.item

import data.chipcheck.fixtures as fx

d := "2026-01-20"

# ---- line: the document the engine queries -------------------------------------

# An H100-class chip spec as a record gives it: int8 2000 TOPS x 8 bits =
# TPP 16000 on 800 mm2 (PD 20).
spec_h := {
	"name": "Accel H", "designer_country": "US", "datacenter": true,
	"die_area_mm2": 800, "performance": [{"format": "int8", "bits": 8, "tops": 2000}],
	"memory_bandwidth_gbs": 3350, "interconnect_gbs": 900,
}

# A PRC-designed 3A090.b.1 chip: TPP 3200 on 800 mm2 (PD 4).
spec_p := {
	"name": "PRC Accel", "designer_country": "CN", "datacenter": true,
	"die_area_mm2": 800, "performance": [{"format": "int8", "bits": 8, "tops": 400}],
	"memory_bandwidth_gbs": 2000,
}

why_h := "3A090.a.1: TPP 16000 >= 4800; designed or marketed for datacenters"

line_of(x) := l if {
	l := line with input as object.union({"date": d}, x)
}

test_line_of_a_chip if {
	l := line_of({"chip": spec_h})
	object.keys(l) == {"classification", "judged"}

	# the classification is data.chipcheck.classify's, unchanged
	l.classification == data.chipcheck.classify.result with input as {"date": d, "chip": spec_h}
	l.classification.eccn == "3A090.a"
	l.classification.paragraph == "3A090.a.1"

	l.judged == {
		"destination": {"eccn": "3A090.a", "destination": true, "hbm": false, "diffusion": true},
		"party": {"eccn": "3A090.a", "headquarters": true},
		"letters": {"eccn": "3A090.a", "letters": ["nvidia-h20-2025-04", "intel-gaudi-2025-04"]}, # interconnect 900; memory 3350
		"authorization": {"eccn": "3A090.a", "band": true, "incomplete": false},
		"exceptions": {"eccn": "3A090.a", "band": true, "datacenter_a": true, "incomplete": false},
		"line": {"eccn": "3A090.a", "gp10": null, "unclassified": null},
	}
}

test_line_judges_the_chip_fields_and_its_classification if {
	# the judgments read the chip's own fields and its classification,
	# never the figures classify reads (die area, performance)
	it := item_of({"chip": spec_h}, data.chipcheck.classify.result) with input as {"date": d, "chip": spec_h}
	it == {
		"name": "Accel H", "designer_country": "US", "datacenter": true,
		"memory_bandwidth_gbs": 3350, "interconnect_gbs": 900,
		"eccn": "3A090.a", "paragraph": "3A090.a.1", "tpp": 16000, "pd": 20, "why": why_h,
	}
	l := line_of({"chip": spec_h})
	l.judged == judge(it, d)
}

test_line_not_datacenter_chip if {
	l := line_of({"chip": object.union(spec_h, {"datacenter": false})})
	l.judged.exceptions == {"eccn": "3A090.a", "band": true, "datacenter_a": false, "incomplete": false}
}

test_line_catalog_and_gp10_fields_reach_the_judgments if {
	spec := object.union(spec_h, {"name": "Huawei Ascend 910B", "catalog": "huawei-ascend-910b", "designer_country": "CN", "gp10_named": true})
	l := line_of({"chip": spec})
	l.judged.line == {"eccn": "3A090.a", "gp10": "Huawei Ascend 910B is named in BIS's GP10 guidance", "unclassified": null}
}

test_line_unclassified_chip_says_why if {
	l := line_of({"chip": {"name": "Mystery", "datacenter": true}})
	l.classification.eccn == "unknown"
	l.judged.line == {"eccn": "unknown", "gp10": null, "unclassified": l.classification.reasons[0].message}
	startswith(l.judged.line.unclassified, "ECCN unknown: ")
	l.judged.destination == {"eccn": "unknown", "destination": false, "hbm": false, "diffusion": false}
	l.judged.exceptions.datacenter_a == false
	l.judged.authorization.band == false
}

test_line_of_an_assembly if {
	x := {"contains": [{"count": 4, "chip": spec_h}, {"count": 4, "chip": spec_p}]}
	l := line_of(x)
	l.classification == data.chipcheck.classify.result with input as object.union({"date": d}, x)
	l.classification.eccn == "4A090.a"
	l.judged == {
		"destination": {"eccn": "4A090.a", "destination": true, "hbm": false, "diffusion": true},
		"party": {"eccn": "4A090.a", "headquarters": true},
		"letters": {"eccn": "4A090.a", "letters": ["nvidia-h20-2025-04", "intel-gaudi-2025-04"]}, # from the H chip
		"authorization": {"eccn": "4A090.a", "band": true, "incomplete": false}, # every chip is in the band
		"exceptions": {"eccn": "4A090.a", "band": true, "datacenter_a": true, "incomplete": false}, # contains a datacenter 3A090.a
		"line": {"eccn": "4A090.a", "gp10": "PRC Accel is 3A090.b and was designed in CN", "unclassified": null},
	}
}

test_line_assembly_items_are_each_chip_with_its_own_class if {
	x := {"contains": [{"count": 4, "chip": spec_h}, {"count": 4, "chip": spec_p}]}
	c := data.chipcheck.classify.result with input as object.union({"date": d}, x)
	it := item_of(x, c)
	it.eccn == "4A090.a"
	it.tpp == 16000
	it.why == "4A090.a: contains 4 IC(s) meeting 3A090.a (3A090.a.1: TPP 16000 >= 4800; designed or marketed for datacenters)"
	not it.name
	it.contains == [
		{
			"name": "Accel H", "designer_country": "US", "datacenter": true,
			"memory_bandwidth_gbs": 3350, "interconnect_gbs": 900,
			"eccn": "3A090.a", "paragraph": "3A090.a.1", "tpp": 16000, "pd": 20, "why": why_h,
		},
		{
			"name": "PRC Accel", "designer_country": "CN", "datacenter": true, "memory_bandwidth_gbs": 2000,
			"eccn": "3A090.b", "paragraph": "3A090.b.1", "tpp": 3200, "pd": 4,
			"why": "3A090.b.1: 2400 <= TPP 3200 < 4800 and 1.6 <= PD 4 < 5.92; designed or marketed for datacenters",
		},
	]
}

test_line_assembly_with_a_chip_outside_the_band if {
	big := object.union(spec_p, {"memory_bandwidth_gbs": 8000})
	l := line_of({"contains": [{"count": 4, "chip": spec_h}, {"count": 4, "chip": big}]})
	l.judged.authorization.band == false
	l.judged.exceptions.band == false
}

test_line_assembly_of_non_datacenter_a_chips if {
	l := line_of({"contains": [{"count": 8, "chip": object.union(spec_h, {"datacenter": false})}]})
	l.judged.exceptions.datacenter_a == false
	l.judged.line.gp10 == null
}

test_line_needs_a_chip_or_contents if {
	not line with input as {"date": d}
}

test_why_falls_back_to_the_eccn if {
	why({"eccn": "none", "reasons": [{"message": "m"}]}) == "m"
	why({"eccn": "none"}) == "none"
	why({"eccn": "none", "reasons": []}) == "none"
}

# ---- the views of one classified line ----------------------------------------------

test_views_of_a_datacenter_3a090a if {
	j := judge(fx.it_a, d)
	object.keys(j) == {"destination", "party", "letters", "authorization", "exceptions", "line"}
	j.destination == {"eccn": "3A090.a", "destination": true, "hbm": false, "diffusion": true}
	j.party == {"eccn": "3A090.a", "headquarters": true}
	j.letters == {"eccn": "3A090.a", "letters": ["nvidia-h20-2025-04", "intel-gaudi-2025-04"]} # reaches the H20's bandwidths, and Intel's
	j.authorization == {"eccn": "3A090.a", "band": true, "incomplete": false}
	j.exceptions == {"eccn": "3A090.a", "band": true, "datacenter_a": true, "incomplete": false}
	j.line == {"eccn": "3A090.a", "gp10": null, "unclassified": null}
}

# ---- requirement scope by ECCN and date -----------------------------------------

test_destination_scope_versions if {
	judge(fx.it_a, "2022-10-06").destination.destination == false
	judge(fx.it_a, "2022-10-07").destination.destination == true
	judge(fx.it_b, "2023-11-16").destination.destination == false
	judge(fx.it_b, "2023-11-17").destination.destination == true
	judge(fx.server("4A090.b", fx.it_b, 8), "2023-11-17").destination.destination == true
	judge(fx.it_none, d).destination.destination == false
	judge(fx.it_hbm, d).destination.destination == false
	judge(fx.it_unknown, d).destination.destination == false
}

test_headquarters_scope if {
	judge(fx.it_a, "2023-11-16").party.headquarters == false
	judge(fx.it_a, "2023-11-17").party.headquarters == true
	judge(fx.server("4A090.a", fx.it_a, 8), d).party.headquarters == true
	judge(fx.it_hbm, d).party.headquarters == false
	judge(fx.it_none, d).party.headquarters == false
}

test_hbm_scope if {
	judge(fx.it_hbm, "2024-12-01").destination.hbm == false
	judge(fx.it_hbm, "2024-12-02").destination.hbm == true
	judge(fx.it_a, d).destination.hbm == false
}

test_diffusion_items_and_date if {
	judge(fx.it_a, "2025-01-12").destination.diffusion == false
	judge(fx.it_a, "2025-01-13").destination.diffusion == true
	judge(fx.server("4A090.a", fx.it_a, 8), d).destination.diffusion == true
	judge(fx.it_b, d).destination.diffusion == false
	judge(fx.server("4A090.b", fx.it_b, 8), d).destination.diffusion == false
}

# ---- datacenter 3A090.a items (no License Exception covers them) -------------------
#
# The view says only whether the item is one; why an exception cannot cover
# an item (this, or an ECCN outside its scope) is data.chipcheck.authorization's
# `ineligible`, tested there.

test_datacenter_a_eligible_items if {
	every it in [fx.it_b, fx.it_a_nodc, fx.server("4A090.b", fx.it_b, 8), fx.server("4A090.a", fx.it_a_nodc, 8)] {
		judge(it, d).exceptions.datacenter_a == false
	}
}

test_datacenter_a if {
	every it in [fx.it_a, fx.it_a_unsaid, fx.server("4A090.a", fx.it_a, 8), fx.server("4A090.a", fx.it_a_unsaid, 8)] {
		judge(it, d).exceptions.datacenter_a == true
	}
	mixed := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [object.union(fx.it_b, {"count": 4}), object.union(fx.it_a, {"count": 4})]})
	judge(mixed, d).exceptions.datacenter_a == true
	nodc_mixed := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [object.union(fx.it_b, {"count": 4}), object.union(fx.it_a_nodc, {"count": 4})]})
	judge(nodc_mixed, d).exceptions.datacenter_a == false
}

test_datacenter_a_items_out_of_scope if {
	# not datacenter 3A090.a items (an exception's ECCN scope is checked by
	# the authorization judgments)
	every it in [fx.it_none, fx.it_hbm, fx.it_unknown, fx.server("4A090.b", fx.it_b, 8)] {
		judge(it, d).exceptions.datacenter_a == false
	}

	# a 4A090.a item without contents named has no datacenter chip to find
	judge(object.remove(fx.server("4A090.a", fx.it_a, 8), {"contains"}), d).exceptions.datacenter_a == false
}

test_authorization_view_is_exceptions_without_datacenter_a if {
	every it in [fx.it_a, fx.it_b, fx.it_hbm, fx.server("4A090.a", fx.it_a, 8)] {
		j := judge(it, d)
		j.authorization == object.remove(j.exceptions, {"datacenter_a"})
	}
}

# ---- case-by-case band ----------------------------------------------------------

test_band_null_before_2026_01_15 if {
	judge(fx.it_a, "2026-01-14").authorization.band == null
	judge(fx.it_a, "2026-01-14").exceptions.band == null
	judge(fx.it_a, "2026-01-15").authorization.band == true
	judge(fx.it_a, "2026-01-15").exceptions.band == true
}

test_band_edges if {
	judge(object.union(fx.it_a, {"tpp": 20999.99}), d).authorization.band == true
	judge(object.union(fx.it_a, {"tpp": 21000}), d).authorization.band == false
	judge(object.union(fx.it_a, {"memory_bandwidth_gbs": 6499}), d).authorization.band == true
	judge(object.union(fx.it_a, {"memory_bandwidth_gbs": 6500}), d).authorization.band == false
}

test_band_needs_both_figures if {
	judge(object.remove(fx.it_a, {"memory_bandwidth_gbs"}), d).authorization.band == false
	judge(object.union(fx.it_a, {"tpp": null}), d).authorization.band == false
	judge(fx.it_hbm, d).authorization.band == false
}

test_band_every_contained_chip if {
	judge(fx.server("4A090.a", fx.it_a, 8), d).authorization.band == true
	big := object.union(fx.it_a, {"tpp": 36000})
	mixed := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [object.union(fx.it_a, {"count": 4}), object.union(big, {"count": 4})]})
	judge(mixed, d).authorization.band == false
	judge(mixed, d).exceptions.band == false
}

# ---- GP10 -------------------------------------------------------------------------

test_gp10 if {
	judge(fx.ascend, "2025-05-12").line.gp10 == null
	judge(fx.ascend, "2025-05-13").line.gp10 == "Huawei Ascend 910B is named in BIS's GP10 guidance"
	judge(fx.cn_b, d).line.gp10 == "PRC Accel is 3A090.b and was designed in CN"
	judge(object.union(fx.cn_b, {"designer_country": "HK"}), d).line.gp10 == "PRC Accel is 3A090.b and was designed in HK"
	judge(object.union(fx.cn_b, {"eccn": "4A090.b"}), d).line.gp10 == null
	judge(fx.it_a, d).line.gp10 == null
}

test_unclassified if {
	judge(fx.it_unknown, d).line.unclassified == fx.it_unknown.why
	judge(fx.it_a, d).line.unclassified == null
}

# A computer with an IC that cannot be classified is reviewed whatever else
# it contains; its ECCN stays the level the other ICs prove.
test_unclassified_part_of_a_computer if {
	part := object.union(fx.it_unknown, {"count": 1})
	b := object.union(fx.server("4A090.b", fx.it_b, 4), {"contains": [object.union(fx.it_b, {"count": 4}), part]})
	judge(b, d).line.unclassified == sprintf("contains 1 IC type(s) that cannot be classified (%s): the item is at least 4A090.b and may be more", [fx.it_unknown.why])
	judge(b, d).line.eccn == "4A090.b"
	a := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [object.union(fx.it_a, {"count": 8}), part, part]})
	startswith(judge(a, d).line.unclassified, "contains 2 IC type(s) that cannot be classified")
	judge(fx.server("4A090.a", fx.it_a, 8), d).line.unclassified == null
}

# End to end through the `line` query: 4A090.b computer with an unknown IC.
test_line_query_computer_with_unknown_ic if {
	chip_b := {"name": "B", "datacenter": true, "die_area_mm2": 1000, "performance": [{"format": "fp16", "bits": 16, "tops": 200}]}
	l := line with input as {"date": "2025-06-01", "contains": [{"count": 4, "chip": chip_b}, {"count": 1, "chip": {"name": "X"}}]}
	l.classification.eccn == "4A090.b"
	startswith(l.judged.line.unclassified, "contains 1 IC type(s) that cannot be classified")
	l.judged.destination.eccn == "4A090.b"
}

# ---- is-informed letters' item criteria ---------------------------------------------

test_letter_items if {
	judge(fx.h20, "2025-04-08").letters.letters == []
	judge(fx.h20, "2025-04-09").letters.letters == ["nvidia-h20-2025-04", "intel-gaudi-2025-04"]
	judge(fx.mi308, "2025-04-15").letters.letters == ["amd-mi308-2025-04"]
	judge(fx.plain_chip(4000, 0), d).letters.letters == ["nvidia-h20-2025-04", "intel-gaudi-2025-04"]
	judge(fx.plain_chip(0, 900), d).letters.letters == ["nvidia-h20-2025-04"]
	judge(fx.plain_chip(3999, 899), d).letters.letters == ["intel-gaudi-2025-04"] # 3999 >= 1400
	judge(fx.plain_chip(1000, 699), d).letters.letters == [] # 1699 < 1700
	judge(fx.plain_chip(1000, 700), d).letters.letters == ["intel-gaudi-2025-04"] # combined 1700
	judge(fx.plain_chip(1000, null), d).letters.letters == [] # no I/O figure: no combined figure
	judge(fx.plain_chip(null, null), d).letters.letters == []
	judge(fx.server("none", object.remove(fx.h20, {"memory_bandwidth_gbs", "interconnect_gbs"}), 8), d).letters.letters == ["nvidia-h20-2025-04"]
}

# ---- helpers --------------------------------------------------------------------

test_chips_of if {
	chips_of(fx.it_a) == [fx.it_a]
	chips_of(object.union(fx.it_a, {"contains": []})) == [object.union(fx.it_a, {"contains": []})]
	s := fx.server("4A090.a", fx.it_a, 8)
	chips_of(s) == s.contains
}

# A computer holding an IC that cannot be classified keeps the level the
# others prove, but is incomplete: nothing may say no license is required.
test_views_of_a_computer_with_an_unknown_ic if {
	l := line_of({"contains": [{"count": 8, "chip": spec_h}, {"count": 1, "chip": {"name": "card", "datacenter": true}}]})
	l.judged.authorization.incomplete == true
	l.judged.exceptions.incomplete == true
	l.judged.line.unclassified != null
}
