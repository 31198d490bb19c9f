# Unit tests of the per-item judgments (data.chipcheck.item) against the
# real rules/*.yaml: the views each stage sees, at their dated edges. The
# stage tests build their inputs from these views; these pin the views.
package chipcheck.item

import data.chipcheck.fixtures as fx

d := "2026-01-20"

test_judged_reads_the_input if {
	j := judged with input as {"item": fx.it_a, "date": d}
	j == judge(fx.it_a, d)
	object.keys(j) == {"destination", "party", "letters", "authorization", "review", "line"}
}

test_views_of_a_datacenter_3a090a if {
	j := judge(fx.it_a, d)
	j.destination == {"eccn": "3A090.a", "destination": true, "hbm": false, "diffusion": true}
	j.party == {"eccn": "3A090.a", "headquarters": true}
	j.letters == {"eccn": "3A090.a", "letters": ["nvidia-h20-2025-04"]} # reaches the H20's bandwidths
	j.authorization == {
		"eccn": "3A090.a",
		"exceptions": {
			"NAC": "designed or marketed for datacenters (or contain such a 3A090.a IC), which NAC never covers",
			"ACA": "designed or marketed for datacenters (or contain such a 3A090.a IC), which ACA never covers",
		},
		"band": true,
	}
	j.review == {"eccn": "3A090.a", "band": true}
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

# ---- License Exception eligibility ------------------------------------------------

test_exceptions_eligible_items if {
	every it in [fx.it_b, fx.it_a_nodc, fx.server("4A090.b", fx.it_b, 8), fx.server("4A090.a", fx.it_a_nodc, 8)] {
		judge(it, d).authorization.exceptions == {"NAC": null, "ACA": null}
	}
}

test_exceptions_datacenter_a if {
	every it in [fx.it_a, fx.it_a_unsaid, fx.server("4A090.a", fx.it_a, 8), fx.server("4A090.a", fx.it_a_unsaid, 8)] {
		judge(it, d).authorization.exceptions.NAC == "designed or marketed for datacenters (or contain such a 3A090.a IC), which NAC never covers"
	}
	mixed := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [object.union(fx.it_b, {"count": 4}), object.union(fx.it_a, {"count": 4})]})
	judge(mixed, d).authorization.exceptions.ACA == "designed or marketed for datacenters (or contain such a 3A090.a IC), which ACA never covers"
}

test_exceptions_items_out_of_scope if {
	judge(fx.it_none, d).authorization.exceptions == {"NAC": "not covered by NAC", "ACA": "not covered by ACA"}
	judge(fx.it_hbm, d).authorization.exceptions.NAC == "not covered by NAC"
	judge(fx.it_unknown, d).authorization.exceptions.ACA == "not covered by ACA"
}

# ---- case-by-case band ----------------------------------------------------------

test_band_null_before_2026_01_15 if {
	judge(fx.it_a, "2026-01-14").authorization.band == null
	judge(fx.it_a, "2026-01-14").review.band == null
	judge(fx.it_a, "2026-01-15").review.band == true
}

test_band_edges if {
	judge(object.union(fx.it_a, {"tpp": 20999.99}), d).review.band == true
	judge(object.union(fx.it_a, {"tpp": 21000}), d).review.band == false
	judge(object.union(fx.it_a, {"memory_bandwidth_gbs": 6499}), d).review.band == true
	judge(object.union(fx.it_a, {"memory_bandwidth_gbs": 6500}), d).review.band == false
}

test_band_needs_both_figures if {
	judge(object.remove(fx.it_a, {"memory_bandwidth_gbs"}), d).review.band == false
	judge(object.union(fx.it_a, {"tpp": null}), d).review.band == false
	judge(fx.it_hbm, d).review.band == false
}

test_band_every_contained_chip if {
	judge(fx.server("4A090.a", fx.it_a, 8), d).review.band == true
	big := object.union(fx.it_a, {"tpp": 36000})
	mixed := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [object.union(fx.it_a, {"count": 4}), object.union(big, {"count": 4})]})
	judge(mixed, d).review.band == false
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

# ---- is-informed letters' item criteria ---------------------------------------------

test_letter_items if {
	judge(fx.h20, "2025-04-08").letters.letters == []
	judge(fx.h20, "2025-04-09").letters.letters == ["nvidia-h20-2025-04"]
	judge(fx.mi308, "2025-04-15").letters.letters == ["amd-mi308-2025-04"]
	judge(fx.plain_chip(4000, 0), d).letters.letters == ["nvidia-h20-2025-04"]
	judge(fx.plain_chip(0, 900), d).letters.letters == ["nvidia-h20-2025-04"]
	judge(fx.plain_chip(3999, 899), d).letters.letters == []
	judge(fx.plain_chip(null, null), d).letters.letters == []
	judge(fx.server("none", object.remove(fx.h20, {"memory_bandwidth_gbs", "interconnect_gbs"}), 8), d).letters.letters == ["nvidia-h20-2025-04"]
}

# ---- helpers --------------------------------------------------------------------

test_text if {
	text(fx.it_a) == "3A090.a (TPP 15831.2, PD 19.45)"
	text(fx.it_hbm) == "3A090.c (TPP not given, PD not given)"
	text({"eccn": "none"}) == "none (TPP not given, PD not given)"
}

test_chips_of if {
	chips_of(fx.it_a) == [fx.it_a]
	chips_of(object.union(fx.it_a, {"contains": []})) == [object.union(fx.it_a, {"contains": []})]
	s := fx.server("4A090.a", fx.it_a, 8)
	chips_of(s) == s.contains
}
