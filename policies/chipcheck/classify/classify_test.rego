# Unit tests of the 3A090/4A090 classification, against the real regimes of
# rules/classification.yaml. TPP figures are built as int8 TOPS x 8 bits so
# that every threshold can be hit exactly (600 x 8 = 4800, 599 x 8 = 4792).
package chipcheck.classify

# ---- fixtures --------------------------------------------------------------

# A package-level chip with TPP t (t a multiple of 8) and die area a.
chip_tpp(t, a) := {"datacenter": true, "die_area_mm2": a, "performance": [{"format": "int8", "bits": 8, "tops": t / 8}]}

# The same without a datacenter statement / with a given one.
chip_dc(t, a, dc) := object.union(chip_tpp(t, a), {"datacenter": dc})

chip_no_dc(t, a) := object.remove(chip_tpp(t, a), {"datacenter"})

# Dates in each regime.
d_before := "2022-10-06"

d_2022 := "2023-06-01"

d_2023 := "2024-06-01"

d_2024 := "2025-06-01"

classify_on(chip, d) := r if {
	r := result with input as {"date": d, "chip": chip}
}

classify_contains(cs, d) := r if {
	r := result with input as {"date": d, "contains": cs}
}

# The single reason of a classification, with the fields every test checks.
is_class(r, eccn, paragraph, rule, outcome) if {
	r.eccn == eccn
	r.paragraph == paragraph
	count(r.reasons) == 1
	r.reasons[0].rule == rule
	r.reasons[0].outcome == outcome
	r.reasons[0].citation != ""
}

oct2023_class(t, a, d) := classify_on(chip_tpp(t, a), d)

# ---- regime selection ------------------------------------------------------

test_regime_boundaries if {
	regime.id == "before-3a090" with input as {"date": "2022-10-06"}
	regime.id == "oct-2022" with input as {"date": "2022-10-07"}
	regime.id == "oct-2022" with input as {"date": "2023-11-16"}
	regime.id == "oct-2023" with input as {"date": "2023-11-17"}
	regime.id == "oct-2023" with input as {"date": "2024-12-01"}
	regime.id == "dec-2024" with input as {"date": "2024-12-02"}
}

test_result_reports_regime if {
	classify_on(chip_tpp(4800, 800), "2023-11-17").regime == "oct-2023"
	classify_on(chip_tpp(4800, 800), "2024-12-02").regime == "dec-2024"
}

# ---- TPP and PD figures ----------------------------------------------------

test_tpp_is_max_over_formats if {
	chip := {
		"datacenter": true, "die_area_mm2": 1000,
		"performance": [
			{"format": "fp16", "bits": 16, "tops": 150}, # 2400
			{"format": "int8", "bits": 8, "tops": 400}, # 3200
			{"format": "int4", "bits": 4, "tops": 700}, # 2800
		],
	}
	r := classify_on(chip, d_2024)
	r.tpp == 3200
	r.pd == 3.2
	is_class(r, "3A090.b", "3A090.b.1", "ECCN-3A090.b.1", "allow")
}

test_dies_sum_counts_and_areas if {
	# package-level figures count once, each die `count` times, per format
	chip := {
		"datacenter": true,
		"performance": [{"format": "int8", "bits": 8, "tops": 100}], # 800
		"dies": [
			{"count": 2, "die_area_mm2": 250, "performance": [{"format": "int8", "bits": 8, "tops": 100}]}, # 2 x 800
			{"die_area_mm2": 100, "performance": [{"format": "fp16", "bits": 16, "tops": 10}]}, # 160, count defaults to 1
		],
	}
	r := classify_on(chip, d_2024)
	r.tpp == 2400 # int8: 800 + 1600; fp16 only 160
	r.pd == 4 # 2400 / (2 x 250 + 100)
	is_class(r, "3A090.b", "3A090.b.1", "ECCN-3A090.b.1", "allow")
}

test_package_die_area_wins_over_dies if {
	chip := {
		"datacenter": true, "die_area_mm2": 300,
		"dies": [{"count": 2, "die_area_mm2": 1000, "performance": [{"format": "int8", "bits": 8, "tops": 200}]}],
	}
	r := classify_on(chip, d_2024)
	r.tpp == 3200
	r.pd == 10.67 # 3200 / 300, shown rounded
	is_class(r, "3A090.a", "3A090.a.2", "ECCN-3A090.a.2", "allow")
}

