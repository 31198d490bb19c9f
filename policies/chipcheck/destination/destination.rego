# METADATA
# title: Destination stage
# description: |
#   License requirements that follow from where the items go: the
#   destination scope of 15 CFR 742.6(a)(6), HBM to Macau/D:5, and the
#   (unenforced) AI Diffusion rule.
#
#   Like every license-requirement stage it runs in two steps (see
#   data.chipcheck.authorization): `requirements` says what needs a
#   license, `requirement_reasons` writes each requirement's reason.
#
#   input of requirements and reasons: {date, destination, ship_from,
#           items: [{class, eccn, destination, hbm, diffusion}]}
#     date   a string that compares with every date in data.rules as the
#            order date does (<, <=, >=, >); compare it only with those
#     items  the order's distinct items as this stage sees them: the
#            "destination" view of data.chipcheck.item, with a class id
#
#   The engine evaluates this once per distinct input and caches the result,
#   so messages name item classes (ECCNs), never SKUs; the engine adds the
#   order's items of the classes a reason names to its facts.
package chipcheck.destination

import data.chipcheck.authorization
import data.chipcheck.lib
import data.chipcheck.place

dest := place.at(input.destination)

export if not lib.domestic(input.ship_from, input.destination)

# METADATA
# title: Destination license requirement
# description: 3A090/4A090 items to D:1, D:4 or D:5 (not also A:5/A:6) or Macau need a license
# custom:
#   id: EAR-742.6-DEST
#   citation: "15 CFR 742.6(a)(6)(i)"
requirements contains req if {
	v := dest.destination
	v != null
	export
	cs := [c | some c in input.items; c.destination]
	count(cs) > 0
	req := authorization.requirement(
		rego.metadata.rule(), "destination", cs, v.citation,
		sprintf("destination %s is in the advanced-computing license scope for %s", [place.text(dest), lib.eccns_text(cs)]),
		{"destination": dest.code, "country_groups": dest.groups},
	)
}

# METADATA
# title: HBM license requirement
# description: 3A090.c high-bandwidth memory to Macau or D:5 needs a license
# custom:
#   id: EAR-742.6-HBM
#   citation: "15 CFR 742.6(a)(6) (89 FR 96790)"
requirements contains req if {
	v := dest.hbm
	v != null
	export
	cs := [c | some c in input.items; c.hbm]
	count(cs) > 0
	req := authorization.requirement(
		rego.metadata.rule(), "hbm", cs, v.citation,
		sprintf("destination %s is in Macau or Country Group D:5 for %s", [place.text(dest), lib.eccns_text(cs)]),
		{"destination": dest.code, "country_groups": dest.groups},
	)
}

# The reason of one of these requirements: whether the order is
# authorized (input as in data.chipcheck.authorization).
requirement_reasons contains authorization.requirement_reason(input.requirement, input.requirement.what)

# METADATA
# title: AI Diffusion rule (not enforced)
# description: The worldwide 3A090.a license requirement of 90 FR 4544 is in the CFR but BIS does not enforce it; informational only
# custom:
#   id: EAR-AI-DIFFUSION-NOT-ENFORCED
#   citation: "90 FR 4544; BIS statement of 13 May 2025; GAO B-337935"
reasons contains r if {
	dest.diffusion
	export
	cs := [c | some c in input.items; c.diffusion]
	count(cs) > 0
	r := object.union(
		lib.reason(
			rego.metadata.rule(), "allow",
			sprintf("the AI Diffusion rule would require a license for %s to %s, but BIS does not enforce it (informational)", [lib.eccns_text(cs), place.text(dest)]),
			data.rules.diffusion.citation, {},
		),
		{"about": {"classes": lib.class_ids(cs)}},
	)
}
