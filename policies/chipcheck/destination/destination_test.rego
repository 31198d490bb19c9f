# Unit tests of the destination stage (EAR-742.6-DEST, EAR-742.6-HBM,
# EAR-AI-DIFFUSION-NOT-ENFORCED) against the real rules/*.yaml.
#
# Inputs are built as the engine builds them (internal/orders/stages.go,
# decide.go):
#   requirements, reasons:
#     {date, destination, ship_from, items: [{class, eccn, destination, hbm, diffusion}]}
#     items: the "destination" view of data.chipcheck.item.judge for each
#     item class; input.places is left out (the policy computes the place
#     facts) except where a test says so.
#   requirement_reasons (the second step, once per requirement found):
#     {date, destination, ship_from, license, kinds,
#      requirement: <the requirement, plus items: its class ids in the
#                    authorization view>,
#      items: [{class, eccn, band, datacenter_a?}]}   (see fx.reason_input)
package chipcheck.destination

import data.chipcheck.fixtures as fx

# A stage input from flat keys: date, dest, from, items (order lines).
# Defaults: a 2025-06-01 export of one 3A090.a item from the US to CN.
stage_input(o) := {
	"date": d,
	"destination": object.get(o, "dest", "CN"),
	"ship_from": object.get(o, "from", "US"),
	"items": fx.classes(object.get(o, "items", [fx.it_a]), d, "destination"),
} if {
	d := object.get(o, "date", "2025-06-01")
}

reqs_of(o) := rs if {
	rs := requirements with input as stage_input(o)
}

reasons_of(o) := rs if {
	rs := reasons with input as stage_input(o)
}

dest_req(o) := fx.the(reqs_of(o), "EAR-742.6-DEST")

hbm_req(o) := fx.the(reqs_of(o), "EAR-742.6-HBM")

diffusion(o) := fx.the(reasons_of(o), "EAR-AI-DIFFUSION-NOT-ENFORCED")

no_dest(o) if fx.no_rule(reqs_of(o), "EAR-742.6-DEST")

no_hbm(o) if fx.no_rule(reqs_of(o), "EAR-742.6-HBM")

no_diffusion(o) if fx.no_rule(reasons_of(o), "EAR-AI-DIFFUSION-NOT-ENFORCED")

# Both steps, as the engine runs them: the requirement_reasons of every
# requirement found, with o's license (default none) and kinds (default
# the kinds of the requirements found).
requirement_reasons_of(o) := [r |
	some q in rq
	rs := requirement_reasons with input as fx.reason_input(si, q, its, object.union({"kinds": kinds}, o))
	some r in rs
] if {
	si := stage_input(o)
	its := object.get(o, "items", [fx.it_a])
	rq := requirements with input as si
	kinds := sort({q.kind | some q in rq})
}

dest_reason(o) := fx.the(requirement_reasons_of(o), "EAR-742.6-DEST")

hbm_reason(o) := fx.the(requirement_reasons_of(o), "EAR-742.6-HBM")

cn_what := "destination CN (Country Groups D:1, D:4, D:5) is in the advanced-computing license scope for 3A090.a items"

no_license := "no license or applicable License Exception is on file"

# ---- EAR-742.6-DEST ----------------------------------------------------------

test_dest_not_before_2022_10_07 if {
	no_dest({"date": "2022-10-06"})
	count(reqs_of({"date": "2022-10-06"})) == 0
	count(requirement_reasons_of({"date": "2022-10-06"})) == 0
}

test_dest_cn_from_2022_10_07 if {
	r := dest_req({"date": "2022-10-07"})
	r == {
		"rule": "EAR-742.6-DEST",
		"kind": "destination",
		"classes": [1],
		"citation": "15 CFR 742.6(a)(6)(i) as of 87 FR 62186 (Oct 2022)",
		"what": cn_what,
		"facts": {"destination": "CN", "country_groups": "D:1, D:4, D:5"},
	}
}

test_dest_2022_versions_cover_only_a_items if {
	no_dest({"date": "2023-06-01", "items": [fx.it_b]})
	no_dest({"date": "2023-06-01", "items": [fx.server("4A090.b", fx.it_b, 8)]})
	r := dest_req({"date": "2023-06-01", "items": [fx.it_b, fx.server("4A090.a", fx.it_a, 8)]})
	r.classes == [2]
	endswith(r.what, "for 4A090.a items")
	r.citation == "15 CFR 742.6(a)(6)(i) as amended by 88 FR 2821 (Jan 2023)"
}

