# Unit tests of the end-use requirements (15 CFR 744.2-744.4, 744.21-744.23)
# against the real rules/end_use.yaml and Country Groups. Fixtures:
# requirements_test.rego.
package chipcheck.order

# An order of a non-3A090 item (end-use controls reach any item).
eu_order(code, date, dest) := {"date": date, "dest": dest, "items": [it_none], "end_use": [code]}

eu_fires(code, date, dest, id) if {
	r := the(reasons_of(eu_order(code, date, dest)), id)
	r.outcome == "deny"
}

eu_silent(code, date, dest, id) if no_rule(reasons_of(eu_order(code, date, dest)), id)

# ---- reason shape ----------------------------------------------------------

test_eu_reason_shape if {
	rs := reasons_of(eu_order("supercomputer", "2025-06-01", "CN"))
	r := the(rs, "EAR-744.23-SUPERCOMPUTER")
	r.outcome == "deny"
	r.message == "declared end use supercomputer in destination CN (Country Groups D:1, D:4, D:5) needs a license for any item subject to the EAR; no license or applicable License Exception is on file; License Exceptions do not overcome it"
	r.citation == "15 CFR 744.23(a)(1)"
	r.facts.end_use == ["supercomputer"]
	contains(r.facts.where, "CN")
	not r.facts.review_policy
	no_rule(rs, "NO-LICENSE-REQUIRED")
}

test_eu_license_overcomes if {
	o := object.union(eu_order("military", "2025-06-01", "CN"), {"license": {"type": "license", "number": "L-7"}})
	r := the(reasons_of(o), "EAR-744.21-MILITARY")
	r.outcome == "allow"
	r.facts.authorized_by == "license L-7 on file"
}

test_eu_code_not_declared if {
	rs := reasons_of({"items": [it_none], "end_use": ["ai_training", "research"]})
	count([r | some r in rs; startswith(r.rule, "EAR-744")]) == 0
	the(rs, "NO-LICENSE-REQUIRED").outcome == "allow"
}

test_eu_several_codes if {
	rs := reasons_of({"items": [it_none], "end_use": ["supercomputer", "military", "wmd"]})
	the(rs, "EAR-744.23-SUPERCOMPUTER").outcome == "deny"
	the(rs, "EAR-744.21-MILITARY").outcome == "deny"
	the(rs, "EAR-744-WMD").outcome == "deny"
	no_rule(rs, "EAR-744.22-MILITARY-INTELLIGENCE")
}

test_eu_not_domestic if {
	every code in ["supercomputer", "military", "wmd"] {
		o := {"from": "US", "dest": "US", "items": [it_none], "end_use": [code], "parties": [party("end_user", "E", "CN", "CN")]}
		count(reqs_of(o)) == 0
		the(reasons_of(o), "NO-LICENSE-REQUIRED").outcome == "allow"
	}
}

# ---- 744.23 supercomputer / advanced IC / SME ------------------------------

test_eu_supercomputer_dates_and_places if {
	id := "EAR-744.23-SUPERCOMPUTER"
	eu_silent("supercomputer", "2022-10-06", "CN", id)
	eu_fires("supercomputer", "2022-10-07", "CN", id)
	eu_fires("supercomputer", "2025-06-01", "MO", id)
	eu_fires("supercomputer", "2025-06-01", "RU", id)
	eu_fires("supercomputer", "2025-06-01", "HK", id)
	eu_silent("supercomputer", "2025-06-01", "VN", id) # D:1 only
	eu_silent("supercomputer", "2025-06-01", "SG", id)
}

test_eu_supercomputer_follows_dated_d5 if {
	id := "EAR-744.23-SUPERCOMPUTER"
	eu_fires("supercomputer", "2026-02-02", "KH", id)
	eu_silent("supercomputer", "2026-02-03", "KH", id)
	eu_silent("supercomputer", "2024-03-14", "NI", id)
	eu_fires("supercomputer", "2024-03-15", "NI", id)
}

test_eu_end_user_location if {
	o := object.union(eu_order("supercomputer", "2025-06-01", "SG"), {"parties": [party("end_user", "Lab E", "CN", "SG")]})
	r := the(reasons_of(o), "EAR-744.23-SUPERCOMPUTER")
	r.outcome == "deny"
	contains(r.message, "by end user Lab E located in CN (Country Groups D:1, D:4, D:5)")

	# only the end user's location counts, not a buyer's
	o2 := object.union(eu_order("supercomputer", "2025-06-01", "SG"), {"parties": [party("buyer", "B", "CN", "CN")]})
	no_rule(reasons_of(o2), "EAR-744.23-SUPERCOMPUTER")
	o3 := object.union(eu_order("supercomputer", "2025-06-01", "SG"), {"parties": [party("end_user", "E", "SG", "CN")]})
	no_rule(reasons_of(o3), "EAR-744.23-SUPERCOMPUTER")
}

