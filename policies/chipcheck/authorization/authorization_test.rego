# Unit tests of data.chipcheck.authorization against the real rules/*.yaml:
#
#   requirement, requirement_reason, status
#              the two steps of the license-requirement stages: a
#              requirement as a stage builds it, and its reason (allow
#              when a license on file or License Exception NAC/ACA covers
#              it, else deny with the review policy)
#   view       the item view the authorization judgments read for a claim
#   reasons    EAR-LICENSE-ON-FILE, EAR-740.8-NAC, EAR-740.8-ACA,
#              EAR-AUTHORIZATION-NOT-NEEDED, NO-LICENSE-REQUIRED
#
# Inputs are built as the engine builds them (internal/orders/decide.go,
# project.go):
#
#   the second step of a requirement stage (requirementReasons, instance;
#   here through fx.reason_input):
#     {date, destination, ship_from, license, kinds,
#      requirement: <{rule, kind, classes, citation, what, facts} as the
#                    stage's requirements gave it (party: + headquarters;
#                    the party stage adds party_country before it asks for
#                    the reason), plus items: [class ids in the
#                    authorization view]>,
#      items: [{class, eccn, band, datacenter_a?}]}   the requirement's items
#     license  {type, numbered, notified, notice_days?}, {} when none is claimed
#     kinds    the sorted kinds of all the order's requirements
#     items    the "exceptions" view of data.chipcheck.item when NAC or ACA
#              is claimed (authorization.view), else the "authorization" view
#
#   the authorization stage's reasons (run when the order claims an
#   authorization or has no requirement):
#     {date, destination, ship_from, license,
#      requirements: [{rule, kind, items, headquarters}],   (headquarters:
#                     the party stage's, null for other kinds)
#      hits: [{list, score}],
#      items}   every item, in the view above
#
#   view: {license: {type, numbered}}, {license: {}} when nothing is claimed.
package chipcheck.authorization

import data.chipcheck.fixtures as fx

# ---- requirements as the stages build them ---------------------------------------

# A requirement as a stage's `requirements` gives it (before the engine adds
# items): classes are ids in the stage's own item view, or "all".
req(rule, kind, cs) := {
	"rule": rule, "kind": kind, "classes": cs,
	"citation": sprintf("citation of %s", [rule]),
	"what": sprintf("what %s says", [rule]),
	"facts": {"stage_fact": rule},
}

dest_req(cs) := req("EAR-742.6-DEST", "destination", cs)

hbm_req(cs) := req("EAR-742.6-HBM", "hbm", cs)

# A headquarters requirement as the party stage passes it to
# requirement_reason: with the party's location (party_country).
hq_req(cs, hq, located) := object.union(req("EAR-742.6-HQ", "headquarters", cs), {"headquarters": hq, "party_country": located})

eu_req(rule) := req(rule, "end_use", "all")

letter_req(cs) := object.union(req("EAR-IS-INFORMED", "is_informed", cs), {"key": "nvidia-h20-2025-04"})

# ---- the second step: input and results --------------------------------------------

# Flat keys: date, dest, from, license, kinds, items (order lines), req.
# Defaults: a 2025-06-01 export from the US to CN of one 3A090.a item,
# nothing claimed, a destination requirement naming every line.
req_input(o) := fx.reason_input(si, rq, its, o) if {
	si := {
		"date": object.get(o, "date", "2025-06-01"),
		"destination": object.get(o, "dest", "CN"),
		"ship_from": object.get(o, "from", "US"),
	}
	its := object.get(o, "items", [fx.it_a])
	rq := object.get(o, "req", dest_req([j | some i, _ in its; j := i + 1]))
}

status_of(o) := s if {
	s := status(input.requirement) with input as req_input(o)
}

# The requirement's reason, written as the destination and end-use stages
# write it (the requirement's own words).
reason_of(o) := r if {
	r := requirement_reason(input.requirement, input.requirement.what) with input as req_input(o)
}

# " (NAC {license.number})" after an authorization with a number.
ref(o) := sprintf(" (%s %s)", [o.license.type, "{license.number}"]) if {
	o.license.numbered
} else := ""

authorized(o, by) if {
	s := status_of(o)
	s.outcome == "allow"
	s.message == sprintf("authorized by %s%s", [by, ref(o)])
	s.facts == {"authorized_by": by}
}

# Denied, naming the review policy p a license application would meet.
denied(s, p) if {
	s.outcome == "deny"
	startswith(s.message, "no license or applicable License Exception is on file; a license application would be reviewed under a ")
	contains(s.message, sprintf(" under a %s policy (15 CFR 742.6(b)(10)", [p]))
	s.facts == {"review_policy": p}
}

policy_of(o) := s.facts.review_policy if {
	s := status_of(o)
	denied(s, s.facts.review_policy)
}

# Denied with no review policy: a requirement License Exceptions cannot meet.
not_overcome(s) if {
	s.outcome == "deny"
	s.message == "no license or applicable License Exception is on file; License Exceptions do not overcome it"
	s.facts == {}
}

band_date := "2026-01-15"

license_by := "the license on file"

nac_by := "License Exception NAC"

aca_by := "License Exception ACA"

# ---- requirement: what a stage's rule builds -----------------------------------------

meta_fixture := {"custom": {"id": "TEST-RULE", "citation": "15 CFR 1.1"}}

test_requirement_shape if {
	r := requirement(meta_fixture, "destination", [{"class": 3, "eccn": "3A090.b"}, {"class": 1, "eccn": "3A090.a"}], "", "the words", {"k": 1})
	r == {
		"rule": "TEST-RULE", "kind": "destination", "classes": [1, 3],
		"citation": "15 CFR 1.1", "what": "the words", "facts": {"k": 1},
	}
}

test_requirement_all_items_and_specific_citation if {
	r := requirement(meta_fixture, "end_use", "all", "15 CFR 1.1(a)", "w", {})
	r.classes == "all"
	r.citation == "15 CFR 1.1(a)"
}

# ---- requirement_reason: the requirement's reason -------------------------------------

test_requirement_reason_denied if {
	r := reason_of({})
	r == {
		"rule": "EAR-742.6-DEST",
		"outcome": "deny",
		"message": "what EAR-742.6-DEST says; no license or applicable License Exception is on file; a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))",
		"citation": "citation of EAR-742.6-DEST",
		"facts": {"stage_fact": "EAR-742.6-DEST", "review_policy": fx.denial},
		"about": {"classes": [1], "license": false},
	}
}

