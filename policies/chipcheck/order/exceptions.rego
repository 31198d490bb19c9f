# What authorizes a license requirement: a license on file, or License
# Exception NAC or ACA (15 CFR 740.8) where it applies. A claimed
# authorization that does not apply is a deny that says why.
package chipcheck.order

import data.chipcheck.lib

lic := object.get(input.order, "license", {})

claimed := object.get(lic, "type", "")

lic_number := trim_space(object.get(lic, "number", ""))

license_on_file if {
	claimed == "license"
	lic_number != ""
}

# Requirement kinds a license can authorize, and those License Exceptions
# NAC/ACA can (§740.8 covers the §742.6(a)(6) requirements only).
license_kinds := {"destination", "headquarters", "hbm", "end_use", "is_informed"}

exception_kinds := {"destination", "headquarters"}

# The authorization covering req, as text, if any.
covered_by(req) := sprintf("license %s on file", [lic_number]) if {
	license_on_file
	req.kind in license_kinds
} else := sprintf("License Exception NAC (%s)", [lic_number]) if {
	claimed == "NAC"
	count(nac_order_problems) == 0
	req.kind in exception_kinds
	count(nac_problems_for(req)) == 0
} else := "License Exception ACA" if {
	claimed == "ACA"
	count(aca_order_problems) == 0
	req.kind in exception_kinds
	count(aca_problems_for(req)) == 0
}

# Why License Exception exc cannot cover item it, if it cannot.
ineligible(exc, it) := sprintf("%s is %s", [it.sku, m]) if {
	m := judged(it).exceptions[exc.code]
	m != null
}

# ---- NAC -------------------------------------------------------------------

nac := data.rules.exceptions.NAC

nac_order_problems contains sprintf("License Exception NAC took effect on %s", [nac.from]) if {
	claimed == "NAC"
	date < nac.from
}

nac_order_problems contains "no NAC number issued by BIS is given" if {
	claimed == "NAC"
	lic_number == ""
}

nac_order_problems contains "no BIS notification date (license.notified_on) is given" if {
	claimed == "NAC"
	not lic.notified_on
}

nac_order_problems contains msg if {
	claimed == "NAC"
	days := lib.days_between(lic.notified_on, date)
	days < nac.notice_days
	msg := sprintf("BIS was notified on %s, %v days before the order date %s; NAC needs at least %v", [lic.notified_on, days, date, nac.notice_days])
}

nac_problems_for(req) := ({msg |
	some it in req.items
	msg := ineligible(nac, it)
} | {msg |
	req.kind == "destination"
	not nac_nexus
	date >= nac.covered_d1_d4_until
	msg := sprintf("destination %s is not Macau or D:5 and no party is headquartered there: License Exception ACA, not NAC, is the one for it", [place_text(dest_place)])
}) | {msg |
	not req.kind in exception_kinds
	msg := sprintf("License Exceptions do not overcome the %s requirement", [req.rule])
}

# The order has a Macau/D:5 tie that NAC is for.
nac_nexus if dest_place.macau_d5

nac_nexus if hq_requirement

# METADATA
# title: License Exception NAC
# description: NAC authorizes Macau/D:5 destinations and D:5/Macau-headquartered parties after a 25-day notice, never for datacenter 3A090.a items
# custom:
#   id: EAR-740.8-NAC
#   citation: "15 CFR 740.8(a)"
reasons contains r if {
	claimed == "NAC"
	count(requirements) > 0
	problems := nac_order_problems | {m | some req in requirements; some m in nac_problems_for(req)}
	r := exception_reason(rego.metadata.rule(), nac, problems, sprintf("NAC number %s, BIS notified on %v", [lic_number, object.get(lic, "notified_on", "?")]))
}

# ---- ACA -------------------------------------------------------------------

aca := data.rules.exceptions.ACA

aca_order_problems contains sprintf("License Exception ACA took effect on %s", [aca.from]) if {
	claimed == "ACA"
	date < aca.from
}

aca_problems_for(req) := (({msg |
	some it in req.items
	msg := ineligible(aca, it)
} | {msg |
	req.kind == "destination"
	dest_place.macau_d5
	msg := sprintf("destination %s is Macau or in D:5: ACA does not cover it (NAC may)", [place_text(dest_place)])
}) | {msg |
	req.kind == "headquarters"
	msg := sprintf("%s headquartered in %s: ACA does not cover such parties (NAC may)", [who(req.party), place_text(req.party.place)])
}) | {msg |
	not req.kind in exception_kinds
	msg := sprintf("License Exceptions do not overcome the %s requirement", [req.rule])
}

# METADATA
# title: License Exception ACA
# description: ACA authorizes D:1/D:4 destinations outside Macau/D:5 without notice, never for datacenter 3A090.a items
# custom:
#   id: EAR-740.8-ACA
#   citation: "15 CFR 740.8(b)"
reasons contains r if {
	claimed == "ACA"
	count(requirements) > 0
	problems := aca_order_problems | {m | some req in requirements; some m in aca_problems_for(req)}
	r := exception_reason(rego.metadata.rule(), aca, problems, "no notification needed")
}

exception_reason(meta, exc, problems, detail) := lib.reason(
	meta, "allow",
	sprintf("License Exception %s applies (%s)", [exc.code, detail]),
	exc.citation, {},
) if {
	count(problems) == 0
} else := lib.reason(
	meta, "deny",
	sprintf("License Exception %s (%s) is claimed but does not apply: %s", [exc.code, exc.name, concat("; ", sort(problems))]),
	exc.citation, {"problems": sort(problems)},
)

# METADATA
# title: License on file
# description: A license with a number authorizes the license requirements it was claimed for
# custom:
#   id: EAR-LICENSE-ON-FILE
#   citation: "15 CFR 750.7"
reasons contains r if {
	claimed == "license"
	count(requirements) > 0
	r := license_reason(rego.metadata.rule())
}

license_reason(meta) := lib.reason(meta, "allow", sprintf("license %s is on file for: %s", [lic_number, concat(", ", sort({q.rule | some q in requirements; q.kind in license_kinds}))]), "", {"license": lic_number}) if {
	license_on_file
} else := lib.reason(meta, "deny", "a license is claimed but no license number is given", "", {})

# METADATA
# title: Authorization not needed
# description: A license or License Exception is claimed but no license requirement applies
# custom:
#   id: EAR-AUTHORIZATION-NOT-NEEDED
#   citation: "15 CFR 740.8; 15 CFR 750.7"
reasons contains r if {
	claimed != ""
	count(requirements) == 0
	r := lib.reason(rego.metadata.rule(), "allow", sprintf("%s claimed, but no license requirement applies to this order", [claimed]), "", {})
}