test_eu_end_user_hk_reads_as_cn if {
	o := object.union(eu_order("advanced_ic_production", "2025-06-01", "SG"), {"parties": [party("end_user", "E", "HK", "HK")]})
	the(reasons_of(o), "EAR-744.23-ADVANCED-IC").outcome == "deny"
}

test_eu_advanced_ic if {
	id := "EAR-744.23-ADVANCED-IC"
	eu_silent("advanced_ic_production", "2022-10-06", "CN", id)
	eu_fires("advanced_ic_production", "2022-10-07", "CN", id)
	eu_fires("advanced_ic_production", "2025-06-01", "MO", id)
	eu_silent("advanced_ic_production", "2025-06-01", "AE", id)
	the(reasons_of(eu_order("advanced_ic_production", "2025-06-01", "CN")), id).citation == "15 CFR 744.23(a)(2)"
}

test_eu_sme if {
	id := "EAR-744.23-SME"
	eu_silent("semiconductor_equipment_production", "2023-11-16", "CN", id)
	eu_fires("semiconductor_equipment_production", "2023-11-17", "CN", id)
	eu_fires("semiconductor_equipment_production", "2025-06-01", "MO", id)
	eu_silent("semiconductor_equipment_production", "2025-06-01", "VN", id)
	the(reasons_of(eu_order("semiconductor_equipment_production", "2025-06-01", "CN")), id).citation == "15 CFR 744.23(a)(4)"
}

# ---- 744.21 military -------------------------------------------------------

test_eu_military_dates if {
	id := "EAR-744.21-MILITARY"
	eu_silent("military", "2020-06-28", "CN", id)
	eu_fires("military", "2020-06-29", "CN", id)
	the(reasons_of(eu_order("military", "2025-06-01", "CN")), id).citation == "15 CFR 744.21(a)"
}

test_eu_military_countries if {
	id := "EAR-744.21-MILITARY"
	every c in ["BY", "CN", "KH", "MM", "RU", "VE", "HK"] {
		eu_fires("military", "2025-06-01", c, id)
	}
	every c in ["CU", "IR", "KP", "SY", "MO", "VN", "DE"] {
		eu_silent("military", "2025-06-01", c, id)
	}
	eu_fires("military", "2026-06-01", "KH", id) # named in 744.21 whatever D:5 says
}

test_eu_military_nicaragua_from_2024_03_15 if {
	eu_silent("military", "2024-03-14", "NI", "EAR-744.21-MILITARY")
	eu_fires("military", "2024-03-15", "NI", "EAR-744.21-MILITARY")
}

test_eu_military_end_user if {
	o := object.union(eu_order("military", "2025-06-01", "SG"), {"parties": [party("end_user", "Army Lab", "RU", "RU")]})
	contains(the(reasons_of(o), "EAR-744.21-MILITARY").message, "by end user Army Lab located in RU")
}

# ---- 744.22 military intelligence ------------------------------------------

test_eu_military_intelligence if {
	id := "EAR-744.22-MILITARY-INTELLIGENCE"
	eu_silent("military_intelligence", "2021-03-15", "CN", id)
	eu_fires("military_intelligence", "2021-03-16", "CN", id)
	every c in ["BY", "CN", "CU", "IR", "KH", "KP", "MM", "RU", "SY", "VE"] {
		eu_fires("military_intelligence", "2025-06-01", c, id)
	}
	eu_silent("military_intelligence", "2025-06-01", "MO", id)
	eu_silent("military_intelligence", "2025-06-01", "VN", id)
	eu_silent("military_intelligence", "2024-03-14", "NI", id)
	eu_fires("military_intelligence", "2024-03-15", "NI", id)
	the(reasons_of(eu_order("military_intelligence", "2025-06-01", "CU")), id).citation == "15 CFR 744.22(a)"
}

# ---- 744.2-744.4 WMD -------------------------------------------------------

test_eu_wmd_anywhere if {
	id := "EAR-744-WMD"
	every c in ["DE", "JP", "SG", "CN", "CA"] {
		eu_fires("wmd", "2025-06-01", c, id)
	}
	eu_fires("wmd", "2000-01-01", "DE", id)
	r := the(reasons_of(eu_order("wmd", "2025-06-01", "DE")), id)
	r.citation == "15 CFR 744.2, 744.3, 744.4"
	contains(r.message, "DE")
	r.facts.end_use == ["wmd"]
}