test_requirement_reason_authorized_by_a_numbered_license if {
	r := reason_of({"license": fx.lic_ok, "items": [fx.it_a, fx.it_b]})
	r == {
		"rule": "EAR-742.6-DEST",
		"outcome": "allow",
		"message": "what EAR-742.6-DEST says; authorized by the license on file (license {license.number})",
		"citation": "citation of EAR-742.6-DEST",
		"facts": {"stage_fact": "EAR-742.6-DEST", "authorized_by": license_by},
		"about": {"classes": [1, 2], "license": true},
	}
}

test_requirement_reason_license_number_placeholder_only_when_numbered if {
	# the engine replaces lib.license_number with the number, on reasons about the license
	contains(reason_of({"license": fx.nac_ok, "items": [fx.it_b]}).message, "authorized by License Exception NAC (NAC {license.number})")
	aca := reason_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b]})
	aca.message == "what EAR-742.6-DEST says; authorized by License Exception ACA"
	aca.about.license == true
	not contains(aca.message, "{license.number}")
	numbered_aca := reason_of({"license": object.union(fx.aca_claim, {"numbered": true}), "dest": "VN", "items": [fx.it_b]})
	endswith(numbered_aca.message, "authorized by License Exception ACA (ACA {license.number})")

	# a denied requirement is not about the license and names no number
	d := reason_of({"license": fx.nac_ok, "items": [fx.it_a]})
	d.outcome == "deny"
	d.about.license == false
	not contains(d.message, "{license.number}")
}

