# Unit tests of the shared helpers: effective dating, Country Group
# membership and sets, the reason shape. Country data is the real
# rules/country_groups.yaml unless a test says it checks a mechanism.
package chipcheck.lib

# ---- country / treat_as ----------------------------------------------------

test_country_hk_reads_as_cn if {
	country("HK") == "CN"
}

test_country_other_codes_unchanged if {
	country("MO") == "MO"
	country("CN") == "CN"
	country("US") == "US"
}

# ---- in_force --------------------------------------------------------------

test_in_force_from_is_inclusive if {
	in_force({"from": "2024-03-15"}, "2024-03-15")
	not in_force({"from": "2024-03-15"}, "2024-03-14")
}

test_in_force_until_is_exclusive if {
	in_force({"until": "2026-02-03"}, "2026-02-02")
	not in_force({"until": "2026-02-03"}, "2026-02-03")
}

test_in_force_both_bounds if {
	x := {"from": "2024-01-01", "until": "2025-01-01"}
	not in_force(x, "2023-12-31")
	in_force(x, "2024-01-01")
	in_force(x, "2024-12-31")
	not in_force(x, "2025-01-01")
}

test_in_force_unbounded_is_always if {
	in_force({}, "0001-01-01")
	in_force({}, "9999-12-30")
}

# ---- current ---------------------------------------------------------------

versions := [
	{"from": "2022-10-07", "v": 1},
	{"from": "2023-01-18", "v": 2},
	{"from": "2023-11-17", "v": 3},
]

test_current_is_last_version_on_or_before_date if {
	current(versions, "2022-10-07").v == 1
	current(versions, "2023-01-17").v == 1
	current(versions, "2023-01-18").v == 2
	current(versions, "2023-11-16").v == 2
	current(versions, "2023-11-17").v == 3
	current(versions, "2030-01-01").v == 3
}

test_current_undefined_before_first_version if {
	not current(versions, "2022-10-06")
	not current([], "2025-01-01")
}

test_current_real_destination_versions if {
	ds := data.rules.license.destination
	current(ds, "2022-10-07").countries == ["CN"]
	current(ds, "2023-01-16").countries == ["CN"]
	current(ds, "2023-01-17").countries == ["CN", "MO"]
	not current(ds, "2023-11-16").groups
	current(ds, "2023-11-17").groups == ["D:1", "D:4", "D:5"]
	not current(ds, "2022-10-06")
}

# ---- member (real Country Groups, dated entries) ---------------------------

test_member_plain if {
	member("D:5", "CN", "2020-01-01")
	member("D:4", "IL", "2025-01-01")
	member("A:6", "IL", "2025-01-01")
	not member("D:5", "VN", "2025-01-01")
	not member("D:1", "US", "2025-01-01")
}

test_member_nicaragua_joins_d1_d5_on_2024_03_15 if {
	not member("D:1", "NI", "2024-03-14")
	not member("D:5", "NI", "2024-03-14")
	member("D:1", "NI", "2024-03-15")
	member("D:5", "NI", "2024-03-15")
	not member("D:4", "NI", "2024-03-15")
}

test_member_cambodia_leaves_d5_on_2026_02_03 if {
	member("D:5", "KH", "2026-02-02")
	member("D:5", "KH", "2022-10-07")
	not member("D:5", "KH", "2026-02-03")

	# stays in D:1
	member("D:1", "KH", "2026-02-03")
}

test_member_unknown_group if {
	not member("Z:9", "CN", "2025-01-01")
}

# ---- in_set ----------------------------------------------------------------

test_in_set_countries if {
	in_set({"countries": ["MO"]}, "MO", "2025-01-01")
	not in_set({"countries": ["MO"]}, "CN", "2025-01-01")
	not in_set({}, "CN", "2025-01-01")
}

test_in_set_dated_entries if {
	s := {"dated": [{"country": "NI", "from": "2024-03-15"}]}
	not in_set(s, "NI", "2024-03-14")
	in_set(s, "NI", "2024-03-15")
	not in_set(s, "CN", "2024-03-15")
}

test_in_set_all if {
	in_set({"all": true}, "DE", "2025-01-01")
	in_set({"all": true}, "US", "2025-01-01")
	not in_set({"all": false}, "DE", "2025-01-01")
}

test_in_set_groups_minus_except_groups if {
	s := {"groups": ["D:1", "D:4"], "except_groups": ["A:5", "A:6"]}
	in_set(s, "AE", "2025-01-01") # D:4 only
	in_set(s, "VN", "2025-01-01") # D:1 only
	not in_set(s, "IL", "2025-01-01") # D:4 but A:6
	not in_set(s, "US", "2025-01-01")
	in_set({"groups": ["D:4"]}, "IL", "2025-01-01")
}

test_in_set_countries_added_after_exclusion if {
	# `countries` are added after except_groups are taken away
	in_set({"groups": ["D:4"], "except_groups": ["A:6"], "countries": ["IL"]}, "IL", "2025-01-01")
}

test_in_set_groups_follow_dated_membership if {
	s := {"groups": ["D:5"]}
	not in_set(s, "NI", "2024-03-14")
	in_set(s, "NI", "2024-03-15")
	in_set(s, "KH", "2026-02-02")
	not in_set(s, "KH", "2026-02-03")
}

test_in_set_except_group_dated_mechanism if {
	# an except_group membership that is itself dated only excludes while in force
	groups := {
		"G": {"members": ["XX"], "dated": []},
		"X": {"members": [], "dated": [{"country": "XX", "from": "2025-01-01"}]},
	}
	s := {"groups": ["G"], "except_groups": ["X"]}
	in_set(s, "XX", "2024-12-31") with data.rules.country_groups as groups
	not in_set(s, "XX", "2025-01-01") with data.rules.country_groups as groups
}

