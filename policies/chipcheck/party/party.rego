# METADATA
# title: Party stage
# description: |
#   License requirements that follow from where a party, or its ultimate
#   parent, is headquartered: the headquarters rule of 15 CFR
#   742.6(a)(6)(iii)(A) / 744.23(a)(3). The stage judges one headquarters
#   country; the engine asks it for every party's headquarters and every
#   ultimate parent's, and names the party in front of the message ("the
#   buyer's ultimate parent is " + message).
#
#   input: {date, destination, ship_from, headquarters: <country code as written>,
#           items: [{class, eccn, headquarters}]}   (the "party" item view)
#   (date and items as in data.chipcheck.destination)
package chipcheck.party

import data.chipcheck.lib
import data.chipcheck.place

export if not lib.domestic(input.ship_from, input.destination)

hq := place.at(input.headquarters)

# METADATA
# title: Headquarters license requirement
# description: 3A090/4A090 items for a party headquartered in Macau or D:5, or whose ultimate parent is, wherever located, need a license
# custom:
#   id: EAR-742.6-HQ
#   citation: "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)"
requirements contains req if {
	v := hq.headquarters
	v != null
	export
	lib.country(input.destination) != data.rules.license.domestic
	cs := [c | some c in input.items; c.headquarters]
	count(cs) > 0
	meta := rego.metadata.rule()
	req := {
		"key": meta.custom.id,
		"rule": meta.custom.id,
		"kind": "headquarters",
		"citation": v.citation,
		"classes": lib.class_ids(cs),
		"headquarters": hq.code,
		"message": sprintf("headquartered in %s, which needs a license for %s wherever the party is located", [place.text(hq), lib.eccns_text(cs)]),
		"facts": {"headquarters": hq.code, "country_groups": hq.groups},
	}
}
