# End-use license requirements (15 CFR 744.2-744.4, 744.21-744.23): any item,
# whatever its ECCN, when the declared end use and the place match. A license
# overcomes them; License Exceptions do not.
package chipcheck.order

# METADATA
# title: Supercomputer end use
# description: Any item for a supercomputer in or destined to Macau or D:5 needs a license
# custom:
#   id: EAR-744.23-SUPERCOMPUTER
#   citation: "15 CFR 744.23(a)(1)"
requirements contains end_use_requirement("supercomputer", rego.metadata.rule())

# METADATA
# title: Advanced-node IC production end use
# description: Any item for developing or producing advanced-node ICs at a facility in Macau or D:5 needs a license
# custom:
#   id: EAR-744.23-ADVANCED-IC
#   citation: "15 CFR 744.23(a)(2)"
requirements contains end_use_requirement("advanced_ic_production", rego.metadata.rule())

# METADATA
# title: Semiconductor-equipment production end use
# description: Any item for developing or producing semiconductor manufacturing equipment in Macau or D:5 needs a license
# custom:
#   id: EAR-744.23-SME
#   citation: "15 CFR 744.23(a)(4)"
requirements contains end_use_requirement("semiconductor_equipment_production", rego.metadata.rule())

# METADATA
# title: Military end use
# description: Any item for a military end use in a country 744.21 names needs a license
# custom:
#   id: EAR-744.21-MILITARY
#   citation: "15 CFR 744.21(a)"
requirements contains end_use_requirement("military", rego.metadata.rule())

# METADATA
# title: Military-intelligence end use
# description: Any item for a military-intelligence end use or end user in a country 744.22 names needs a license
# custom:
#   id: EAR-744.22-MILITARY-INTELLIGENCE
#   citation: "15 CFR 744.22(a)"
requirements contains end_use_requirement("military_intelligence", rego.metadata.rule())

# METADATA
# title: WMD end use
# description: Any item known to be for nuclear, missile, chemical or biological weapons needs a license
# custom:
#   id: EAR-744-WMD
#   citation: "15 CFR 744.2, 744.3, 744.4"
requirements contains end_use_requirement("wmd", rego.metadata.rule())

end_use_requirement(name, meta) := req if {
	some code in end_uses
	ctl := data.rules.end_use.controls[name]
	code in ctl.codes
	codes := [c | some c in ctl.codes; c in end_uses]
	where := end_use_place(name)
	export
	req := {
		"key": meta.custom.id,
		"rule": meta.custom.id,
		"kind": "end_use",
		"citation": ctl.citation,
		"items": input.items,
		"message": sprintf("declared end use %s %s needs a license for any item subject to the EAR", [concat(", ", codes), where]),
		"facts": {"end_use": codes, "where": where},
	}
}

# Where the control reaches: the destination, else the end user's country.
end_use_place(name) := sprintf("in destination %s", [place_text(dest_place)]) if {
	dest_place.end_use[name]
} else := sprintf("by end user %s located in %s", [eu.name, place_text(p)]) if {
	some eu in input.parties
	eu.role == "end_user"
	p := pl(eu.country)
	p.end_use[name]
}