# ---- named sets of license.yaml --------------------------------------------

test_in_named_macau_d5 if {
	in_named("macau_d5", "MO", "2025-01-01")
	in_named("macau_d5", "CN", "2025-01-01")
	in_named("macau_d5", "RU", "2025-01-01")
	not in_named("macau_d5", "VN", "2025-01-01")
	not in_named("macau_d5", "NI", "2024-03-14")
	in_named("macau_d5", "NI", "2024-03-15")
	in_named("macau_d5", "KH", "2026-02-02")
	not in_named("macau_d5", "KH", "2026-02-03")
}

test_in_named_d1_d4 if {
	in_named("d1_d4", "VN", "2025-01-01")
	in_named("d1_d4", "SA", "2025-01-01")
	in_named("d1_d4", "CN", "2025-01-01")
	not in_named("d1_d4", "IL", "2025-01-01") # excluded via A:6
	not in_named("d1_d4", "SG", "2025-01-01")
	in_named("d1_d4", "MO", "2025-01-01")
}

# ---- groups_text -----------------------------------------------------------

test_groups_text if {
	groups_text("CN", "2025-01-01") == "D:1, D:4, D:5"
	groups_text("IL", "2025-01-01") == "A:6, D:4"
	groups_text("US", "2025-01-01") == ""
	groups_text("NI", "2024-03-14") == ""
	groups_text("NI", "2024-03-15") == "D:1, D:5"
	groups_text("KH", "2026-02-02") == "D:1, D:5"
	groups_text("KH", "2026-02-03") == "D:1"
}

# ---- round2, num -----------------------------------------------------------

test_round2 if {
	round2(1.234) == 1.23
	round2(1.236) == 1.24
	round2(15831.2) == 15831.2
	round2(4992) == 4992
}

test_num if {
	num(3) == "3"
	num(2.5) == "2.5"
	num(null) == "not given"
	num("x") == "not given"
}

# ---- fixed3 -----------------------------------------------------------------

test_fixed3 if {
	fixed3(0.949) == "0.949"
	fixed3(0.95) == "0.950"
	fixed3(1) == "1.000" # an exact score reaches Rego as an integer
	fixed3(0.8105) == "0.811"
	fixed3(0.9999) == "1.000"
	fixed3(0) == "0.000"
}

# ---- license_number ----------------------------------------------------------

test_license_number_placeholder if {
	# the engine replaces exactly this text with the order's license number
	# (internal/orders/assemble.go, licenseNumber), in reasons about the license
	license_number == "{license.number}"
}

# ---- reason / cite ---------------------------------------------------------

meta_fixture := {"custom": {"id": "TEST-RULE", "citation": "15 CFR 1.1"}}

test_reason_default_citation if {
	r := reason(meta_fixture, "deny", "msg", "", {"k": 1})
	r == {"rule": "TEST-RULE", "outcome": "deny", "message": "msg", "citation": "15 CFR 1.1", "facts": {"k": 1}}
}

test_reason_has_no_about if {
	# a stage adds "about" (and "key") itself when the reason is about
	# item classes, a party or the license
	r := reason(meta_fixture, "allow", "msg", "", {})
	object.keys(r) == {"rule", "outcome", "message", "citation", "facts"}
}

test_cite if {
	cite(meta_fixture, "") == "15 CFR 1.1"
	cite(meta_fixture, "15 CFR 3.3") == "15 CFR 3.3"
}

test_reason_specific_citation if {
	r := reason(meta_fixture, "allow", "msg", "15 CFR 2.2(a)", {})
	r.citation == "15 CFR 2.2(a)"
	r.rule == "TEST-RULE"
	r.outcome == "allow"
}

# ---- domestic / item classes -------------------------------------------------

test_domestic_only_us_to_us if {
	domestic("US", "US")
	not domestic("CA", "US")
	not domestic("US", "CA")
	not domestic("HK", "US") # HK reads as CN
	not domestic("US", "HK")
}

test_eccns_text_names_each_eccn_once_sorted if {
	eccns_text([{"class": 3, "eccn": "3A090.b"}, {"class": 1, "eccn": "3A090.a"}, {"class": 2, "eccn": "3A090.a"}]) == "3A090.a and 3A090.b items"
	eccns_text([{"class": 1, "eccn": "none"}]) == "none items"
}

test_class_ids_sorted if {
	class_ids([{"class": 3}, {"class": 1}, {"class": 2}]) == [1, 2, 3]
	class_ids([]) == []
}

# CHIPCHECK-EVAL-ERROR is declared with METADATA (the engine reads it).
test_eval_error_declared if {
	contains(eval_error, "engine writes this reason")
}

# A dated group: its members while the entry is in force, minus except_groups.
test_in_set_dated_groups if {
	spec := {"dated_groups": [{"group": "D:5", "from": "2023-11-17"}], "except_groups": ["A:6"]}
	not in_set(spec, "RU", "2023-11-16")
	in_set(spec, "RU", "2023-11-17")
	not in_set(spec, "VN", "2023-11-17") # D:1 only
	bounded := {"dated_groups": [{"group": "D:5", "from": "2023-11-17", "until": "2024-01-01"}]}
	not in_set(bounded, "RU", "2024-01-01")

	# the group's own dated members follow the date too
	in_set(spec, "KH", "2026-02-02")
	not in_set(spec, "KH", "2026-02-03")
}
