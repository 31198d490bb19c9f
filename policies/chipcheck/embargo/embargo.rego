# METADATA
# title: Embargo stage
# description: |
#   Country-wide controls of 15 CFR Part 746 (Cuba, North Korea, Iran,
#   Syria, Russia, Belarus, the covered regions of Ukraine) and the OFAC
#   comprehensive country programmes, from data.rules.embargoes. They
#   reach every item chipcheck judges: a chip or computer that is not
#   3A090/4A090 is still on the CCL (3A991, 4A994, 5A992). A license on
#   file overcomes an embargo requirement; License Exceptions NAC/ACA do
#   not. Two steps, as in data.chipcheck.destination.
#
#   input of requirements and reasons:
#          {date, destination, ship_from, destination_region,
#           end_user: {country}, consignee: {country}}
#     destination_region  "" when the order gives none
#   (date as in data.chipcheck.destination)
package chipcheck.embargo

import data.chipcheck.authorization
import data.chipcheck.lib
import data.chipcheck.place

rules := data.rules.embargoes

dest := place.at(input.destination)

region := object.get(input, "destination_region", "")

export if not lib.domestic(input.ship_from, input.destination)

# Where an embargo or programme reaches the order: the destination (or its
# region), else the country where the end user, or the consignee who
# receives the goods, is located.
reach(spec) := sprintf("destination %s", [dest_text]) if {
	at_destination(spec)
} else := texts[0] if {
	# the end user first: one text even when both are there
	texts := [sprintf("the %s located in %s", [replace(role, "_", " "), place.text(p)]) |
		some role in ["end_user", "consignee"]
		c := object.get(object.get(input, role, {}), "country", "")
		c != ""
		p := place.at(c)
		p.code in object.get(spec, "countries", [])
	]
	count(texts) > 0
}

at_destination(spec) if dest.code in object.get(spec, "countries", [])

at_destination(spec) if region in object.get(object.get(spec, "regions", {}), dest.code, [])

dest_text := sprintf("%s, region %s (%s)", [place.text(dest), region, rules.regions[dest.code][region].description]) if {
	region != ""
} else := place.text(dest)

ear99_text := {
	"all": "every item subject to the EAR, EAR99 included",
	"except_food_medicine": "every item subject to the EAR except food and medicine classified EAR99",
	"supplement_only": "every item on the Commerce Control List, and the EAR99 items its supplements list",
	"none": "every item on the Commerce Control List (EAR99 items need none)",
}

# METADATA
# title: Embargoed destination
# description: An export to a country or region under a Part 746 embargo needs a license for every item on the CCL, which every chip and computer is
# custom:
#   id: EAR-746-EMBARGO
#   citation: "15 CFR part 746"
requirements contains req if {
	export
	some id, em in rules.embargoes
	where := reach(em)
	v := lib.current(em.versions, input.date)
	v.ccl
	req := object.union(
		authorization.requirement(
			rego.metadata.rule(), "embargo", "all", v.citation,
			sprintf("%s is under the %s embargo, which requires a license for %s (every chip and computer is on the CCL: 3A090/4A090, else 3A991, 4A994 or 5A992)", [where, em.name, ear99_text[v.ear99]]),
			{"embargo": id, "review_policy": v.review_policy},
		),
		{"review": {"policy": v.review_policy, "citation": v.citation}},
	)
}

requirement_reasons contains authorization.requirement_reason(input.requirement, input.requirement.what)

# METADATA
# title: Region of an embargoed country unknown
# description: The destination is a country that an embargo covers only in part (Ukraine) and the order does not say which region
# custom:
#   id: EAR-746-REGION-UNKNOWN
#   citation: "15 CFR 746.6"
reasons contains lib.reason(
	rego.metadata.rule(), "review",
	sprintf("destination %s: embargoes cover some of its regions (%s) and the order gives no destination_region; say which (%s)", [
		place.text(dest),
		concat(", ", sort(covered_regions)),
		concat(", ", sort(object.keys(rules.regions[dest.code]))),
	]),
	"", {"destination": dest.code},
) if {
	authorization.embargo_region_unknown
}

covered_regions contains rules.regions[dest.code][r].description if {
	some em in rules.embargoes
	some r in object.get(object.get(em, "regions", {}), dest.code, [])
}

# METADATA
# title: OFAC country programme
# description: The destination or end user is under an OFAC comprehensive country programme, which needs OFAC's authorization whatever the EAR says; chipcheck does not check OFAC licences
# custom:
#   id: OFAC-COUNTRY-PROGRAM
#   citation: "31 CFR chapter V"
reasons contains r if {
	some id, prog in rules.ofac
	lib.in_force(prog, input.date)
	where := reach(prog)
	r := object.union(
		lib.reason(
			rego.metadata.rule(), "review",
			sprintf("%s is under OFAC's %s (%s): US persons need OFAC's authorization for this export whatever the EAR allows; chipcheck does not check OFAC licences, so a reviewer must", [where, prog.name, prog.citation]),
			prog.citation, {"program": id},
		),
		{"key": id},
	)
}
