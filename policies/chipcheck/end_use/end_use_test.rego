# Unit tests of the end-use stage (15 CFR 744.2-744.4, 744.21-744.23)
# against the real rules/end_use.yaml and Country Groups. The stage sees the
# declared end-use codes and the end user's country, never the items: its
# requirements name every item ("all").
#
# Inputs are built as the engine builds them (internal/orders/stages.go,
# decide.go, project.go):
#   requirements:
#     {date, destination, ship_from, end_use: [codes], end_user: {country}}
#     (end_user.country is "" when the order names no end user or no country)
#   requirement_reasons (the second step, once per requirement found):
#     {date, destination, ship_from, license, kinds,
#      requirement: <the requirement, plus items: the ids of every item
#                    class in the authorization view>,
#      items: [{class, eccn, band, datacenter_a?}]}   (see fx.reason_input)
package chipcheck.end_use

import data.chipcheck.fixtures as fx

# A stage input from flat keys: date, dest, from, codes, end_user (country).
stage_input(o) := {
	"date": object.get(o, "date", "2025-06-01"),
	"destination": object.get(o, "dest", "CN"),
	"ship_from": object.get(o, "from", "US"),
	"end_use": object.get(o, "codes", []),
	"end_user": {"country": object.get(o, "end_user", "")},
}

reqs_of(o) := rs if {
	rs := requirements with input as stage_input(o)
}

eu(code, date, dest) := {"date": date, "dest": dest, "codes": [code]}

fires(code, date, dest, id) if {
	r := fx.the(reqs_of(eu(code, date, dest)), id)
	r.kind == "end_use"
}

silent(code, date, dest, id) if fx.no_rule(reqs_of(eu(code, date, dest)), id)

# Both steps, as the engine runs them, for an order of lines its (default
# one 3A090.a item) with o's license (default none) and kinds (default the
# kinds of the requirements found).
requirement_reasons_of(o) := [r |
	some q in rq
	rs := requirement_reasons with input as fx.reason_input(si, q, its, object.union({"kinds": ["end_use"]}, o))
	some r in rs
] if {
	si := stage_input(o)
	its := object.get(o, "items", [fx.it_a])
	rq := requirements with input as si
}

# ---- requirement shape ---------------------------------------------------------

test_eu_requirement_shape if {
	rq := reqs_of(eu("supercomputer", "2025-06-01", "CN"))
	count(rq) == 1
	r := fx.the(rq, "EAR-744.23-SUPERCOMPUTER")
	r == {
		"rule": "EAR-744.23-SUPERCOMPUTER",
		"kind": "end_use",
		"classes": "all",
		"citation": "15 CFR 744.23(a)(1)",
		"what": "declared end use supercomputer in destination CN (Country Groups D:1, D:4, D:5) needs a license for any item subject to the EAR",
		"facts": {"end_use": ["supercomputer"]},
	}
}

# ---- the requirement's reason ------------------------------------------------------

test_eu_reason_not_overcome_by_license_exceptions if {
	rs := requirement_reasons_of({"codes": ["supercomputer"], "items": [fx.it_b, fx.it_none]})
	rs == [{
		"rule": "EAR-744.23-SUPERCOMPUTER",
		"outcome": "deny",
		"message": "declared end use supercomputer in destination CN (Country Groups D:1, D:4, D:5) needs a license for any item subject to the EAR; no license or applicable License Exception is on file; License Exceptions do not overcome it",
		"citation": "15 CFR 744.23(a)(1)",
		"facts": {"end_use": ["supercomputer"]},
		"about": {"classes": "all", "license": false},
	}]
	every lic in [fx.nac_ok, fx.aca_claim, fx.lic_no_number] {
		[r.outcome | some r in requirement_reasons_of({"codes": ["supercomputer"], "items": [fx.it_b], "license": lic})] == ["deny"]
	}
}

test_eu_reason_authorized_by_a_license if {
	rs := requirement_reasons_of({"dest": "DE", "codes": ["wmd", "military"], "license": fx.lic_ok})
	count(rs) == 1
	r := fx.the(rs, "EAR-744-WMD")
	r.outcome == "allow"
	r.message == "declared end use wmd in destination DE (Country Groups A:5) needs a license for any item subject to the EAR; authorized by the license on file (license {license.number})"
	r.facts == {"end_use": ["wmd"], "authorized_by": "the license on file"}
	r.about == {"classes": "all", "license": true}
}

test_eu_one_reason_per_requirement if {
	rs := requirement_reasons_of({"codes": ["supercomputer", "military", "wmd"]})
	count(rs) == 3
	{r.rule | some r in rs} == {"EAR-744-WMD", "EAR-744.21-MILITARY", "EAR-744.23-SUPERCOMPUTER"}
}

test_requirement_reasons_need_a_requirement if {
	count(requirement_reasons) == 0 with input as object.union(stage_input({"codes": ["wmd"]}), {"license": fx.lic_ok, "kinds": [], "items": []})
}