test_requirement_reason_about_license_exactly_when_allowed if {
	every o in [{"license": fx.lic_ok}, {"license": fx.nac_ok, "items": [fx.it_b]}, {"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b]}] {
		r := reason_of(o)
		r.outcome == "allow"
		r.about.license == true
	}
	every o in [{}, {"license": fx.lic_no_number}, {"license": fx.nac_ok}, {"license": fx.aca_claim}, {"license": fx.lic_ok, "req": req("X-ORDER", "order", [1])}] {
		r := reason_of(o)
		r.outcome == "deny"
		r.about.license == false
	}
}

test_requirement_reason_about_the_stage_classes if {
	# about.classes are the requirement's classes in its stage's view (the
	# engine adds those lines' items); the authorization view's ids are
	# only for judging the items
	si := req_input({"items": [fx.it_a]})
	r := requirement_reason(input.requirement, "w") with input as object.union(si, {"requirement": object.union(si.requirement, {"classes": [7, 9]})})
	r.about.classes == [7, 9]
	r.message == "w; no license or applicable License Exception is on file; a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))"

	reason_of({"req": eu_req("EAR-744-WMD")}).about.classes == "all"
}

test_requirement_reason_uses_the_given_words if {
	# a stage may say more than the requirement's what (the party stage names the party)
	r := requirement_reason(input.requirement, "the buyer is X") with input as req_input({"license": fx.lic_ok})
	r.message == "the buyer is X; authorized by the license on file (license {license.number})"
}

# ---- status: review policy (15 CFR 742.6(b)(10)) ---------------------------------------

test_policy_macau_d5_denial if {
	s := status_of({"date": "2026-01-14"})
	s.outcome == "deny"
	s.message == "no license or applicable License Exception is on file; a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))"
	s.facts == {"review_policy": fx.denial}
	policy_of({"dest": "MO"}) == fx.denial
	policy_of({"dest": "RU"}) == fx.denial
}

test_policy_band_from_2026_01_15 if {
	policy_of({"date": "2026-01-14"}) == fx.denial
	s := status_of({"date": band_date})
	s.outcome == "deny"
	s.message == "no license or applicable License Exception is on file; a license application would be reviewed under a case-by-case policy (15 CFR 742.6(b)(10)(iii)(A)(1) (91 FR 1684))"
	s.facts == {"review_policy": fx.band}
}

test_policy_band_tpp_edge if {
	policy_of({"date": band_date, "items": [object.union(fx.it_a, {"tpp": 20999.99})]}) == fx.band
	policy_of({"date": band_date, "items": [object.union(fx.it_a, {"tpp": 21000})]}) == fx.denial
}

test_policy_band_dram_bandwidth_edge if {
	policy_of({"date": band_date, "items": [object.union(fx.it_a, {"memory_bandwidth_gbs": 6499})]}) == fx.band
	policy_of({"date": band_date, "items": [object.union(fx.it_a, {"memory_bandwidth_gbs": 6500})]}) == fx.denial
}

test_policy_band_read_from_the_item_view if {
	# the stage reads only the class's band judgment, not the figures
	si := object.union(req_input({"date": band_date}), {"requirement": object.union(dest_req([3]), {"items": [7]})})
	s1 := status(input.requirement) with input as object.union(si, {"items": [{"class": 7, "eccn": "3A090.a", "band": true}]})
	s1.facts.review_policy == fx.band
	s2 := status(input.requirement) with input as object.union(si, {"items": [{"class": 7, "eccn": "3A090.a", "band": false}]})
	s2.facts.review_policy == fx.denial
}

test_policy_band_needs_both_figures if {
	policy_of({"date": band_date, "items": [object.remove(fx.it_a, {"memory_bandwidth_gbs"})]}) == fx.denial
	policy_of({"date": band_date, "items": [object.union(fx.it_a, {"tpp": null})]}) == fx.denial
}

test_policy_band_exports_from_us_only if {
	policy_of({"date": band_date, "from": "US"}) == fx.band
	policy_of({"date": band_date, "from": "SG"}) == fx.denial
	policy_of({"date": band_date, "from": "HK"}) == fx.denial
}

test_policy_band_destinations_cn_mo_only if {
	policy_of({"date": band_date, "dest": "CN"}) == fx.band
	policy_of({"date": band_date, "dest": "MO"}) == fx.band
	policy_of({"date": band_date, "dest": "HK"}) == fx.band # read as CN
	policy_of({"date": band_date, "dest": "RU"}) == fx.denial
}

test_policy_band_every_class_every_chip if {
	big := object.union(fx.it_a, {"tpp": 36000, "memory_bandwidth_gbs": 8000})
	policy_of({"date": band_date, "items": [fx.it_a, fx.it_b]}) == fx.band
	policy_of({"date": band_date, "items": [fx.it_a, big]}) == fx.denial
	policy_of({"date": band_date, "items": [fx.server("4A090.a", fx.it_a, 8)]}) == fx.band
	mixed := object.union(fx.server("4A090.a", fx.it_a, 8), {"contains": [
		object.union(fx.it_a, {"count": 4}),
		object.union(big, {"count": 4}),
	]})
	policy_of({"date": band_date, "items": [mixed]}) == fx.denial
}

test_policy_band_only_the_requirements_classes if {
	# class 2 (outside the band) is not the requirement's: the engine passes
	# only the requirement's items ...
	its := [fx.it_a, object.union(fx.it_a, {"tpp": 36000})]
	si := req_input({"date": band_date, "items": its, "req": dest_req([1])})
	si.requirement.items == [1]
	[c.class | some c in si.items] == [1]
	status(input.requirement).facts.review_policy == fx.band with input as si

	# ... and the policy reads only those even when given more
	all := fx.classes(its, band_date, "authorization")
	status(input.requirement).facts.review_policy == fx.band with input as object.union(si, {"items": all})
}

test_policy_hbm_denial_even_in_band_window if {
	every dest in ["CN", "MO", "RU"] {
		s := status_of({"date": band_date, "dest": dest, "items": [fx.it_hbm], "req": hbm_req([1])})
		denied(s, fx.denial)
	}
	denied(status_of({"date": "2025-06-01", "items": [fx.it_hbm], "req": hbm_req([1])}), fx.denial)
}

test_policy_d1_d4_approval_without_hq if {
	policy_of({"dest": "VN"}) == fx.approval
	policy_of({"dest": "AE"}) == fx.approval
	policy_of({"dest": "VN", "kinds": ["destination", "end_use", "is_informed"]}) == fx.approval
	s := status_of({"dest": "VN"})
	s.message == "no license or applicable License Exception is on file; a license application would be reviewed under a presumption of approval policy (15 CFR 742.6(b)(10))"
}

test_policy_d1_d4_denial_with_hq if {
	policy_of({"dest": "VN", "kinds": ["destination", "headquarters"]}) == fx.denial
	policy_of({"date": band_date, "dest": "VN", "kinds": ["destination", "headquarters"]}) == fx.denial
}

test_policy_follows_dated_d5 if {
	policy_of({"date": "2026-02-02", "dest": "KH"}) == fx.denial
	policy_of({"date": "2026-02-03", "dest": "KH"}) == fx.approval
	policy_of({"date": "2024-03-15", "dest": "NI"}) == fx.denial
}

hq_policy(o, hq, located) := s.facts.review_policy if {
	s := status_of(object.union({"req": hq_req([1], hq, located), "kinds": ["destination", "headquarters"]}, o))
	denied(s, s.facts.review_policy)
}

test_policy_hq_band_when_located_in_destination if {
	hq_policy({"date": band_date}, "CN", "CN") == fx.band
	hq_policy({"date": band_date}, "CN", "HK") == fx.band
	hq_policy({"date": band_date, "dest": "HK"}, "CN", "CN") == fx.band
	hq_policy({"date": band_date, "dest": "MO"}, "MO", "MO") == fx.band
	hq_policy({"date": "2026-01-14"}, "CN", "CN") == fx.denial
}

test_policy_hq_denial_when_located_elsewhere if {
	hq_policy({"date": band_date}, "CN", "SG") == fx.denial
	hq_policy({"date": band_date, "dest": "MO"}, "CN", "CN") == fx.denial
	hq_policy({"date": band_date, "dest": "SG"}, "CN", "SG") == fx.denial
	hq_policy({"date": band_date, "dest": "VN"}, "CN", "VN") == fx.denial
	hq_policy({"date": band_date, "dest": "RU"}, "RU", "RU") == fx.denial
}

test_policy_hq_band_needs_us_origin_and_band_items if {
	hq_policy({"date": band_date, "from": "SG"}, "CN", "CN") == fx.denial
	hq_policy({"date": band_date, "items": [object.union(fx.it_a, {"tpp": 21000})]}, "CN", "CN") == fx.denial
}

test_policy_hq_without_location if {
	# a party whose country is not given (the engine passes "")
	hq_policy({"date": band_date}, "CN", "") == fx.denial
	s := status_of({"date": band_date, "req": object.remove(hq_req([1], "CN", ""), {"party_country"})})
	denied(s, fx.denial)
}

test_policy_none_for_end_use_and_letters if {
	not_overcome(status_of({"req": eu_req("EAR-744-WMD")}))
	not_overcome(status_of({"items": [fx.h20], "req": letter_req([1])}))
	r := reason_of({"items": [fx.h20], "req": letter_req([1])})
	r.message == "what EAR-IS-INFORMED says; no license or applicable License Exception is on file; License Exceptions do not overcome it"
	r.facts == {"stage_fact": "EAR-IS-INFORMED"}
}

# ---- status: license on file -----------------------------------------------------

test_license_covers_every_license_kind if {
	its := [fx.it_a, fx.it_hbm, fx.h20]
	every r in [dest_req([1]), hq_req([1], "CN", "SG"), hbm_req([2]), eu_req("EAR-744-WMD"), letter_req([3])] {
		authorized({"license": fx.lic_ok, "items": its, "req": r}, license_by)
	}
}

test_license_without_number_covers_nothing if {
	denied(status_of({"license": fx.lic_no_number}), fx.denial)
	not_overcome(status_of({"license": fx.lic_no_number, "req": eu_req("EAR-744-WMD")}))
}

test_license_only_for_license_kinds if {
	# a kind a license does not authorize
	not_overcome(status_of({"license": fx.lic_ok, "req": req("X-ORDER", "order", [1])}))
}

test_license_covers_datacenter_a_items if {
	# what no License Exception covers, a license does
	authorized({"license": fx.lic_ok, "items": [fx.it_a, fx.server("4A090.a", fx.it_a, 8)]}, license_by)
}

# ---- status: NAC ---------------------------------------------------------------

test_nac_covers_destination if {
	authorized({"license": fx.nac_ok, "items": [fx.it_b]}, nac_by)
	authorized({"license": fx.nac_ok, "items": [fx.it_a_nodc]}, nac_by)
	authorized({"license": fx.nac_ok, "items": [fx.it_b], "dest": "MO"}, nac_by)
	authorized({"license": fx.nac_ok, "items": [fx.server("4A090.b", fx.it_b, 8)]}, nac_by)
	authorized({"license": fx.nac_ok, "items": [fx.server("4A090.a", fx.it_a_nodc, 8)]}, nac_by)
}

test_nac_covers_headquarters if {
	authorized({"license": fx.nac_ok, "dest": "SG", "items": [fx.it_b], "req": hq_req([1], "CN", "SG"), "kinds": ["headquarters"]}, nac_by)
}

test_nac_order_problems_block_coverage if {
	o := {"license": fx.nac_ok, "items": [fx.it_b]}
	authorized(o, nac_by)
	denied(status_of(fx.over(o, {"license": object.union(fx.nac_ok, {"numbered": false})})), fx.denial)
	denied(status_of(fx.over(o, {"license": {"type": "NAC", "numbered": true, "notified": false}})), fx.denial)
	denied(status_of(fx.over(o, {"license": object.union(fx.nac_ok, {"notice_days": 24})})), fx.denial)
	authorized(fx.over(o, {"license": object.union(fx.nac_ok, {"notice_days": 25})}), nac_by)
}

test_nac_effective_2023_11_17 if {
	denied(status_of({"license": fx.nac_ok, "date": "2023-11-16", "items": [fx.it_a_nodc]}), fx.denial)
	authorized({"license": fx.nac_ok, "date": "2023-11-17", "items": [fx.it_a_nodc]}, nac_by)
}

test_nac_never_covers_datacenter_a if {
	every it in [fx.it_a, fx.it_a_unsaid, fx.server("4A090.a", fx.it_a, 8), fx.server("4A090.a", fx.it_a_unsaid, 8)] {
		denied(status_of({"license": fx.nac_ok, "items": [it]}), fx.denial)
	}
	denied(status_of({"license": fx.nac_ok, "items": [fx.it_b, fx.it_a]}), fx.denial)
}

test_nac_covered_d1_d4_until_2024_04_04 if {
	o := {"license": fx.nac_ok, "dest": "VN", "items": [fx.it_b]}
	authorized(object.union(o, {"date": "2024-04-03"}), nac_by)
	denied(status_of(object.union(o, {"date": "2024-04-04"})), fx.approval)
	authorized(object.union(o, {"date": "2024-04-04", "kinds": ["destination", "headquarters"]}), nac_by)
}

# Before ACA was split off (89 FR 23876, 2024-04-04), NAC's D:1/D:4 leg
# (destinations outside Macau/D:5, no Macau/D:5-headquartered party) needed
# no notification, so no NAC number either; the 25-day notice was only for
# Macau/D:5 destinations and Macau/D:5-headquartered parties.
test_nac_before_aca_needed_no_notice_for_d1_d4 if {
	bare := {"type": "NAC", "numbered": false, "notified": false}
	o := {"license": bare, "date": "2024-01-15", "dest": "VN", "items": [fx.it_b]}
	authorized(o, nac_by)
	reason_of(o).message == "what EAR-742.6-DEST says; authorized by License Exception NAC"
	nac_claim(object.union(o, {"reqs": [dest_req([1])]})).outcome == "allow"

	# the notice is still needed where NAC's notification leg applies
	denied(status_of(object.union(o, {"dest": "CN"})), fx.denial)
	denied(status_of(object.union(o, {"req": hq_req([1], "CN", "VN"), "kinds": ["destination", "headquarters"]})), fx.denial)
}

test_nac_does_not_overcome_other_kinds if {
	not_overcome(status_of({"license": fx.nac_ok, "items": [fx.it_b], "req": eu_req("EAR-744.23-SUPERCOMPUTER")}))
	not_overcome(status_of({"license": fx.nac_ok, "items": [fx.h20], "req": letter_req([1])}))
	denied(status_of({"license": fx.nac_ok, "items": [fx.it_hbm], "req": hbm_req([1])}), fx.denial)
}

# ---- status: ACA -------------------------------------------------------------

test_aca_covers_d1_d4_from_2024_04_04 if {
	o := {"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b]}
	authorized(object.union(o, {"date": "2024-04-04"}), aca_by)
	denied(status_of(object.union(o, {"date": "2024-04-03"})), fx.approval)
	authorized(object.union(o, {"dest": "AE"}), aca_by)
	authorized(object.union(o, {"items": [fx.it_a_nodc]}), aca_by)
}

test_aca_not_macau_d5_destination if {
	every c in ["CN", "MO", "RU", "HK"] {
		denied(status_of({"license": fx.aca_claim, "dest": c, "items": [fx.it_b]}), fx.denial)
	}
}

test_aca_not_headquarters if {
	s := status_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b], "req": hq_req([1], "CN", "VN"), "kinds": ["destination", "headquarters"]})
	denied(s, fx.denial)

	# status is per requirement: the destination requirement itself has no ACA problem
	authorized({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b], "kinds": ["destination", "headquarters"]}, aca_by)
}

