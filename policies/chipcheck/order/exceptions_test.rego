# Unit tests of what authorizes a requirement: a license on file, License
# Exception NAC or ACA (15 CFR 740.8), and the EAR-LICENSE-ON-FILE,
# EAR-740.8-NAC, EAR-740.8-ACA and EAR-AUTHORIZATION-NOT-NEEDED reasons,
# against the real rules/exceptions.yaml. Fixtures: requirements_test.rego.
package chipcheck.order

nac_ok(notified) := {"type": "NAC", "number": "NAC-0042", "notified_on": notified}

aca_claim := {"type": "ACA"}

lic_ok := {"type": "license", "number": "L-123"}

# Some problem of an exception reason contains s.
has_problem(r, s) if {
	some p in r.facts.problems
	contains(p, s)
}

authorized(r, by) if {
	r.outcome == "allow"
	r.facts.authorized_by == by
	endswith(r.message, sprintf("; authorized by %s", [by]))
}

# ---- license on file -------------------------------------------------------

test_license_covers_every_license_kind if {
	o := {
		"items": [it_a, it_hbm, h20],
		"parties": [party("buyer", "B", "SG", "CN")],
		"end_use": ["wmd"],
		"exporter": "NVIDIA",
		"license": lic_ok,
	}
	rs := reasons_of(o)
	ids := ["EAR-742.6-DEST", "EAR-742.6-HQ", "EAR-742.6-HBM", "EAR-744-WMD", "EAR-IS-INFORMED"]
	every id in ids {
		authorized(the(rs, id), "license L-123 on file")
	}
	r := the(rs, "EAR-LICENSE-ON-FILE")
	r.outcome == "allow"
	r.message == "license L-123 is on file for: EAR-742.6-DEST, EAR-742.6-HBM, EAR-742.6-HQ, EAR-744-WMD, EAR-IS-INFORMED"
	r.facts.license == "L-123"
	r.citation == "15 CFR 750.7"
	no_rule(rs, "EAR-AUTHORIZATION-NOT-NEEDED")
}

test_license_without_number_is_deny if {
	every l in [{"type": "license", "number": "  "}, {"type": "license"}] {
		rs := reasons_of({"license": l})
		r := the(rs, "EAR-LICENSE-ON-FILE")
		r.outcome == "deny"
		r.message == "a license is claimed but no license number is given"
		d := the(rs, "EAR-742.6-DEST")
		d.outcome == "deny"
		not d.facts.authorized_by
	}
}

test_license_number_is_trimmed if {
	authorized(the(reasons_of({"license": {"type": "license", "number": " L-9 "}}), "EAR-742.6-DEST"), "license L-9 on file")
}

test_license_not_needed if {
	rs := reasons_of({"dest": "DE", "license": lic_ok})
	r := the(rs, "EAR-AUTHORIZATION-NOT-NEEDED")
	r.outcome == "allow"
	r.message == "license claimed, but no license requirement applies to this order"
	no_rule(rs, "EAR-LICENSE-ON-FILE")
	the(rs, "NO-LICENSE-REQUIRED").outcome == "allow"
}

test_license_absent_claims_nothing if {
	rs := reasons_of({"dest": "DE"})
	no_rule(rs, "EAR-AUTHORIZATION-NOT-NEEDED")
	no_rule(rs, "EAR-LICENSE-ON-FILE")
	no_rule(rs, "EAR-740.8-NAC")
	no_rule(rs, "EAR-740.8-ACA")
}

# ---- NAC -------------------------------------------------------------------

test_nac_covers_destination_after_25_days if {
	rs := reasons_of({"items": [it_b], "license": nac_ok("2025-05-07")})
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
	r := the(rs, "EAR-740.8-NAC")
	r.outcome == "allow"
	r.message == "License Exception NAC applies (NAC number NAC-0042, BIS notified on 2025-05-07)"
	r.citation == "15 CFR 740.8(a)"
}