test_eu_code_not_declared if {
	count(reqs_of({"codes": ["ai_training", "research", "technical_evaluation"]})) == 0
	count(reqs_of({"codes": []})) == 0
}

test_eu_several_codes if {
	rq := reqs_of({"codes": ["supercomputer", "military", "wmd", "research"]})
	{r.rule | some r in rq} == {"EAR-744.23-SUPERCOMPUTER", "EAR-744.21-MILITARY", "EAR-744-WMD"}
	fx.the(rq, "EAR-744.21-MILITARY").facts == {"end_use": ["military"]}
}

test_eu_not_domestic if {
	every code in ["supercomputer", "military", "military_intelligence", "wmd"] {
		count(reqs_of({"from": "US", "dest": "US", "codes": [code], "end_user": "CN"})) == 0
	}

	# an export to the US is an export: the end user's place still counts
	fx.the(reqs_of({"from": "CA", "dest": "US", "codes": ["wmd"]}), "EAR-744-WMD").kind == "end_use"
	r := fx.the(reqs_of({"from": "CA", "dest": "US", "codes": ["military"], "end_user": "CN"}), "EAR-744.21-MILITARY")
	contains(r.what, "by the end user located in CN")
}

# ---- 744.23 supercomputer / advanced IC / SME --------------------------------

test_eu_supercomputer_dates_and_places if {
	id := "EAR-744.23-SUPERCOMPUTER"
	silent("supercomputer", "2022-10-06", "CN", id)
	fires("supercomputer", "2022-10-07", "CN", id)
	fires("supercomputer", "2025-06-01", "MO", id)
	fires("supercomputer", "2025-06-01", "RU", id)
	fires("supercomputer", "2025-06-01", "HK", id)
	silent("supercomputer", "2025-06-01", "VN", id) # D:1 only
	silent("supercomputer", "2025-06-01", "AE", id) # D:4 only
	silent("supercomputer", "2025-06-01", "SG", id)
}

# 744.23 reached China from 2022-10-07, Macau from 2023-01-17 (88 FR 2821)
# and the rest of D:5 from 2023-11-17 (88 FR 73458).
test_eu_744_23_dated_by_group if {
	every code in ["supercomputer", "advanced_ic_production"] {
		id := {"supercomputer": "EAR-744.23-SUPERCOMPUTER", "advanced_ic_production": "EAR-744.23-ADVANCED-IC"}[code]
		fires(code, "2022-10-07", "CN", id)
		fires(code, "2022-10-07", "HK", id)
		silent(code, "2023-01-16", "MO", id)
		fires(code, "2023-01-17", "MO", id)
		silent(code, "2022-10-07", "RU", id)
		silent(code, "2023-11-16", "RU", id)
		fires(code, "2023-11-17", "RU", id)
		silent(code, "2023-11-16", "IR", id)
		fires(code, "2023-11-17", "IR", id)
	}
}

test_eu_supercomputer_follows_dated_d5 if {
	id := "EAR-744.23-SUPERCOMPUTER"
	fires("supercomputer", "2026-02-02", "KH", id)
	silent("supercomputer", "2026-02-03", "KH", id)
	silent("supercomputer", "2024-03-14", "NI", id)
	fires("supercomputer", "2024-03-15", "NI", id)
}

test_eu_destination_hk_reads_as_cn if {
	r := fx.the(reqs_of(eu("supercomputer", "2025-06-01", "HK")), "EAR-744.23-SUPERCOMPUTER")
	contains(r.what, "in destination HK (read as CN; Country Groups D:1, D:4, D:5) needs")
}

test_eu_end_user_location if {
	r := fx.the(reqs_of({"dest": "SG", "codes": ["supercomputer"], "end_user": "CN"}), "EAR-744.23-SUPERCOMPUTER")
	r.what == "declared end use supercomputer by the end user located in CN (Country Groups D:1, D:4, D:5) needs a license for any item subject to the EAR"
	count(reqs_of({"dest": "SG", "codes": ["supercomputer"], "end_user": "SG"})) == 0
	count(reqs_of({"dest": "SG", "codes": ["supercomputer"], "end_user": "VN"})) == 0
	count(reqs_of({"dest": "SG", "codes": ["supercomputer"], "end_user": ""})) == 0
}

test_eu_end_user_without_country if {
	si := object.remove(stage_input({"dest": "SG", "codes": ["supercomputer"]}), {"end_user"})
	count(requirements) == 0 with input as si
}

test_eu_destination_wins_over_end_user if {
	r := fx.the(reqs_of({"dest": "CN", "codes": ["supercomputer"], "end_user": "RU"}), "EAR-744.23-SUPERCOMPUTER")
	contains(r.what, "in destination CN")
	not contains(r.what, "RU")
}

test_eu_end_user_hk_reads_as_cn if {
	r := fx.the(reqs_of({"dest": "SG", "codes": ["advanced_ic_production"], "end_user": "HK"}), "EAR-744.23-ADVANCED-IC")
	contains(r.what, "by the end user located in HK (read as CN;")
}