# 88 FR 2821 took effect on 2023-01-17, the day before it was published.
test_dest_macau_from_2023_01_17 if {
	no_dest({"date": "2023-01-16", "dest": "MO"})
	r := dest_req({"date": "2023-01-17", "dest": "MO"})
	r.facts.destination == "MO"
	r.citation == "15 CFR 742.6(a)(6)(i) as amended by 88 FR 2821 (Jan 2023)"
}

test_dest_d1_d4_from_2023_11_17 if {
	no_dest({"date": "2023-11-16", "dest": "VN", "items": [fx.it_a]})
	r := dest_req({"date": "2023-11-17", "dest": "VN", "items": [fx.it_b]})
	r.citation == "15 CFR 742.6(a)(6)(i)"
	r.facts == {"destination": "VN", "country_groups": "D:1"}
	r.what == "destination VN (Country Groups D:1) is in the advanced-computing license scope for 3A090.b items"
}

test_dest_2023_covers_a_b_and_4a090_only if {
	its := [fx.it_a, fx.it_b, fx.server("4A090.a", fx.it_a, 8), fx.server("4A090.b", fx.it_b, 4), fx.it_none, fx.it_hbm, fx.it_unknown]
	r := dest_req({"dest": "SA", "items": its})
	r.classes == [1, 2, 3, 4]
	r.what == "destination SA (Country Groups D:4) is in the advanced-computing license scope for 3A090.a and 3A090.b and 4A090.a and 4A090.b items"
}

test_dest_classes_of_one_eccn_named_once if {
	r := dest_req({"items": [fx.it_a, fx.it_a_nodc]})
	r.classes == [1, 2]
	endswith(r.what, "for 3A090.a items")
}

test_dest_d4_country if {
	dest_req({"dest": "AE"}).facts.country_groups == "D:4"
}

test_dest_excludes_a6_and_ungrouped if {
	no_dest({"dest": "IL"}) # D:4 and A:6
	no_dest({"dest": "SG"}) # A:6
	no_dest({"dest": "DE"}) # A:5
	no_dest({"dest": "US", "from": "CA"})
}

test_dest_hk_read_as_cn if {
	r := dest_req({"dest": "HK"})
	r.facts == {"destination": "CN", "country_groups": "D:1, D:4, D:5"}
	startswith(r.what, "destination HK (read as CN; Country Groups D:1, D:4, D:5) is in")
}

test_dest_no_in_scope_item if {
	no_dest({"items": [fx.it_none, fx.it_hbm, fx.it_unknown]})
}

test_dest_reexport_counts if {
	dest_req({"from": "SG", "dest": "CN"}).kind == "destination"
	dest_req({"from": "HK", "dest": "CN"}).kind == "destination"
}

test_dest_nicaragua_from_2024_03_15 if {
	no_dest({"date": "2024-03-14", "dest": "NI"})
	dest_req({"date": "2024-03-15", "dest": "NI"}).facts.country_groups == "D:1, D:5"
}

test_dest_cambodia_stays_in_scope_after_leaving_d5 if {
	dest_req({"date": "2026-02-02", "dest": "KH"}).facts.country_groups == "D:1, D:5"
	dest_req({"date": "2026-02-03", "dest": "KH"}).facts.country_groups == "D:1"
}

# ---- EAR-742.6-DEST: the requirement's reason ------------------------------------

test_dest_reason_denied_with_review_policy if {
	requirement_reasons_of({}) == [{
		"rule": "EAR-742.6-DEST",
		"outcome": "deny",
		"message": concat("; ", [cn_what, no_license, "a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))"]),
		"citation": "15 CFR 742.6(a)(6)(i)",
		"facts": {"destination": "CN", "country_groups": "D:1, D:4, D:5", "review_policy": fx.denial},
		"about": {"classes": [1], "license": false},
	}]
}

test_dest_reason_d1_d4_approval_unless_headquarters if {
	r := dest_reason({"dest": "VN", "items": [fx.it_b]})
	r.outcome == "deny"
	endswith(r.message, "under a presumption of approval policy (15 CFR 742.6(b)(10))")
	r.facts.review_policy == fx.approval

	# another stage found a headquarters requirement
	r2 := dest_reason({"dest": "VN", "items": [fx.it_b], "kinds": ["destination", "headquarters"]})
	r2.facts.review_policy == fx.denial
}