test_aca_never_covers_datacenter_a if {
	denied(status_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_a]}), fx.approval)
	denied(status_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.server("4A090.a", fx.it_a, 8)]}), fx.approval)
}

test_aca_does_not_overcome_end_use if {
	not_overcome(status_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b], "req": eu_req("EAR-744-WMD")}))
}

# ---- ineligible: why an exception cannot cover an item class --------------------------

test_ineligible if {
	nac := data.rules.exceptions.NAC
	aca := data.rules.exceptions.ACA
	ineligible(nac, {"class": 1, "eccn": "3A090.a", "band": null, "datacenter_a": true}) == "designed or marketed for datacenters (or contain such a 3A090.a IC), which NAC never covers"
	ineligible(aca, {"class": 1, "eccn": "4A090.a", "band": null, "datacenter_a": true}) == "designed or marketed for datacenters (or contain such a 3A090.a IC), which ACA never covers"
	ineligible(nac, {"class": 1, "eccn": "none", "band": null, "datacenter_a": false}) == "not covered by NAC"
	ineligible(aca, {"class": 1, "eccn": "3A090.c", "band": null, "datacenter_a": false}) == "not covered by ACA"
	ineligible(aca, {"class": 1, "eccn": "unknown", "band": null, "datacenter_a": false}) == "not covered by ACA"
	every e in ["3A090.a", "3A090.b", "4A090.a", "4A090.b"] {
		not ineligible(nac, {"class": 1, "eccn": e, "band": null, "datacenter_a": false})
		not ineligible(aca, {"class": 1, "eccn": e, "band": null, "datacenter_a": false})
	}
}

