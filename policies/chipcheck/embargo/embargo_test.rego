# Unit tests of the embargo stage (15 CFR Part 746, OFAC country
# programmes) against the real rules/embargoes.yaml. The stage sees no
# items: its requirements name every item ("all").
#
# Inputs as the engine builds them (internal/orders/stages.go, project.go):
#   requirements, reasons:
#     {date, destination, ship_from, destination_region, end_user: {country}}
#   requirement_reasons: as data.chipcheck.end_use (fx.reason_input)
package chipcheck.embargo

import data.chipcheck.fixtures as fx

stage_input(o) := {
	"date": object.get(o, "date", "2026-06-01"),
	"destination": object.get(o, "dest", "RU"),
	"ship_from": object.get(o, "from", "US"),
	"destination_region": object.get(o, "region", ""),
	"end_user": {"country": object.get(o, "end_user", "")},
	"consignee": {"country": object.get(o, "consignee", "")},
}

reqs_of(o) := rs if {
	rs := requirements with input as stage_input(o)
}

reasons_of(o) := rs if {
	rs := reasons with input as stage_input(o)
}

# The embargo requirement's id (rules/embargoes.yaml key) for o, if any.
embargo_of(o) := fx.the(reqs_of(o), "EAR-746-EMBARGO").facts.embargo

no_embargo(o) if fx.no_rule(reqs_of(o), "EAR-746-EMBARGO")

# Both steps, for an order of lines its (default one item of no ECCN) with
# o's license (default none).
requirement_reasons_of(o) := [r |
	some q in rq
	rs := requirement_reasons with input as fx.reason_input(si, q, its, object.union({"kinds": ["embargo"]}, o))
	some r in rs
] if {
	si := stage_input(o)
	its := object.get(o, "items", [fx.it_none])
	rq := requirements with input as si
}

# ---- which embargo, on which date ------------------------------------------------

test_embargo_countries if {
	embargo_of({"dest": "RU"}) == "russia"
	embargo_of({"dest": "BY"}) == "belarus"
	embargo_of({"dest": "IR"}) == "iran"
	embargo_of({"dest": "KP"}) == "north_korea"
	embargo_of({"dest": "CU"}) == "cuba"
	embargo_of({"dest": "SY"}) == "syria"
	no_embargo({"dest": "CN"})
	no_embargo({"dest": "DE"})
	no_embargo({"dest": "US", "from": "US"})
}

test_embargo_dates if {
	no_embargo({"dest": "RU", "date": "2022-02-23"})
	embargo_of({"dest": "RU", "date": "2022-02-24"}) == "russia"
	no_embargo({"dest": "BY", "date": "2022-03-01"})
	embargo_of({"dest": "BY", "date": "2022-03-02"}) == "belarus"

	# Categories 3-9 first (every chip is there), the whole CCL from 2022-04-08
	fx.the(reqs_of({"dest": "RU", "date": "2022-04-07"}), "EAR-746-EMBARGO").citation == "15 CFR 746.8(a)(1), (b) as of 87 FR 12226"
	fx.the(reqs_of({"dest": "RU", "date": "2022-04-08"}), "EAR-746-EMBARGO").citation == "15 CFR 746.8(a)(1), (b)"
}

# 90 FR 42315 (2025-09-02): Syria still needs a license for CCL items, but
# reviewed case by case rather than with a general policy of denial.
test_embargo_syria_2025 if {
	old := fx.the(reqs_of({"dest": "SY", "date": "2025-09-01"}), "EAR-746-EMBARGO")
	old.facts.review_policy == "general denial"
	old.citation == "15 CFR 746.9(a), (c)"
	new := fx.the(reqs_of({"dest": "SY", "date": "2025-09-02"}), "EAR-746-EMBARGO")
	new.facts.review_policy == "case-by-case"
	new.citation == "15 CFR 746.9(a), (c) as amended by 90 FR 42315"
	contains(new.what, "(EAR99 items need none)")
}

test_embargo_regions if {
	embargo_of({"dest": "UA", "region": "crimea"}) == "crimea"
	embargo_of({"dest": "UA", "region": "dnr"}) == "ukraine_dnr_lnr"
	embargo_of({"dest": "UA", "region": "lnr"}) == "ukraine_dnr_lnr"
	no_embargo({"dest": "UA", "region": "lnr", "date": "2022-02-23"})
	no_embargo({"dest": "UA", "region": "other"})
	no_embargo({"dest": "UA"})
	r := fx.the(reqs_of({"dest": "UA", "region": "crimea"}), "EAR-746-EMBARGO")
	startswith(r.what, "destination UA (in no Country Group), region crimea (Crimea region of Ukraine) is under the Crimea region of Ukraine embargo")
}

