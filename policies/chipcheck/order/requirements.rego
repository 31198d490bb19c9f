# License requirements of 15 CFR 742.6(a)(6) for advanced-computing items.
# Each adds a requirement; decision.rego turns it into a reason that is
# allow when a license or License Exception covers it (exceptions.rego) and
# deny otherwise.
package chipcheck.order

# METADATA
# title: Destination license requirement
# description: 3A090/4A090 items to D:1, D:4 or D:5 (not also A:5/A:6) or Macau need a license
# custom:
#   id: EAR-742.6-DEST
#   citation: "15 CFR 742.6(a)(6)(i)"
requirements contains req if {
	v := dest_place.destination
	v != null
	export
	its := [it | some it in input.items; judged(it).scope.destination]
	count(its) > 0
	meta := rego.metadata.rule()
	req := {
		"key": meta.custom.id,
		"rule": meta.custom.id,
		"kind": "destination",
		"citation": v.citation,
		"items": its,
		"message": sprintf("destination %s is in the advanced-computing license scope: %s", [place_text(dest_place), items_text(its)]),
		"facts": {"destination": dest, "country_groups": dest_place.groups, "items": item_facts(its)},
	}
}

# METADATA
# title: Headquarters license requirement
# description: 3A090/4A090 items for a party headquartered in Macau or D:5, or whose ultimate parent is, wherever located, need a license
# custom:
#   id: EAR-742.6-HQ
#   citation: "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)"
requirements contains req if {
	some f in hq_facts
	v := f.place.headquarters
	v != null
	export
	dest != data.rules.license.domestic
	its := [it | some it in input.items; judged(it).scope.headquarters]
	count(its) > 0
	meta := rego.metadata.rule()
	req := {
		"key": sprintf("%s/%s", [meta.custom.id, f.key]),
		"rule": meta.custom.id,
		"kind": "headquarters",
		"citation": v.citation,
		"items": its,
		"party": f,
		"message": sprintf("%s headquartered in %s, which needs a license wherever the party is located: %s", [who(f), place_text(f.place), items_text(its)]),
		"facts": {"party": f.party.role, "headquarters": f.place.code, "country_groups": f.place.groups, "items": item_facts(its)},
	}
}

# METADATA
# title: HBM license requirement
# description: 3A090.c high-bandwidth memory to Macau or D:5 needs a license
# custom:
#   id: EAR-742.6-HBM
#   citation: "15 CFR 742.6(a)(6) (89 FR 96790)"
requirements contains req if {
	v := dest_place.hbm
	v != null
	export
	its := [it | some it in input.items; judged(it).scope.hbm]
	count(its) > 0
	meta := rego.metadata.rule()
	req := {
		"key": meta.custom.id,
		"rule": meta.custom.id,
		"kind": "hbm",
		"citation": v.citation,
		"items": its,
		"message": sprintf("destination %s is in Macau or Country Group D:5: %s", [place_text(dest_place), items_text(its)]),
		"facts": {"destination": dest, "country_groups": dest_place.groups, "items": item_facts(its)},
	}
}

# How BIS would review a license application for a requirement nothing
# covers (15 CFR 742.6(b)(10)). Only the 742.6 requirements carry one.
review_policy(req) := band_or(req, policies.macau_d5) if {
	req.kind in {"destination", "hbm"}
	dest_place.macau_d5
} else := policy(policies.d1_d4) if {
	req.kind == "destination"
	not hq_requirement
} else := policy(policies.headquarters) if {
	req.kind == "destination"
} else := band_or(req, policies.headquarters) if {
	req.kind == "headquarters"
	located(req.party) == dest
} else := policy(policies.headquarters) if {
	req.kind == "headquarters"
}

policies := data.rules.license.review_policy

policy(p) := {"policy": p, "citation": policies.citation}

hq_requirement if {
	some r in requirements
	r.kind == "headquarters"
}

# The January 2026 case-by-case band for exports from the US to China or
# Macau, else the given policy.
band_or(req, p) := {"policy": b.policy, "citation": b.citation} if {
	dest_place.band
	b := policies.case_by_case
	ship_from in b.ship_from
	every it in req.items {
		judged(it).band
	}
} else := policy(p)