# ---- view: which item view the judgments read ----------------------------------------

test_view_exceptions_only_for_license_exceptions if {
	view == "exceptions" with input as {"license": fx.claim(fx.nac_ok)}
	view == "exceptions" with input as {"license": fx.claim(fx.aca_claim)}
	view == "authorization" with input as {"license": fx.claim(fx.lic_ok)}
	view == "authorization" with input as {"license": fx.claim(fx.lic_no_number)}
	view == "authorization" with input as {"license": {}}
	view == "authorization" with input as {"license": {"type": "XYZ", "numbered": true}}
	view == "authorization" with input as {}
}

test_view_names_a_view_of_the_item_judgments if {
	every lic in [{}, fx.lic_ok, fx.nac_ok, fx.aca_claim] {
		v := fx.auth_view(lic)
		v in object.keys(data.chipcheck.item.judge(fx.it_a, "2025-06-01"))
	}
}

# ---- reasons: the authorization stage ------------------------------------------------

# Flat keys: date, dest, from, license, reqs (requirements as the stages
# give them), hits, items (order lines).
claims_input(o) := {
	"date": d,
	"destination": object.get(o, "dest", "CN"),
	"ship_from": object.get(o, "from", "US"),
	"license": lic,
	"requirements": [slim(r, all) | some r in object.get(o, "reqs", [])],
	"hits": object.get(o, "hits", []),
	"items": all,
} if {
	d := object.get(o, "date", "2025-06-01")
	lic := object.get(o, "license", {})
	all := fx.classes(object.get(o, "items", [fx.it_a]), d, fx.auth_view(lic))
}

# A requirement as the authorization stage sees it (decide.go, slim).
slim(r, all) := {"rule": r.rule, "kind": r.kind, "items": fx.req_ids(r, all), "headquarters": object.get(r, "headquarters", null)}

reasons_of(o) := rs if {
	rs := reasons with input as claims_input(o)
}

reason(o, id) := fx.the(reasons_of(o), id)

nac_claim(o) := reason(o, "EAR-740.8-NAC")

about_license := {"license": true}

# ---- reasons: EAR-LICENSE-ON-FILE / EAR-AUTHORIZATION-NOT-NEEDED -------------------

all_reqs := [dest_req([1]), hq_req([1], "CN", "SG"), hbm_req([2]), eu_req("EAR-744-WMD"), letter_req([3])]

test_license_on_file if {
	rs := reasons_of({"license": fx.lic_ok, "items": [fx.it_a, fx.it_hbm, fx.h20], "reqs": all_reqs})
	count(rs) == 1
	r := fx.the(rs, "EAR-LICENSE-ON-FILE")
	r.outcome == "allow"
	r.message == "a license is on file for: EAR-742.6-DEST, EAR-742.6-HBM, EAR-742.6-HQ, EAR-744-WMD, EAR-IS-INFORMED (license {license.number})"
	r.citation == "15 CFR 750.7"
	r.facts == {}
	r.about == about_license
}

test_license_on_file_names_only_license_kinds if {
	r := reason({"license": fx.lic_ok, "reqs": [dest_req([1]), req("X-ORDER", "order", [1])]}, "EAR-LICENSE-ON-FILE")
	r.message == "a license is on file for: EAR-742.6-DEST (license {license.number})"
}

test_license_without_number_is_deny if {
	r := reason({"license": fx.lic_no_number, "reqs": [dest_req([1])]}, "EAR-LICENSE-ON-FILE")
	r.outcome == "deny"
	r.message == "a license is claimed but no license number is given"
	r.citation == "15 CFR 750.7"
	r.facts == {}
	r.about == about_license
}

test_authorization_not_needed if {
	every l in [fx.lic_ok, fx.lic_no_number, fx.nac_ok, fx.aca_claim] {
		rs := reasons_of({"license": l, "dest": "DE", "reqs": []})
		fx.by_rule(rs, "EAR-AUTHORIZATION-NOT-NEEDED") == [{
			"rule": "EAR-AUTHORIZATION-NOT-NEEDED",
			"outcome": "allow",
			"message": sprintf("%s claimed, but no license requirement applies to this order%s", [l.type, ref({"license": l})]),
			"citation": "15 CFR 740.8; 15 CFR 750.7",
			"facts": {},
			"about": about_license,
		}]

		# and why no license is needed
		{r.rule | some r in rs} == {"EAR-AUTHORIZATION-NOT-NEEDED", "NO-LICENSE-REQUIRED"}
	}
	reason({"license": fx.lic_ok, "dest": "DE"}, "EAR-AUTHORIZATION-NOT-NEEDED").message == "license claimed, but no license requirement applies to this order (license {license.number})"
	reason({"license": fx.aca_claim, "dest": "DE"}, "EAR-AUTHORIZATION-NOT-NEEDED").message == "ACA claimed, but no license requirement applies to this order"
}

test_nothing_claimed_no_claim_reason if {
	count(reasons_of({"reqs": all_reqs, "items": [fx.it_a, fx.it_hbm, fx.h20]})) == 0
	[r.rule | some r in reasons_of({"reqs": []})] == ["NO-LICENSE-REQUIRED"]
	[r.rule | some r in reasons_of({"license": {"type": ""}, "reqs": []})] == ["NO-LICENSE-REQUIRED"]
}

# ---- reasons: EAR-740.8-NAC -----------------------------------------------------

nac_problems(o) := r.facts.problems if {
	r := nac_claim(fx.over({"license": fx.nac_ok, "reqs": [dest_req([1])]}, o))
	r.outcome == "deny"
	r.citation == "15 CFR 740.8(a)"
	r.message == sprintf("License Exception NAC (Notified Advanced Computing) is claimed but does not apply: %s", [concat("; ", r.facts.problems)])
	r.about == about_license
	not contains(r.message, "{license.number}")
}