test_embargo_end_user_location if {
	r := fx.the(reqs_of({"dest": "AE", "end_user": "IR"}), "EAR-746-EMBARGO")
	startswith(r.what, "the end user located in IR (Country Groups D:4, D:5, E:1) is under the Iran embargo")
	no_embargo({"dest": "AE", "end_user": "AE"})
	c := fx.the(reqs_of({"dest": "AE", "consignee": "RU"}), "EAR-746-EMBARGO")
	startswith(c.what, "the consignee located in RU (Country Groups D:1, D:4, D:5) is under the Russia embargo")
	ofac_of({"dest": "AE", "consignee": "CU"}) == {"cuba"}

	# both in the same country: one requirement, naming the end user
	[b] := [r | some r in reqs_of({"dest": "AE", "end_user": "IR", "consignee": "IR"}); r.rule == "EAR-746-EMBARGO"]
	startswith(b.what, "the end user located in IR")
}

test_embargo_requirement_shape if {
	r := fx.the(reqs_of({"dest": "RU"}), "EAR-746-EMBARGO")
	r.kind == "embargo"
	r.classes == "all"
	r.citation == "15 CFR 746.8(a)(1), (b)"
	r.review == {"policy": "denial", "citation": "15 CFR 746.8(a)(1), (b)"}
	r.what == "destination RU (Country Groups D:1, D:4, D:5) is under the Russia embargo, which requires a license for every item on the Commerce Control List, and the EAR99 items its supplements list (every chip and computer is on the CCL: 3A090/4A090, else 3A991, 4A994 or 5A992)"
}

# ---- the second step: a license answers it (a person still reviews), License Exceptions do not ---------

test_embargo_denied_without_license if {
	[r] := requirement_reasons_of({"dest": "RU"})
	r.rule == "EAR-746-EMBARGO"
	r.outcome == "deny"
	endswith(r.message, "no license or applicable License Exception is on file; a license application would be reviewed under a denial policy (15 CFR 746.8(a)(1), (b))")
	r.facts.review_policy == "denial"
}

# Even a license on file never releases an export to an embargoed
# destination: review, never allow.
test_embargo_license_on_file_is_reviewed if {
	[r] := requirement_reasons_of({"dest": "RU", "license": fx.lic_ok})
	r.outcome == "review"
	r.about.license
	contains(r.message, "authorized by the license on file")
	contains(r.message, "never released without a person")
	[d] := requirement_reasons_of({"dest": "RU", "license": fx.lic_no_number})
	d.outcome == "deny"
}

test_embargo_exceptions_do_not_cover if {
	[r] := requirement_reasons_of({"dest": "IR", "license": fx.nac_ok, "items": [fx.it_b]})
	r.outcome == "deny"
	[a] := requirement_reasons_of({"dest": "IR", "license": fx.aca_claim, "items": [fx.it_b]})
	a.outcome == "deny"
}

# ---- EAR-746-REGION-UNKNOWN -------------------------------------------------------

test_region_unknown if {
	r := fx.the(reasons_of({"dest": "UA"}), "EAR-746-REGION-UNKNOWN")
	r.outcome == "review"
	r.citation == "15 CFR 746.6"
	contains(r.message, "say which (crimea, dnr, lnr, other)")
	fx.no_rule(reasons_of({"dest": "UA", "region": "other"}), "EAR-746-REGION-UNKNOWN")
	fx.no_rule(reasons_of({"dest": "RU"}), "EAR-746-REGION-UNKNOWN")
	fx.no_rule(reasons_of({"dest": "DE"}), "EAR-746-REGION-UNKNOWN")
}

# ---- OFAC-COUNTRY-PROGRAM ---------------------------------------------------------

ofac_of(o) := {r.facts.program | some r in reasons_of(o); r.rule == "OFAC-COUNTRY-PROGRAM"}

test_ofac_programs if {
	ofac_of({"dest": "IR"}) == {"iran"}
	ofac_of({"dest": "CU"}) == {"cuba"}
	ofac_of({"dest": "KP"}) == {"north_korea"}
	ofac_of({"dest": "UA", "region": "crimea"}) == {"crimea"}
	ofac_of({"dest": "UA", "region": "dnr"}) == {"ukraine_dnr_lnr"}
	ofac_of({"dest": "UA", "region": "other"}) == set()
	ofac_of({"dest": "RU"}) == set() # list-based, not comprehensive
	ofac_of({"dest": "AE", "end_user": "IR"}) == {"iran"}
}

# E.O. 14312 ended the Syria programme on 2025-07-01.
test_ofac_syria_ends if {
	ofac_of({"dest": "SY", "date": "2025-06-30"}) == {"syria"}
	ofac_of({"dest": "SY", "date": "2025-07-01"}) == set()
}

test_ofac_reason_shape if {
	r := fx.the(reasons_of({"dest": "IR"}), "OFAC-COUNTRY-PROGRAM")
	r.outcome == "review"
	r.citation == "31 CFR part 560"
	r.key == "iran"
	startswith(r.message, "destination IR (Country Groups D:4, D:5, E:1) is under OFAC's Iranian Transactions and Sanctions Regulations (31 CFR part 560)")
}