test_dest_reason_band if {
	r := dest_reason({"date": "2026-01-20"})
	r.facts.review_policy == fx.band
	endswith(r.message, "under a case-by-case policy (15 CFR 742.6(b)(10)(iii)(A)(1) (91 FR 1684))")
	dest_reason({"date": "2026-01-20", "from": "SG"}).facts.review_policy == fx.denial
}

test_dest_reason_authorized_by_license if {
	r := dest_reason({"license": fx.lic_ok, "items": [fx.it_b, fx.it_a]})
	r.outcome == "allow"
	r.message == concat("; ", [
		"destination CN (Country Groups D:1, D:4, D:5) is in the advanced-computing license scope for 3A090.a and 3A090.b items",
		"authorized by the license on file (license {license.number})",
	])
	r.facts == {"destination": "CN", "country_groups": "D:1, D:4, D:5", "authorized_by": "the license on file"}
	r.about == {"classes": [1, 2], "license": true}
}

test_dest_reason_license_without_number if {
	r := dest_reason({"license": fx.lic_no_number})
	r.outcome == "deny"
	r.about.license == false
}

test_dest_reason_nac_and_aca if {
	nac := dest_reason({"license": fx.nac_ok, "items": [fx.it_b]})
	nac.outcome == "allow"
	endswith(nac.message, "; authorized by License Exception NAC (NAC {license.number})")
	nac.about == {"classes": [1], "license": true}

	# never for a datacenter 3A090.a item (the "exceptions" view)
	dest_reason({"license": fx.nac_ok, "items": [fx.it_a]}).outcome == "deny"

	aca := dest_reason({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b]})
	aca.outcome == "allow"
	endswith(aca.message, "; authorized by License Exception ACA")
	dest_reason({"license": fx.aca_claim, "items": [fx.it_b]}).outcome == "deny" # CN: NAC, not ACA
}

test_requirement_reasons_need_a_requirement if {
	count(requirement_reasons) == 0 with input as object.union(stage_input({}), {"license": fx.lic_ok, "kinds": []})
}

# ---- EAR-742.6-HBM -----------------------------------------------------------

test_hbm_from_2024_12_02 if {
	no_hbm({"date": "2024-12-01", "items": [fx.it_hbm]})
	r := hbm_req({"date": "2024-12-02", "items": [fx.it_a, fx.it_hbm]})
	r == {
		"rule": "EAR-742.6-HBM",
		"kind": "hbm",
		"classes": [2],
		"citation": "15 CFR 742.6(a)(6) as amended by 89 FR 96790 (Dec 2024)",
		"what": "destination CN (Country Groups D:1, D:4, D:5) is in Macau or Country Group D:5 for 3A090.c items",
		"facts": {"destination": "CN", "country_groups": "D:1, D:4, D:5"},
	}
}

test_hbm_reason if {
	r := hbm_reason({"date": "2026-01-20", "items": [fx.it_a, fx.it_hbm]})
	r.outcome == "deny"
	r.message == "destination CN (Country Groups D:1, D:4, D:5) is in Macau or Country Group D:5 for 3A090.c items; no license or applicable License Exception is on file; a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))"
	r.about == {"classes": [2], "license": false}

	# the destination requirement of the same order, in the band
	dest_reason({"date": "2026-01-20", "items": [fx.it_a, fx.it_hbm]}).facts.review_policy == fx.band

	# a license covers it, License Exceptions do not
	hbm_reason({"items": [fx.it_hbm], "license": fx.lic_ok}).outcome == "allow"
	hbm_reason({"items": [fx.it_hbm], "license": fx.nac_ok}).outcome == "deny"
}

test_hbm_macau_and_d5_only if {
	hbm_req({"dest": "MO", "items": [fx.it_hbm]}).facts.destination == "MO"
	hbm_req({"dest": "RU", "items": [fx.it_hbm]}).facts.destination == "RU"
	hbm_req({"dest": "HK", "items": [fx.it_hbm]}).facts.destination == "CN"
	no_hbm({"dest": "VN", "items": [fx.it_hbm]}) # D:1 only
	no_hbm({"dest": "AE", "items": [fx.it_hbm]}) # D:4 only
	no_hbm({"dest": "SG", "items": [fx.it_hbm]})
}

test_hbm_follows_dated_d5 if {
	hbm_req({"date": "2026-02-02", "dest": "KH", "items": [fx.it_hbm]}).facts.destination == "KH"
	no_hbm({"date": "2026-02-03", "dest": "KH", "items": [fx.it_hbm]})
}