test_nac_24_days_is_too_soon if {
	rs := reasons_of({"items": [it_b], "license": nac_ok("2025-05-08")})
	r := the(rs, "EAR-740.8-NAC")
	r.outcome == "deny"
	r.facts.problems == ["BIS was notified on 2025-05-08, 24 days before the order date 2025-06-01; NAC needs at least 25"]
	contains(r.message, "is claimed but does not apply: BIS was notified on 2025-05-08, 24 days before")
	d := the(rs, "EAR-742.6-DEST")
	d.outcome == "deny"
	d.facts.review_policy == denial
}

test_nac_notified_after_order_date if {
	r := the(reasons_of({"items": [it_b], "license": nac_ok("2025-06-03")}), "EAR-740.8-NAC")
	has_problem(r, "-2 days before the order date")
}

test_nac_needs_number if {
	every n in ["", "   "] {
		rs := reasons_of({"items": [it_b], "license": {"type": "NAC", "number": n, "notified_on": "2025-01-01"}})
		r := the(rs, "EAR-740.8-NAC")
		r.outcome == "deny"
		r.facts.problems == ["no NAC number issued by BIS is given"]
		the(rs, "EAR-742.6-DEST").outcome == "deny"
	}
}

test_nac_needs_notified_on if {
	rs := reasons_of({"items": [it_b], "license": {"type": "NAC", "number": "NAC-1"}})
	r := the(rs, "EAR-740.8-NAC")
	r.outcome == "deny"
	r.facts.problems == ["no BIS notification date (license.notified_on) is given"]
	the(rs, "EAR-742.6-DEST").outcome == "deny"
}