test_die_without_area_means_no_area if {
	chip := {
		"datacenter": true,
		"dies": [
			{"count": 1, "die_area_mm2": 400, "performance": [{"format": "int8", "bits": 8, "tops": 200}]},
			{"count": 1, "performance": [{"format": "int8", "bits": 8, "tops": 200}]},
		],
	}
	r := classify_on(chip, d_2024)
	r.tpp == 3200
	r.pd == null
	is_class(r, "unknown", "", "ECCN-UNKNOWN", "review")
	contains(r.reasons[0].message, "applicable die area is not given")
}

test_figures_rounded_for_display_only if {
	# PD 1776/300.1 = 5.918..., shown as 5.92 but below the 5.92 floor of .a.2
	r := oct2023_class(1776, 300.1, d_2024)
	r.pd == 5.92
	is_class(r, "3A090.b", "3A090.b.2", "ECCN-3A090.b.2", "allow")
}

# ---- no performance figures ------------------------------------------------

test_no_performance_is_unknown if {
	r := classify_on({"datacenter": true, "die_area_mm2": 800}, d_2024)
	is_class(r, "unknown", "", "ECCN-UNKNOWN", "review")
	r.tpp == null
	r.pd == null
	contains(r.reasons[0].message, "no performance figures given")
}

test_no_performance_is_unknown_in_every_regime if {
	every d in [d_before, d_2022, d_2023, d_2024] {
		classify_on({"die_area_mm2": 800, "performance": []}, d).eccn == "unknown"
	}
}

# ---- before 2022-10-07 -----------------------------------------------------

test_before_3a090_is_none if {
	r := classify_on(chip_tpp(16000, 800), "2022-10-06")
	is_class(r, "none", "", "ECCN-NONE", "allow")
	r.tpp == 16000
	contains(r.reasons[0].message, "did not exist yet")
	r.regime == "before-3a090"
}

# ---- October 2022 regime: TPP and interconnect -----------------------------

test_oct2022_a_at_4800_and_600 if {
	r := classify_on(object.union(chip_tpp(4800, 800), {"interconnect_gbs": 600}), "2022-10-07")
	is_class(r, "3A090.a", "3A090.a (Oct 2022)", "ECCN-3A090.a-2022", "allow")
	contains(r.reasons[0].message, "interconnect 600 >= 600 GB/s")
	r.regime == "oct-2022"
}

test_oct2022_interconnect_599_is_none if {
	r := classify_on(object.union(chip_tpp(4800, 800), {"interconnect_gbs": 599}), d_2022)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "interconnect 599 >= 600")
}

test_oct2022_tpp_4792_is_none if {
	r := classify_on(object.union(chip_tpp(4792, 800), {"interconnect_gbs": 900}), d_2022)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "TPP 4792 >= 4800")
}

test_oct2022_missing_interconnect_is_unknown if {
	r := classify_on(chip_tpp(4800, 800), d_2022)
	is_class(r, "unknown", "", "ECCN-UNKNOWN", "review")
	contains(r.reasons[0].message, "interconnect bandwidth not given")
}

# interconnect_gbs: 0 is a chip with no chip-to-chip interconnect: a
# figure, not a missing one.
test_oct2022_zero_interconnect_is_none if {
	r := classify_on(object.union(chip_tpp(9600, 800), {"interconnect_gbs": 0}), d_2022)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "interconnect 0 >= 600")
}

test_oct2022_missing_interconnect_below_tpp_is_none if {
	r := classify_on(chip_tpp(4792, 800), d_2022)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "interconnect not given")
}

test_oct2022_datacenter_and_pd_play_no_part if {
	# non-datacenter part still 3A090.a; high-PD part below 4800 still none
	r1 := classify_on(object.union(chip_dc(4800, 10000, false), {"interconnect_gbs": 600}), "2023-11-16")
	is_class(r1, "3A090.a", "3A090.a (Oct 2022)", "ECCN-3A090.a-2022", "allow")
	r2 := classify_on(object.union(chip_tpp(3200, 100), {"interconnect_gbs": 900}), "2023-11-16")
	is_class(r2, "none", "", "ECCN-NONE", "allow")
}