test_nac_applies if {
	rs := reasons_of({"license": fx.nac_ok, "items": [fx.it_b], "reqs": [dest_req([1])]})
	count(rs) == 1
	r := fx.the(rs, "EAR-740.8-NAC")
	r.outcome == "allow"
	r.message == "License Exception NAC applies (BIS notified at least 25 days before shipment) (NAC {license.number})"
	r.citation == "15 CFR 740.8(a)"
	r.facts == {}
	r.about == about_license
}

test_nac_applies_to_headquarters_and_destination if {
	o := {"license": fx.nac_ok, "dest": "VN", "items": [fx.it_b], "reqs": [dest_req([1]), hq_req([1], "CN", "VN")]}
	nac_claim(o).outcome == "allow"
}

test_nac_problem_effective_date if {
	nac_problems({"date": "2023-11-16", "items": [fx.it_a_nodc]}) == ["License Exception NAC took effect on 2023-11-17"]
	nac_claim({"license": fx.nac_ok, "date": "2023-11-17", "items": [fx.it_a_nodc], "reqs": [dest_req([1])]}).outcome == "allow"
}

test_nac_problem_no_number if {
	nac_problems({"license": object.union(fx.nac_ok, {"numbered": false}), "items": [fx.it_b]}) == ["no NAC number issued by BIS is given"]
	nac_problems({"license": {"type": "NAC", "notified": true, "notice_days": 40}, "items": [fx.it_b]}) == ["no NAC number issued by BIS is given"]
}

test_nac_problem_no_notification_date if {
	nac_problems({"license": {"type": "NAC", "numbered": true, "notified": false}, "items": [fx.it_b]}) == ["no BIS notification date (license.notified_on) is given"]
}

test_nac_problem_notice_too_late if {
	nac_problems({"license": object.union(fx.nac_ok, {"notice_days": 24}), "items": [fx.it_b]}) == ["BIS was notified 24 days before shipment (ship_date, else the order date); NAC needs at least 25"]
	nac_problems({"license": object.union(fx.nac_ok, {"notice_days": 0}), "items": [fx.it_b]}) == ["BIS was notified 0 days before shipment (ship_date, else the order date); NAC needs at least 25"]
	nac_problems({"license": object.union(fx.nac_ok, {"notice_days": -2}), "items": [fx.it_b]}) == ["BIS was notified -2 days before shipment (ship_date, else the order date); NAC needs at least 25"]
	every days in [25, 26, 400] {
		nac_claim({"license": object.union(fx.nac_ok, {"notice_days": days}), "items": [fx.it_b], "reqs": [dest_req([1])]}).outcome == "allow"
	}
}

test_nac_problem_datacenter_a if {
	msg := "3A090.a items are designed or marketed for datacenters (or contain such a 3A090.a IC), which NAC never covers"
	nac_problems({"items": [fx.it_a]}) == [msg]
	nac_problems({"items": [fx.it_a_unsaid]}) == [msg]
	nac_problems({"items": [fx.server("4A090.a", fx.it_a, 8)]}) == ["4A090.a items are designed or marketed for datacenters (or contain such a 3A090.a IC), which NAC never covers"]
	nac_claim({"license": fx.nac_ok, "items": [fx.server("4A090.a", fx.it_a_nodc, 8)], "reqs": [dest_req([1])]}).outcome == "allow"
}

test_nac_problem_not_for_d1_d4_after_aca if {
	nac_problems({"dest": "VN", "items": [fx.it_b]}) == ["destination VN (Country Groups D:1) is not Macau or D:5 and no party is headquartered there: License Exception ACA, not NAC, is the one for it"]
	nac_claim({"license": fx.nac_ok, "date": "2024-04-03", "dest": "VN", "items": [fx.it_b], "reqs": [dest_req([1])]}).outcome == "allow"
}

test_nac_problem_hbm if {
	nac_problems({"items": [fx.it_hbm], "reqs": [hbm_req([1])]}) == [
		"3A090.c items are not covered by NAC",
		"License Exceptions do not overcome the EAR-742.6-HBM requirement",
	]
}

test_nac_problem_end_use if {
	nac_problems({"items": [fx.it_b], "reqs": [dest_req([1]), eu_req("EAR-744.23-SUPERCOMPUTER")]}) == ["License Exceptions do not overcome the EAR-744.23-SUPERCOMPUTER requirement"]

	# the end-use requirement names every item, so an item NAC cannot take is a problem too
	nac_problems({"items": [fx.it_b, fx.it_none], "reqs": [dest_req([1]), eu_req("EAR-744-WMD")]}) == [
		"License Exceptions do not overcome the EAR-744-WMD requirement",
		"none items are not covered by NAC",
	]
}

test_nac_problem_only_the_requirements_items if {
	# an item no requirement names is no problem
	nac_claim({"license": fx.nac_ok, "items": [fx.it_b, fx.it_none], "reqs": [dest_req([1])]}).outcome == "allow"
}

test_nac_lists_every_problem_sorted if {
	ps := nac_problems({"date": "2023-11-01", "license": {"type": "NAC", "numbered": false, "notified": false}, "items": [fx.it_a]})
	ps == [
		"3A090.a items are designed or marketed for datacenters (or contain such a 3A090.a IC), which NAC never covers",
		"License Exception NAC took effect on 2023-11-17",
		"no BIS notification date (license.notified_on) is given",
		"no NAC number issued by BIS is given",
	]
}

# ---- reasons: EAR-740.8-ACA -----------------------------------------------------

aca_problems(o) := r.facts.problems if {
	r := reason(fx.over({"license": fx.aca_claim, "dest": "VN", "reqs": [dest_req([1])]}, o), "EAR-740.8-ACA")
	r.outcome == "deny"
	r.citation == "15 CFR 740.8(b)"
	r.message == sprintf("License Exception ACA (Advanced Computing Authorized) is claimed but does not apply: %s", [concat("; ", r.facts.problems)])
	r.about == about_license
}

test_aca_applies if {
	rs := reasons_of({"license": fx.aca_claim, "dest": "VN", "date": "2024-04-04", "items": [fx.it_b], "reqs": [dest_req([1])]})
	count(rs) == 1
	r := fx.the(rs, "EAR-740.8-ACA")
	r.outcome == "allow"
	r.message == "License Exception ACA applies (no notification needed)"
	r.citation == "15 CFR 740.8(b)"
	r.facts == {}
	r.about == about_license
}

