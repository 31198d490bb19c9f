# METADATA
# title: End-use stage
# description: |
#   End-use license requirements (15 CFR 744.2-744.4, 744.21-744.23): any
#   item, whatever its ECCN, when the declared end use and the place match.
#   A license overcomes them; License Exceptions do not. Two steps, as in
#   data.chipcheck.destination.
#
#   input of requirements: {date, destination, ship_from, end_use: [codes], end_user: {country}}
#   (date as in data.chipcheck.destination)
package chipcheck.end_use

import data.chipcheck.authorization
import data.chipcheck.lib
import data.chipcheck.place

dest := place.at(input.destination)

export if not lib.domestic(input.ship_from, input.destination)

# METADATA
# title: Supercomputer end use
# description: Any item for a supercomputer in or destined to Macau or D:5 needs a license
# custom:
#   id: EAR-744.23-SUPERCOMPUTER
#   citation: "15 CFR 744.23(a)(1)"
requirements contains requirement("supercomputer", rego.metadata.rule())

# METADATA
# title: Advanced-node IC production end use
# description: Any item for developing or producing advanced-node ICs at a facility in Macau or D:5 needs a license
# custom:
#   id: EAR-744.23-ADVANCED-IC
#   citation: "15 CFR 744.23(a)(2)"
requirements contains requirement("advanced_ic_production", rego.metadata.rule())

# METADATA
# title: Semiconductor-equipment production end use
# description: Any item for developing or producing semiconductor manufacturing equipment in Macau or D:5 needs a license
# custom:
#   id: EAR-744.23-SME
#   citation: "15 CFR 744.23(a)(4)"
requirements contains requirement("semiconductor_equipment_production", rego.metadata.rule())

# METADATA
# title: Military end use
# description: Any item for a military end use in a country 744.21 names needs a license
# custom:
#   id: EAR-744.21-MILITARY
#   citation: "15 CFR 744.21(a)"
requirements contains requirement("military", rego.metadata.rule())

# METADATA
# title: Military-intelligence end use
# description: Any item for a military-intelligence end use or end user in a country 744.22 names needs a license
# custom:
#   id: EAR-744.22-MILITARY-INTELLIGENCE
#   citation: "15 CFR 744.22(a)"
requirements contains requirement("military_intelligence", rego.metadata.rule())

# METADATA
# title: WMD end use
# description: Any item known to be for nuclear, missile, chemical or biological weapons needs a license
# custom:
#   id: EAR-744-WMD
#   citation: "15 CFR 744.2, 744.3, 744.4"
requirements contains requirement("wmd", rego.metadata.rule())

requirement(name, meta) := req if {
	ctl := data.rules.end_use.controls[name]
	codes := [c | some c in ctl.codes; c in input.end_use]
	count(codes) > 0
	where := reach(name)
	export
	req := authorization.requirement(
		meta, "end_use", "all", ctl.citation,
		sprintf("declared end use %s %s needs a license for any item subject to the EAR", [concat(", ", codes), where]),
		{"end_use": codes},
	)
}

# The reason of one of these requirements (input as in
# data.chipcheck.authorization).
requirement_reasons contains authorization.requirement_reason(input.requirement, input.requirement.what)

# Where the control reaches: the destination, else the end user's country.
reach(name) := sprintf("in destination %s", [place.text(dest)]) if {
	dest.end_use[name]
} else := sprintf("by the end user located in %s", [place.text(p)]) if {
	p := place.at(input.end_user.country)
	p.end_use[name]
}