test_oct2022_same_chip_changes_class_on_2023_11_17 if {
	# A800-like: TPP 4992, interconnect 400: not 3A090 under Oct 2022, .a.1 after
	chip := object.union(chip_tpp(4992, 826), {"interconnect_gbs": 400})
	classify_on(chip, "2023-11-16").eccn == "none"
	is_class(classify_on(chip, "2023-11-17"), "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
}

# ---- Oct 2023 / Dec 2024 regimes -------------------------------------------

# 1. TPP >= 4800 -> .a.1 whatever datacenter says

test_a1_at_4800 if {
	every d in ["2023-11-17", d_2024] {
		r := oct2023_class(4800, 100000, d)
		is_class(r, "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
		r.tpp == 4800
		r.pd == 0.05
	}
}

test_a1_regardless_of_datacenter if {
	r1 := classify_on(chip_dc(4800, 800, false), d_2024)
	is_class(r1, "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
	contains(r1.reasons[0].message, "not designed or marketed for datacenters")
	r2 := classify_on(chip_no_dc(4800, 800), d_2024)
	is_class(r2, "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
	contains(r2.reasons[0].message, "datacenter design or marketing not stated")
	r3 := classify_on(chip_tpp(4800, 800), d_2024)
	contains(r3.reasons[0].message, "3A090.a.1: TPP 4800 >= 4800; designed or marketed for datacenters")
}

test_a1_without_die_area if {
	r := classify_on({"datacenter": true, "performance": [{"format": "fp4", "bits": 4, "tops": 9000}]}, d_2024)
	is_class(r, "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
	r.tpp == 36000
	r.pd == null
}

test_below_4800_low_pd_is_none if {
	# TPP 4792, PD 0.4792: meets no prong
	r := oct2023_class(4792, 10000, d_2024)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "meets no 3A090 prong")
}

# 2. Note to 3A090: datacenter false and TPP < 4800

test_note_non_datacenter_below_4800 if {
	r := classify_on(chip_dc(4792, 100, false), d_2024)
	is_class(r, "none", "", "ECCN-3A090-NOTE", "allow")
	contains(r.reasons[0].message, "Note to 3A090")
	r.tpp == 4792
	r.pd == 47.92
}

test_note_same_chip_datacenter_true_is_a2 if {
	r := classify_on(chip_dc(4792, 100, true), d_2024)
	is_class(r, "3A090.a", "3A090.a.2", "ECCN-3A090.a.2", "allow")
}

test_note_applies_before_missing_area if {
	chip := {"datacenter": false, "performance": [{"format": "int8", "bits": 8, "tops": 400}]}
	is_class(classify_on(chip, d_2024), "none", "", "ECCN-3A090-NOTE", "allow")
}

# 3. TPP < 1600 -> none

test_below_tpp_floor_is_none if {
	r := oct2023_class(1592, 100, d_2024) # PD 15.92 would meet .a.2
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "below every 3A090 TPP floor (1600)")
}

test_below_tpp_floor_is_none_without_area_or_datacenter if {
	chip := {"performance": [{"format": "int8", "bits": 8, "tops": 199}]}
	is_class(classify_on(chip, d_2024), "none", "", "ECCN-NONE", "allow")
}

# 4. no applicable die area -> unknown

test_no_area_between_floor_and_4800_is_unknown if {
	chip := {"datacenter": true, "performance": [{"format": "int8", "bits": 8, "tops": 200}]}
	r := classify_on(chip, d_2024)
	is_class(r, "unknown", "", "ECCN-UNKNOWN", "review")
	r.tpp == 1600
	r.pd == null
	contains(r.reasons[0].message, "TPP 1600 is between 1600 and 4800")
}

# 5. datacenter not given and the PD prongs give a paragraph -> unknown
#
# SUSPECTED POLICY BUG (todo): oct2023's step-5 guard is
# `not is_boolean(chip.datacenter)`; when the record has no `datacenter` the
# argument is undefined, so OPA makes the negated call undefined (not true)
# and the branch never fires: such a chip comes out .a.2/.b.1 instead of
# unknown. `not is_boolean(object.get(chip, "datacenter", null))` would work.

test_datacenter_not_given_with_prong_is_unknown if {
	every a in [100, 1000] { # .a.2 (PD 32) and .b.1 (PD 3.2)
		r := classify_on(chip_no_dc(3200, a), d_2024)
		is_class(r, "unknown", "", "ECCN-UNKNOWN", "review")
		contains(r.reasons[0].message, "does not say whether")
		r.tpp == 3200
	}
}

test_datacenter_not_given_without_prong_is_none if {
	r := classify_on(chip_no_dc(3200, 10000), d_2024) # PD 0.32
	is_class(r, "none", "", "ECCN-NONE", "allow")
}

# 6. PD prongs: .a.2

test_a2_tpp_floor_1600 if {
	is_class(oct2023_class(1600, 250, d_2024), "3A090.a", "3A090.a.2", "ECCN-3A090.a.2", "allow") # PD 6.4
	is_class(oct2023_class(1592, 250, d_2024), "none", "", "ECCN-NONE", "allow") # PD 6.368
}

test_a2_pd_floor_5_92 if {
	r := oct2023_class(1776, 300, d_2024) # PD exactly 5.92
	is_class(r, "3A090.a", "3A090.a.2", "ECCN-3A090.a.2", "allow")
	r.pd == 5.92
	contains(r.reasons[0].message, "TPP 1776 >= 1600 and PD 5.92 >= 5.92")
	is_class(oct2023_class(1776, 300.1, d_2024), "3A090.b", "3A090.b.2", "ECCN-3A090.b.2", "allow")
}

test_a2_pd_5_92_beats_b1 if {
	is_class(oct2023_class(2960, 500, d_2024), "3A090.a", "3A090.a.2", "ECCN-3A090.a.2", "allow") # PD 5.92
	is_class(oct2023_class(2960, 501, d_2024), "3A090.b", "3A090.b.1", "ECCN-3A090.b.1", "allow") # PD 5.908
}

# .b.1: 2400 <= TPP < 4800 and 1.6 <= PD < 5.92

test_b1_tpp_floor_2400 if {
	r := oct2023_class(2400, 1000, d_2024) # PD 2.4
	is_class(r, "3A090.b", "3A090.b.1", "ECCN-3A090.b.1", "allow")
	contains(r.reasons[0].message, "2400 <= TPP 2400 < 4800 and 1.6 <= PD 2.4 < 5.92")
	is_class(oct2023_class(2392, 1000, d_2024), "none", "", "ECCN-NONE", "allow") # PD 2.392 < 3.2
}

test_b1_tpp_below_4800 if {
	is_class(oct2023_class(4792, 1000, d_2024), "3A090.b", "3A090.b.1", "ECCN-3A090.b.1", "allow")
	is_class(oct2023_class(4800, 1000, d_2024), "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
}

test_b1_pd_floor_1_6 if {
	is_class(oct2023_class(2400, 1500, d_2024), "3A090.b", "3A090.b.1", "ECCN-3A090.b.1", "allow") # PD 1.6
	is_class(oct2023_class(2400, 1501, d_2024), "none", "", "ECCN-NONE", "allow") # PD 1.599
}

# .b.2: TPP >= 1600 and 3.2 <= PD < 5.92

test_b2_pd_floor_3_2 if {
	r := oct2023_class(1600, 500, d_2024) # PD 3.2
	is_class(r, "3A090.b", "3A090.b.2", "ECCN-3A090.b.2", "allow")
	contains(r.reasons[0].message, "TPP 1600 >= 1600 and 3.2 <= PD 3.2 < 5.92")
	is_class(oct2023_class(1600, 501, d_2024), "none", "", "ECCN-NONE", "allow") # PD 3.19
}

test_b2_tpp_floor_1600 if {
	is_class(oct2023_class(1600, 400, d_2024), "3A090.b", "3A090.b.2", "ECCN-3A090.b.2", "allow") # PD 4
	is_class(oct2023_class(1592, 398, d_2024), "none", "", "ECCN-NONE", "allow") # PD 4, TPP below floor
}

test_b2_pd_below_5_92 if {
	is_class(oct2023_class(1776, 300.1, d_2024), "3A090.b", "3A090.b.2", "ECCN-3A090.b.2", "allow")
	is_class(oct2023_class(1776, 300, d_2024), "3A090.a", "3A090.a.2", "ECCN-3A090.a.2", "allow")
}

test_prongs_same_in_oct2023_and_dec2024 if {
	every t in [[1600, 250], [2400, 1000], [1600, 500], [2400, 1501]] {
		oct2023_class(t[0], t[1], "2023-11-17").paragraph == oct2023_class(t[0], t[1], "2024-12-02").paragraph
	}
}

# Real catalog parts as cross-checks of the data conventions.

test_catalog_h20_is_none if {
	e := data.rules.catalog.entries["nvidia-h20"]
	r := classify_on(e, d_2024)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	r.tpp == 2368
}

test_catalog_h100_is_a1 if {
	r := classify_on(data.rules.catalog.entries["nvidia-h100-sxm5-80gb"], d_2024)
	is_class(r, "3A090.a", "3A090.a.1", "ECCN-3A090.a.1", "allow")
	r.tpp == 15831.2
}

# ---- HBM (3A090.c) ---------------------------------------------------------

hbm_chip(bw, area) := {"datacenter": true, "hbm": {"bandwidth_gbs": bw, "package_area_mm2": area}}

test_hbm_above_density_is_3a090c if {
	r := classify_on(hbm_chip(1000, 499), "2024-12-02")
	is_class(r, "3A090.c", "3A090.c", "ECCN-3A090.c", "allow")
	contains(r.reasons[0].message, "memory bandwidth density 2 GB/s/mm2 > 2")
	r.tpp == null
	r.pd == null
}

test_hbm_density_exactly_2_is_none if {
	r := classify_on(hbm_chip(1000, 500), d_2024)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "not 3A090.c")
}

test_hbm_before_dec_2024_is_none if {
	every d in ["2024-12-01", d_2023, d_2022, d_before] {
		is_class(classify_on(hbm_chip(1180, 121), d), "none", "", "ECCN-NONE", "allow")
	}
}

test_hbm_catalog_stack if {
	r := classify_on(data.rules.catalog.entries["skhynix-hbm3e-8h-24gb"], "2024-12-02")
	is_class(r, "3A090.c", "3A090.c", "ECCN-3A090.c", "allow")
}

# ---- computers and assemblies (4A090) --------------------------------------

part_a := chip_tpp(16000, 800) # .a.1, PD 20

part_b := chip_tpp(3200, 1000) # .b.1, PD 3.2

part_none := chip_tpp(800, 100) # below the floor, PD 8

part_unknown := {"datacenter": true}

test_4a090a_from_a_part if {
	r := classify_contains([{"count": 8, "chip": part_a}, {"count": 2, "chip": part_none}], d_2024)
	is_class(r, "4A090.a", "4A090.a", "ECCN-4A090", "allow")
	contains(r.reasons[0].message, "4A090.a: contains 8 IC(s) meeting 3A090.a (3A090.a.1: TPP 16000")
	r.tpp == 16000 # highest contained TPP
	r.pd == 20 # highest contained PD
	count(r.contains) == 2
	r.contains[0].eccn == "3A090.a"
	r.contains[0].count == 8
	r.contains[1].eccn == "none"
	r.contains[1].count == 2
}

test_4a090a_beats_b_and_unknown if {
	r := classify_contains([{"count": 1, "chip": part_b}, {"count": 1, "chip": part_unknown}, {"count": 4, "chip": part_a}], d_2024)
	is_class(r, "4A090.a", "4A090.a", "ECCN-4A090", "allow")
	contains(r.reasons[0].message, "contains 4 IC(s)")
}

test_4a090b_from_b_part if {
	r := classify_contains([{"count": 4, "chip": part_b}, {"chip": part_none}], d_2024)
	is_class(r, "4A090.b", "4A090.b", "ECCN-4A090", "allow")
	contains(r.reasons[0].message, "4A090.b: contains 4 IC(s) meeting 3A090.b")
	r.tpp == 3200
	r.pd == 8 # PD of the none part is higher
	r.contains[1].count == 1 # count defaults to 1
}

test_4a090b_beats_unknown if {
	r := classify_contains([{"count": 1, "chip": part_unknown}, {"count": 1, "chip": part_b}], d_2024)
	is_class(r, "4A090.b", "4A090.b", "ECCN-4A090", "allow")
}

test_assembly_unknown_part_is_unknown if {
	r := classify_contains([{"count": 1, "chip": part_unknown}, {"count": 1, "chip": part_none}], d_2024)
	is_class(r, "unknown", "", "ECCN-UNKNOWN", "review")
	contains(r.reasons[0].message, "a contained IC cannot be classified")
}

test_assembly_of_none_is_none if {
	r := classify_contains([{"count": 8, "chip": part_none}], d_2024)
	is_class(r, "none", "", "ECCN-NONE", "allow")
	contains(r.reasons[0].message, "contains no IC meeting 3A090.a or 3A090.b")
}

test_assembly_without_figures_shows_null if {
	r := classify_contains([{"count": 1, "chip": part_unknown}], d_2024)
	r.tpp == null
	r.pd == null
}

test_assembly_follows_regime if {
	# before 3A090 existed the same server is none; under Oct 2022 it needs interconnect
	cs := [{"count": 8, "chip": part_a}]
	classify_contains(cs, d_before).eccn == "none"
	classify_contains(cs, d_2022).eccn == "unknown"
	is_class(classify_contains([{"count": 8, "chip": object.union(part_a, {"interconnect_gbs": 900})}], d_2022), "4A090.a", "4A090.a", "ECCN-4A090", "allow")
}