test_aca_applies_with_a_number if {
	r := reason({"license": object.union(fx.aca_claim, {"numbered": true}), "dest": "VN", "items": [fx.it_b], "reqs": [dest_req([1])]}, "EAR-740.8-ACA")
	r.message == "License Exception ACA applies (no notification needed) (ACA {license.number})"
}

test_aca_problem_effective_date if {
	aca_problems({"date": "2024-04-03", "items": [fx.it_b]}) == ["License Exception ACA took effect on 2024-04-04"]
}

test_aca_problem_macau_d5_destination if {
	aca_problems({"dest": "CN", "items": [fx.it_b]}) == ["destination CN (Country Groups D:1, D:4, D:5) is Macau or in D:5: ACA does not cover it (NAC may)"]
	aca_problems({"dest": "MO", "items": [fx.it_b]}) == ["destination MO (Country Groups D:1, D:4) is Macau or in D:5: ACA does not cover it (NAC may)"]
	aca_problems({"dest": "HK", "items": [fx.it_b]}) == ["destination HK (read as CN; Country Groups D:1, D:4, D:5) is Macau or in D:5: ACA does not cover it (NAC may)"]
	aca_problems({"dest": "RU", "items": [fx.it_b]}) == ["destination RU (Country Groups D:1, D:4, D:5) is Macau or in D:5: ACA does not cover it (NAC may)"]
}

test_aca_problem_headquarters if {
	aca_problems({"items": [fx.it_b], "reqs": [dest_req([1]), hq_req([1], "CN", "VN")]}) == ["a party headquartered in CN (Country Groups D:1, D:4, D:5): ACA does not cover such parties (NAC may)"]
	aca_problems({"dest": "SG", "items": [fx.it_b], "reqs": [hq_req([1], "MO", "SG")]}) == ["a party headquartered in MO (Country Groups D:1, D:4): ACA does not cover such parties (NAC may)"]
}

test_aca_problem_datacenter_a if {
	aca_problems({"items": [fx.it_a]}) == ["3A090.a items are designed or marketed for datacenters (or contain such a 3A090.a IC), which ACA never covers"]
}

test_aca_problem_end_use if {
	aca_problems({"dest": "DE", "items": [fx.it_none], "reqs": [eu_req("EAR-744-WMD")]}) == [
		"License Exceptions do not overcome the EAR-744-WMD requirement",
		"none items are not covered by ACA",
	]
}

test_aca_is_not_nac_or_license if {
	rs := reasons_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b], "reqs": [dest_req([1])]})
	fx.no_rule(rs, "EAR-740.8-NAC")
	fx.no_rule(rs, "EAR-LICENSE-ON-FILE")
	rs2 := reasons_of({"license": fx.nac_ok, "items": [fx.it_b], "reqs": [dest_req([1])]})
	fx.no_rule(rs2, "EAR-740.8-ACA")
	fx.no_rule(rs2, "EAR-LICENSE-ON-FILE")
}

# ---- reasons: NO-LICENSE-REQUIRED --------------------------------------------

nlr(o) := fx.the(reasons_of(o), "NO-LICENSE-REQUIRED")

test_nlr_export_without_requirement if {
	rs := reasons_of({"dest": "DE", "items": [fx.it_b, fx.it_none]})
	rs == {{
		"rule": "NO-LICENSE-REQUIRED",
		"outcome": "allow",
		"message": sprintf("%s; %s", ["no license required: 3A090.b, none; destination DE (Country Groups A:5)", checked_text]),
		"citation": "15 CFR 742.6(a)(6); 15 CFR 744; 15 CFR 746",
		"facts": {},
	}}
}

test_nlr_names_groups_of_destination if {
	nlr({"items": [fx.it_none]}).message == sprintf("%s; %s", ["no license required: none; destination CN (Country Groups D:1, D:4, D:5)", checked_text])
	nlr({"dest": "HK", "items": [fx.it_none]}).message == sprintf("%s; %s", ["no license required: none; destination HK (read as CN; Country Groups D:1, D:4, D:5)", checked_text])
}

test_nlr_in_either_item_view if {
	# the items are the "exceptions" view when NAC or ACA is claimed
	r := nlr({"license": fx.nac_ok, "dest": "DE", "items": [fx.it_a, fx.it_a]})
	r.message == sprintf("%s; %s", ["no license required: 3A090.a; destination DE (Country Groups A:5)", checked_text])
	not r.about
}

test_nlr_not_with_unknown_item if {
	count(reasons_of({"dest": "DE", "items": [fx.it_none, fx.it_unknown]})) == 0

	# a computer whose ECCN is a lower bound: it holds an unknown IC
	count(reasons_of({"dest": "DE", "items": [fx.it_none, object.union(fx.it_a, {"eccn": "4A090.a", "contains": [{"eccn": "3A090.a"}, {"eccn": "unknown"}]})]})) == 0
	count(reasons_of({"from": "US", "dest": "US", "items": [fx.it_unknown]})) == 0
}

test_nlr_not_with_a_requirement if {
	count(reasons_of({"dest": "DE", "items": [fx.it_none], "reqs": [eu_req("EAR-744-WMD")]})) == 0
}

test_nlr_domestic_order if {
	nlr({"from": "US", "dest": "US", "items": [fx.it_a, fx.it_hbm]}).message == "no export license required: shipment from US to US is not an export"
}

test_nlr_export_to_us_is_not_domestic if {
	startswith(nlr({"from": "CA", "dest": "US"}).message, "no license required: 3A090.a; destination US")
	startswith(nlr({"from": "HK", "dest": "US", "items": [fx.it_none]}).message, "no license required: none; destination US")
}

# ---- a listed party: no "no license needed" ----------------------------------------

listed_lists := ["EL", "SDN", "DPL", "UVL", "MEU"]

deny_at := data.rules.screening.deny_threshold

