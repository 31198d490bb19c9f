# METADATA
# title: Party stage
# description: |
#   License requirements that follow from where a party, or its ultimate
#   parent, is headquartered: the headquarters rule of 15 CFR
#   742.6(a)(6)(iii)(A) / 744.23(a)(3). Two steps, as in
#   data.chipcheck.destination.
#
#   input of requirements: {date, destination, ship_from,
#           headquarters: <one country code as written>,
#           items: [{class, eccn, headquarters}]}   (the "party" item view)
#   The stage judges one headquarters country: the engine asks it for each
#   country where a party or ultimate parent is headquartered, and gives
#   requirement_reasons, beside the requirement, the parties headquartered
#   there: parties [{role, parent, country}] (parent: the party's ultimate
#   parent; country: where the party is located). It writes one reason per
#   party, about that party (the engine adds its name).
#   (date and items as in data.chipcheck.destination)
package chipcheck.party

import data.chipcheck.authorization
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
	req := object.union(
		authorization.requirement(
			rego.metadata.rule(), "headquarters", cs, v.citation,
			sprintf("headquartered in %s, which needs a license for %s wherever the party is located", [place.text(hq), lib.eccns_text(cs)]),
			{"headquarters": hq.code, "country_groups": hq.groups},
		),
		{"headquarters": hq.code},
	)
}

# The reason of the requirement for each party headquartered there, which
# names the party.
requirement_reasons contains object.union(
	authorization.requirement_reason(object.union(input.requirement, {"party_country": p.country}), sprintf("%s %s", [subject(p), input.requirement.what])),
	{"about": {"party": i}, "key": sprintf("%s/%v", [p.role, p.parent])},
) if {
	some i, p in input.parties
}

# "the buyer is", "the buyer's ultimate parent is"
subject(p) := sprintf("the %s's ultimate parent is", [p.role]) if p.parent

else := sprintf("the %s is", [p.role])