test_eu_advanced_ic if {
	id := "EAR-744.23-ADVANCED-IC"
	silent("advanced_ic_production", "2022-10-06", "CN", id)
	fires("advanced_ic_production", "2022-10-07", "CN", id)
	fires("advanced_ic_production", "2025-06-01", "MO", id)
	silent("advanced_ic_production", "2025-06-01", "AE", id)
	r := fx.the(reqs_of(eu("advanced_ic_production", "2025-06-01", "CN")), id)
	r.citation == "15 CFR 744.23(a)(2)"
	r.facts == {"end_use": ["advanced_ic_production"]}
}

test_eu_sme if {
	id := "EAR-744.23-SME"
	silent("semiconductor_equipment_production", "2023-11-16", "CN", id)
	fires("semiconductor_equipment_production", "2023-11-17", "CN", id)
	fires("semiconductor_equipment_production", "2025-06-01", "MO", id)
	silent("semiconductor_equipment_production", "2025-06-01", "VN", id)
	fx.the(reqs_of(eu("semiconductor_equipment_production", "2025-06-01", "CN")), id).citation == "15 CFR 744.23(a)(4)"
}

# ---- 744.21 military -----------------------------------------------------------

test_eu_military_dates if {
	id := "EAR-744.21-MILITARY"
	silent("military", "2020-06-28", "CN", id)
	fires("military", "2020-06-29", "CN", id)
	fx.the(reqs_of(eu("military", "2025-06-01", "CN")), id).citation == "15 CFR 744.21(a)"
}

test_eu_military_countries if {
	id := "EAR-744.21-MILITARY"
	every c in ["BY", "CN", "KH", "MM", "RU", "VE", "HK"] {
		fires("military", "2025-06-01", c, id)
	}
	every c in ["CU", "IR", "KP", "SY", "MO", "VN", "DE"] {
		silent("military", "2025-06-01", c, id)
	}
	fires("military", "2026-06-01", "KH", id) # named in 744.21 whatever D:5 says
}

test_eu_military_nicaragua_from_2024_03_15 if {
	silent("military", "2024-03-14", "NI", "EAR-744.21-MILITARY")
	fires("military", "2024-03-15", "NI", "EAR-744.21-MILITARY")
}

test_eu_military_end_user if {
	r := fx.the(reqs_of({"dest": "SG", "codes": ["military"], "end_user": "RU"}), "EAR-744.21-MILITARY")
	contains(r.what, "by the end user located in RU (Country Groups D:1, D:4, D:5)")
}

# ---- 744.22 military intelligence ----------------------------------------------

test_eu_military_intelligence if {
	id := "EAR-744.22-MILITARY-INTELLIGENCE"
	silent("military_intelligence", "2021-03-15", "CN", id)
	fires("military_intelligence", "2021-03-16", "CN", id)
	every c in ["BY", "CN", "CU", "IR", "KH", "KP", "MM", "RU", "SY", "VE"] {
		fires("military_intelligence", "2025-06-01", c, id)
	}
	silent("military_intelligence", "2025-06-01", "MO", id)
	silent("military_intelligence", "2025-06-01", "VN", id)
	silent("military_intelligence", "2024-03-14", "NI", id)
	fires("military_intelligence", "2024-03-15", "NI", id)
	fx.the(reqs_of(eu("military_intelligence", "2025-06-01", "CU")), id).citation == "15 CFR 744.22(a)"
}

# ---- 744.2-744.4 WMD -------------------------------------------------------------

test_eu_wmd_anywhere if {
	id := "EAR-744-WMD"
	every c in ["DE", "JP", "SG", "CN", "CA"] {
		fires("wmd", "2025-06-01", c, id)
	}
	fires("wmd", "2000-01-01", "DE", id)
	r := fx.the(reqs_of(eu("wmd", "2025-06-01", "DE")), id)
	r.citation == "15 CFR 744.2, 744.3, 744.4"
	r.what == "declared end use wmd in destination DE (Country Groups A:5) needs a license for any item subject to the EAR"
	r.facts == {"end_use": ["wmd"]}
}

# ---- supplied place facts --------------------------------------------------------

test_supplied_places_are_used if {
	# a fake entry that puts SG under the supercomputer control
	real := data.chipcheck.place.of("SG", "2025-06-01")
	fake := object.union(real, {"end_use": object.union(real.end_use, {"supercomputer": "FAKE"})})
	o := {"dest": "SG", "codes": ["supercomputer"]}
	count(reqs_of(o)) == 0
	rq := requirements with input as object.union(stage_input(o), {"places": {"SG": fake}})
	contains(fx.the(rq, "EAR-744.23-SUPERCOMPUTER").what, "in destination SG")

	# and for the end user's country
	o2 := {"dest": "DE", "codes": ["supercomputer"], "end_user": "SG"}
	count(reqs_of(o2)) == 0
	rq2 := requirements with input as object.union(stage_input(o2), {"places": {"SG": fake}})
	contains(fx.the(rq2, "EAR-744.23-SUPERCOMPUTER").what, "by the end user located in SG")
}