test_hbm_only_3a090c_items if {
	no_hbm({"items": [fx.it_a, fx.it_b, fx.it_none]})
	no_dest({"items": [fx.it_hbm]})
}

# ---- EAR-AI-DIFFUSION-NOT-ENFORCED -------------------------------------------

test_diffusion_from_2025_01_13 if {
	no_diffusion({"date": "2025-01-12", "dest": "SG"})
	r := diffusion({"date": "2025-01-13", "dest": "SG"})
	r == {
		"rule": "EAR-AI-DIFFUSION-NOT-ENFORCED",
		"outcome": "allow",
		"message": "the AI Diffusion rule would require a license for 3A090.a items to SG (Country Groups A:6), but BIS does not enforce it (informational)",
		"citation": data.rules.diffusion.citation,
		"facts": {},
		"about": {"classes": [1]},
	}
}

test_diffusion_exempt_countries if {
	count(data.rules.diffusion.exempt_countries) == 19
	every c in data.rules.diffusion.exempt_countries {
		no_diffusion({"from": "CA", "dest": c})
	}
	diffusion({"dest": "IL"}).outcome == "allow"
	diffusion({"dest": "CN"}).outcome == "allow"
}

test_diffusion_a_items_only if {
	no_diffusion({"dest": "SG", "items": [fx.it_b, fx.server("4A090.b", fx.it_b, 8), fx.it_none, fx.it_hbm]})
	r := diffusion({"dest": "SG", "items": [fx.it_b, fx.server("4A090.a", fx.it_a, 8), fx.it_a]})
	r.about == {"classes": [2, 3]}
	contains(r.message, "for 3A090.a and 4A090.a items to SG")
}

test_diffusion_reads_hk_as_cn if {
	contains(diffusion({"dest": "HK"}).message, "items to HK (read as CN; Country Groups D:1, D:4, D:5), but")
}

# ---- export only, and supplied place facts -------------------------------------

# The engine passes input.places; the policy must read them. A fake entry
# for US puts the US in every scope, so only the export test can keep a
# shipment from the US to the US out.
fake_us := object.union(data.chipcheck.place.of("US", "2025-06-01"), {
	"destination": {"items": ["3A090.a"], "citation": "FAKE DEST"},
	"hbm": {"items": ["3A090.c"], "citation": "FAKE HBM"},
	"diffusion": true,
})

test_supplied_places_are_used if {
	o := {"from": "CA", "dest": "US", "items": [fx.it_a, fx.it_hbm]}
	no_dest(o)
	no_diffusion(o)
	si := object.union(stage_input(o), {"places": {"US": fake_us}})
	rq := requirements with input as si
	fx.the(rq, "EAR-742.6-DEST").citation == "FAKE DEST"
	fx.the(rq, "EAR-742.6-HBM").citation == "FAKE HBM"
	rs := reasons with input as si
	fx.the(rs, "EAR-AI-DIFFUSION-NOT-ENFORCED").outcome == "allow"

	# and the second step reads them too (the fake US is in no named set:
	# presumption of approval without a headquarters requirement)
	q := fx.the(rq, "EAR-742.6-DEST")
	rr := requirement_reasons with input as fx.reason_input(si, q, o.items, {"kinds": ["destination", "hbm"]})
	fx.the(rr, "EAR-742.6-DEST").facts.review_policy == fx.approval
}

test_not_for_domestic_shipments if {
	si := object.union(stage_input({"from": "US", "dest": "US", "items": [fx.it_a, fx.it_hbm]}), {"places": {"US": fake_us}})
	count(requirements) == 0 with input as si
	count(reasons) == 0 with input as si
}

test_supplied_places_match_computed if {
	o := {"date": "2026-01-20", "dest": "HK", "from": "US", "items": [fx.it_a, fx.it_hbm, fx.it_b]}
	places := {c: data.chipcheck.place.of(c, "2026-01-20") | some c in ["HK", "US"]}
	si := object.union(stage_input(o), {"places": places})
	rq := requirements with input as si
	rq == reqs_of(o)
	count(rq) == 2
	rs := reasons with input as si
	rs == reasons_of(o)
	count(rs) == 1
	every q in rq {
		rr := requirement_reasons with input as fx.reason_input(si, q, o.items, {"kinds": ["destination", "hbm"]})
		rr == requirement_reasons with input as fx.reason_input(stage_input(o), q, o.items, {"kinds": ["destination", "hbm"]})
	}
}