test_nac_effective_2023_11_17 if {
	o := {"date": "2023-11-16", "items": [it_a_nodc], "license": nac_ok("2023-10-01")}
	r := the(reasons_of(o), "EAR-740.8-NAC")
	r.facts.problems == ["License Exception NAC took effect on 2023-11-17"]
	the(reasons_of(o), "EAR-742.6-DEST").outcome == "deny"
	o2 := object.union(o, {"date": "2023-11-17"})
	the(reasons_of(o2), "EAR-740.8-NAC").outcome == "allow"
	authorized(the(reasons_of(o2), "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
}

test_nac_never_covers_datacenter_a if {
	every it in [it_a, it_a_unsaid] {
		rs := reasons_of({"items": [it], "license": nac_ok("2025-01-01")})
		r := the(rs, "EAR-740.8-NAC")
		r.outcome == "deny"
		count(r.facts.problems) == 1
		has_problem(r, sprintf("%s is a 3A090.a item designed or marketed for datacenters", [it.sku]))
		the(rs, "EAR-742.6-DEST").outcome == "deny"
	}
	authorized(the(reasons_of({"items": [it_a_nodc], "license": nac_ok("2025-01-01")}), "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
}

test_nac_4a090a_with_datacenter_chip if {
	bad := server("SRV-A", "4A090.a", it_a, 8)
	r := the(reasons_of({"items": [bad], "license": nac_ok("2025-01-01")}), "EAR-740.8-NAC")
	has_problem(r, "SRV-A is a 3A090.a item designed or marketed for datacenters (or containing one)")
	good := server("SRV-A", "4A090.a", it_a_nodc, 8)
	the(reasons_of({"items": [good], "license": nac_ok("2025-01-01")}), "EAR-740.8-NAC").outcome == "allow"
	unsaid := server("SRV-A", "4A090.a", it_a_unsaid, 8)
	the(reasons_of({"items": [unsaid], "license": nac_ok("2025-01-01")}), "EAR-740.8-NAC").outcome == "deny"
}

test_nac_covers_4a090b if {
	rs := reasons_of({"items": [server("SRV-B", "4A090.b", it_b, 8)], "license": nac_ok("2025-01-01")})
	the(rs, "EAR-740.8-NAC").outcome == "allow"
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
}

test_nac_covers_headquarters if {
	rs := reasons_of({"dest": "SG", "items": [it_b], "parties": [cn_buyer], "license": nac_ok("2025-01-01")})
	authorized(the(rs, "EAR-742.6-HQ"), "License Exception NAC (NAC-0042)")
	the(rs, "EAR-740.8-NAC").outcome == "allow"
}

test_nac_covered_d1_d4_until_2024_04_04 if {
	o := {"dest": "VN", "items": [it_b], "license": nac_ok("2024-01-01")}
	rs1 := reasons_of(object.union(o, {"date": "2024-04-03"}))
	authorized(the(rs1, "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
	the(rs1, "EAR-740.8-NAC").outcome == "allow"
	rs2 := reasons_of(object.union(o, {"date": "2024-04-04"}))
	the(rs2, "EAR-742.6-DEST").outcome == "deny"
	r := the(rs2, "EAR-740.8-NAC")
	r.outcome == "deny"
	count(r.facts.problems) == 1
	has_problem(r, "destination VN (Country Groups D:1) is not Macau or D:5 and no party is headquartered there: License Exception ACA, not NAC")
}

test_nac_d1_d4_with_hq_party if {
	rs := reasons_of({"dest": "VN", "items": [it_b], "parties": [party("buyer", "B", "VN", "CN")], "license": nac_ok("2025-01-01")})
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
	authorized(the(rs, "EAR-742.6-HQ"), "License Exception NAC (NAC-0042)")
	the(rs, "EAR-740.8-NAC").outcome == "allow"
}

test_nac_macau if {
	rs := reasons_of({"dest": "MO", "items": [it_b], "license": nac_ok("2025-01-01")})
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
}

test_nac_does_not_overcome_end_use if {
	rs := reasons_of({"items": [it_b], "end_use": ["supercomputer"], "license": nac_ok("2025-01-01")})
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception NAC (NAC-0042)")
	e := the(rs, "EAR-744.23-SUPERCOMPUTER")
	e.outcome == "deny"
	endswith(e.message, "no license or applicable License Exception is on file; License Exceptions do not overcome it")
	r := the(rs, "EAR-740.8-NAC")
	r.outcome == "deny"
	r.facts.problems == ["License Exceptions do not overcome the EAR-744.23-SUPERCOMPUTER requirement"]
}

test_nac_does_not_overcome_hbm if {
	rs := reasons_of({"items": [it_hbm], "license": nac_ok("2025-01-01")})
	h := the(rs, "EAR-742.6-HBM")
	h.outcome == "deny"
	h.facts.review_policy == denial
	r := the(rs, "EAR-740.8-NAC")
	r.outcome == "deny"
	has_problem(r, "License Exceptions do not overcome the EAR-742.6-HBM requirement")
	has_problem(r, "HBM-1 is 3A090.c, which NAC does not cover")
	count(r.facts.problems) == 2
}

test_nac_lists_every_problem_sorted if {
	rs := reasons_of({"date": "2023-11-01", "items": [it_a], "license": {"type": "NAC"}})
	r := the(rs, "EAR-740.8-NAC")
	r.outcome == "deny"
	count(r.facts.problems) == 4
	r.facts.problems == sort(r.facts.problems)
	has_problem(r, "took effect on 2023-11-17")
	has_problem(r, "no NAC number")
	has_problem(r, "no BIS notification date")
	has_problem(r, "GPU-A is a 3A090.a item designed or marketed for datacenters")
	contains(r.message, concat("; ", r.facts.problems))
}

test_nac_not_needed if {
	rs := reasons_of({"dest": "DE", "license": nac_ok("2025-01-01")})
	no_rule(rs, "EAR-740.8-NAC")
	r := the(rs, "EAR-AUTHORIZATION-NOT-NEEDED")
	r.outcome == "allow"
	r.message == "NAC claimed, but no license requirement applies to this order"
}

test_nac_is_not_a_license if {
	rs := reasons_of({"items": [it_b], "license": nac_ok("2025-01-01")})
	no_rule(rs, "EAR-LICENSE-ON-FILE")
	no_rule(rs, "EAR-740.8-ACA")
}

# ---- ACA -------------------------------------------------------------------

test_aca_covers_d1_d4_from_2024_04_04 if {
	rs := reasons_of({"date": "2024-04-04", "dest": "VN", "items": [it_b], "license": aca_claim})
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception ACA")
	r := the(rs, "EAR-740.8-ACA")
	r.outcome == "allow"
	r.message == "License Exception ACA applies (no notification needed)"
	r.citation == "15 CFR 740.8(b)"
}

test_aca_before_2024_04_04 if {
	rs := reasons_of({"date": "2024-04-03", "dest": "VN", "items": [it_b], "license": aca_claim})
	r := the(rs, "EAR-740.8-ACA")
	r.outcome == "deny"
	r.facts.problems == ["License Exception ACA took effect on 2024-04-04"]
	d := the(rs, "EAR-742.6-DEST")
	d.outcome == "deny"
	d.facts.review_policy == approval
}

test_aca_not_macau_d5_destination if {
	every c in ["CN", "MO", "RU"] {
		rs := reasons_of({"dest": c, "items": [it_b], "license": aca_claim})
		r := the(rs, "EAR-740.8-ACA")
		r.outcome == "deny"
		count(r.facts.problems) == 1
		has_problem(r, sprintf("destination %s (Country Groups", [c]))
		has_problem(r, "is Macau or in D:5: ACA does not cover it (NAC may)")
		the(rs, "EAR-742.6-DEST").outcome == "deny"
	}
}

test_aca_not_headquarters if {
	rs := reasons_of({"dest": "VN", "items": [it_b], "parties": [party("buyer", "Acme", "VN", "CN")], "license": aca_claim})
	h := the(rs, "EAR-742.6-HQ")
	h.outcome == "deny"
	h.facts.review_policy == denial
	r := the(rs, "EAR-740.8-ACA")
	r.outcome == "deny"
	r.facts.problems == ["buyer Acme is headquartered in CN (Country Groups D:1, D:4, D:5): ACA does not cover such parties (NAC may)"]

	# coverage is per requirement: the destination requirement itself has no ACA problem
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception ACA")
}

test_aca_never_covers_datacenter_a if {
	rs := reasons_of({"dest": "VN", "items": [it_a], "license": aca_claim})
	r := the(rs, "EAR-740.8-ACA")
	r.facts.problems == ["GPU-A is a 3A090.a item designed or marketed for datacenters (or containing one), which ACA never covers"]
	the(rs, "EAR-742.6-DEST").outcome == "deny"
	authorized(the(reasons_of({"dest": "VN", "items": [it_a_nodc], "license": aca_claim}), "EAR-742.6-DEST"), "License Exception ACA")
}

test_aca_does_not_overcome_end_use if {
	rs := reasons_of({"dest": "VN", "items": [it_b], "end_use": ["wmd"], "license": aca_claim})
	authorized(the(rs, "EAR-742.6-DEST"), "License Exception ACA")
	the(rs, "EAR-744-WMD").outcome == "deny"
	r := the(rs, "EAR-740.8-ACA")
	r.facts.problems == ["License Exceptions do not overcome the EAR-744-WMD requirement"]
}

test_aca_ineligible_item_among_end_use_items if {
	# the end-use requirement lists every item, so a non-3A090 item is a problem too
	r := the(reasons_of({"dest": "DE", "items": [it_none], "end_use": ["wmd"], "license": aca_claim}), "EAR-740.8-ACA")
	has_problem(r, "GPU-N is none, which ACA does not cover")
	has_problem(r, "License Exceptions do not overcome the EAR-744-WMD requirement")
}

test_aca_not_needed if {
	rs := reasons_of({"dest": "DE", "license": aca_claim})
	no_rule(rs, "EAR-740.8-ACA")
	the(rs, "EAR-AUTHORIZATION-NOT-NEEDED").message == "ACA claimed, but no license requirement applies to this order"
}