test_listed_party_blocks_nlr if {
	o := {"dest": "DE", "items": [fx.it_none]}
	nlr(o).outcome == "allow"
	nlr(object.union(o, {"hits": []})).outcome == "allow"
	every list in listed_lists {
		count(reasons_of(object.union(o, {"hits": [{"list": list, "score": deny_at}]}))) == 0
		count(reasons_of(object.union(o, {"hits": [{"list": list, "score": 1}]}))) == 0
	}

	# the hit is listed whatever a license does to its screening outcome
	# (an Entity List or MEU party with a license on file goes to review)
	rs := reasons_of(object.union(o, {"license": fx.lic_ok, "hits": [{"list": "MEU", "score": 1}]}))
	count(rs) == 0
}

test_weaker_hits_do_not_block_nlr if {
	o := {"dest": "DE", "items": [fx.it_none]}
	every h in [{"list": "EL", "score": 0.949}, {"list": "CMIC", "score": 1}, {"list": "XYZ", "score": 1}] {
		nlr(object.union(o, {"hits": [h]})).outcome == "allow"
	}
	count(reasons_of(object.union(o, {"hits": [{"list": "CMIC", "score": 1}, {"list": "SDN", "score": 0.96}]}))) == 0
}

test_strong_hit_on_a_restricting_list_without_its_own_rule_blocks_nlr if {
	# a list screening.yaml says restricts exports, with no rule of its own:
	# still the listed party
	lists := object.union(data.rules.screening.lists, {"NEW": {"name": "New List", "restricts": true, "outcome": "deny", "citation": "X"}})
	count(reasons) == 0 with input as claims_input({"dest": "DE", "items": [fx.it_none], "hits": [{"list": "NEW", "score": 1}]})
		with data.rules.screening.lists as lists
}

test_listed_party_blocks_authorization_not_needed if {
	o := {"license": fx.lic_ok, "dest": "DE", "items": [fx.it_none]}
	reason(object.union(o, {"hits": [{"list": "EL", "score": 0.9}]}), "EAR-AUTHORIZATION-NOT-NEEDED").outcome == "allow"
	every list in listed_lists {
		count(reasons_of(object.union(o, {"hits": [{"list": "EL", "score": 0.9}, {"list": list, "score": deny_at}]}))) == 0
	}
}

test_listed_party_does_not_change_requirement_claims if {
	rs := reasons_of({"license": fx.lic_ok, "reqs": [dest_req([1])], "hits": [{"list": "EL", "score": 1}]})
	[r.rule | some r in rs] == ["EAR-LICENSE-ON-FILE"]
	fx.the(rs, "EAR-LICENSE-ON-FILE").outcome == "allow"
}

# ---- supplied place facts --------------------------------------------------------

test_supplied_places_are_used if {
	# a fake entry that puts VN in Macau/D:5: the review policy and the
	# exception problems must follow it
	fake := object.union(data.chipcheck.place.of("VN", "2025-06-01"), {"macau_d5": true, "groups": "FAKE"})
	o := {"dest": "VN", "items": [fx.it_b]}
	policy_of(o) == fx.approval
	s := status(input.requirement) with input as object.union(req_input(o), {"places": {"VN": fake}})
	denied(s, fx.denial)

	aca := object.union(claims_input(object.union(o, {"license": fx.aca_claim, "reqs": [dest_req([1])]})), {"places": {"VN": fake}})
	fx.the(reasons, "EAR-740.8-ACA").facts.problems == ["destination VN (Country Groups FAKE) is Macau or in D:5: ACA does not cover it (NAC may)"] with input as aca
	fx.the(reasons, "NO-LICENSE-REQUIRED").message == sprintf("%s; %s", ["no license required: 3A090.b; destination VN (Country Groups FAKE)", checked_text]) with input as object.union(aca, {"requirements": []})
}

# ---- ACA: in-country transfers within Macau/D:5 (89 FR 23876) ----------------------

test_aca_covers_in_country_transfer_within_macau_d5 if {
	o := {"license": fx.aca_claim, "items": [fx.it_b]}
	every c in ["CN", "MO", "RU"] {
		authorized(object.union(o, {"from": c, "dest": c}), aca_by)
	}

	# from the day ACA took effect
	not authorized(object.union(o, {"from": "CN", "dest": "CN", "date": "2024-04-03"}), aca_by)
	authorized(object.union(o, {"from": "CN", "dest": "CN", "date": "2024-04-04"}), aca_by)

	# a reexport into Macau/D:5 is still not ACA's
	denied(status_of(object.union(o, {"from": "SG", "dest": "CN"})), fx.denial)

	# nor a headquarters requirement, nor a datacenter 3A090.a item
	denied(status_of(object.union(o, {"from": "CN", "dest": "CN", "req": hq_req([1], "CN", "CN"), "kinds": ["destination", "headquarters"]})), fx.denial)
	not authorized({"license": fx.aca_claim, "from": "CN", "dest": "CN", "items": [fx.it_a]}, aca_by)
}

# ---- a license the license register finds wanting ---------------------------------

lic_register(r) := object.union(fx.lic_ok, {"register": r})

test_license_on_file_needs_the_register_not_to_object if {
	# no register: on file (the register stage reviews the claim)
	authorized({"license": lic_register({"configured": false})}, license_by)

	# found and valid, or with only something to review: on file
	valid := {"configured": true, "found": true, "type": "export", "movement": "export", "destination": true, "expired": false, "not_yet_valid": false}
	authorized({"license": lic_register(valid)}, license_by)
	authorized({"license": lic_register(object.union(valid, {"parties": [{"role": "consignee", "given": false, "named": false}]}))}, license_by)

	# unknown, expired, or another destination: not on file
	denied(status_of({"license": lic_register({"configured": true, "found": false})}), fx.denial)
	denied(status_of({"license": lic_register(object.union(valid, {"expired": true}))}), fx.denial)
	denied(status_of({"license": lic_register(object.union(valid, {"destination": false}))}), fx.denial)
}

test_license_on_file_reason_when_the_register_objects if {
	rs := reasons with input as {
		"date": "2025-06-01", "destination": "CN", "ship_from": "US",
		"license": lic_register({"configured": true, "found": false}),
		"requirements": [{"rule": "EAR-742.6-DEST", "kind": "destination", "items": [1], "headquarters": null}],
		"hits": [], "items": [object.union(fx.it_a, {"class": 1})],
	}
	r := fx.the(rs, "EAR-LICENSE-ON-FILE")
	r.outcome == "deny"
	r.message == "license {license.number} is claimed but the license register does not let it authorize this order (see the LICENSE-* reasons)"
}
