# METADATA
# title: Authorization stages
# description: |
#   Turns the order's license requirements (from the destination, party,
#   end-use, letters and whole-order stages) into reasons. Three rule sets,
#   each its own stage, evaluated on the same input shape:
#
#   coverage   for each requirement, its status: allow when a license on
#              file or License Exception NAC/ACA (15 CFR 740.8) covers it,
#              else deny with the review policy a license application would
#              meet. The engine evaluates it once per requirement
#              (requirements holds that one; kinds names the kinds of all
#              the order's requirements; items the requirement's items) and
#              makes the
#              requirement's reason: its rule, citation and message, then
#              "; " and the status message, with the outcome and facts
#              of the status.
#   claims     the claimed license or exception itself: applies, or a deny
#              that says why. Evaluated with all requirements and items, and
#              only for orders that give a license; requirements carry only
#              rule, kind, classes, headquarters and party_country.
#   clearance  why no license is needed. Evaluated only for orders with no
#              requirement.
#
#   input: {date, destination, ship_from,
#           license: {type, numbered, notified, notice_problem},
#                     (numbered: a license or NAC number is given, the engine
#                     adds the number itself to each reason's facts;
#                     notified: a BIS notification date is given;
#                     notice_problem: the engine's result of notice_problem
#                     below for that notification)
#           requirements: [{rule*, kind*, classes*, headquarters*, party_country*}],
#                          (classes: ids of the item classes below, or "all")
#           kinds: [kinds of all the order's requirements],
#           screening: [{rule, outcome}]   (claims and clearance only: the
#                      reasons the screening stage gave the order's hits)
#           items: [{class, eccn, exceptions, band}]}   (the "authorization" item
#                    view for orders that claim License Exception NAC or ACA,
#                    else the "review" view {class, eccn, band})
#   (date and items as in data.chipcheck.destination)
package chipcheck.authorization

import data.chipcheck.lib
import data.chipcheck.place

dest := place.at(input.destination)

reqs := input.requirements

lic := object.get(input, "license", {})

claimed := object.get(lic, "type", "")

numbered := object.get(lic, "numbered", false)

license_on_file if {
	claimed == "license"
	numbered
}

# Requirement kinds a license can authorize, and those License Exceptions
# NAC/ACA can (740.8 covers the 742.6(a)(6) requirements only).
license_kinds := {"destination", "headquarters", "hbm", "end_use", "is_informed"}

exception_kinds := {"destination", "headquarters"}

# The item classes a requirement is about.
classes(req) := input.items if req.classes == "all"

else := [c | some c in input.items; c.class in req.classes]

kinds := {r.kind | some r in reqs} | {k | some k in object.get(input, "kinds", [])}

hq_requirement if "headquarters" in kinds

# ---- reasons for requirements ------------------------------------------------

# METADATA
# title: Requirement reasons
# description: Every license requirement becomes a reason, allow when authorized, else deny with the review policy
# custom:
#   forwards: requirements
coverage contains status(req) if some req in reqs

# What the engine adds to the requirement's own reason: its outcome, and
# what authorizes it or how an application would be reviewed.
status(req) := {
	"outcome": "allow",
	"message": sprintf("authorized by %s", [by]),
	"facts": {"authorized_by": by},
} if {
	by := covered_by(req)
} else := {
	"outcome": "deny",
	"message": sprintf("no license or applicable License Exception is on file%s", [policy_text(req)]),
	"facts": policy_facts(req),
}

# The authorization covering req, as text, if any.
covered_by(req) := "the license on file" if {
	license_on_file
	req.kind in license_kinds
} else := "License Exception NAC" if {
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

policy_text(req) := sprintf("; a license application would be reviewed under a %s policy (%s)", [p.policy, p.citation]) if {
	p := review_policy(req)
} else := "; License Exceptions do not overcome it"

policy_facts(req) := {"review_policy": review_policy(req).policy} if review_policy(req)

else := {}

# ---- review policy (15 CFR 742.6(b)(10)) -------------------------------------

policies := data.rules.license.review_policy

policy(p) := {"policy": p, "citation": policies.citation}

review_policy(req) := band_or(req, policies.macau_d5) if {
	req.kind in {"destination", "hbm"}
	dest.macau_d5
} else := policy(policies.d1_d4) if {
	req.kind == "destination"
	not hq_requirement
} else := policy(policies.headquarters) if {
	req.kind == "destination"
} else := band_or(req, policies.headquarters) if {
	req.kind == "headquarters"
	object.get(req, "party_country", "") != ""
	place.at(req.party_country).code == dest.code
} else := policy(policies.headquarters) if {
	req.kind == "headquarters"
}

# The January 2026 case-by-case band for exports from the US to China or
# Macau, else the given policy.
band_or(req, p) := {"policy": b.policy, "citation": b.citation} if {
	dest.band
	b := policies.case_by_case
	place.at(input.ship_from).code in b.ship_from
	every c in classes(req) {
		c.band == true
	}
} else := policy(p)

# ---- License Exception problems ----------------------------------------------

# Why License Exception exc cannot cover an item class, if it cannot.
ineligible(exc, c) := m if {
	m := c.exceptions[exc.code]
	m != null
}

nac := data.rules.exceptions.NAC

nac_order_problems contains sprintf("License Exception NAC took effect on %s", [nac.from]) if {
	claimed == "NAC"
	input.date < nac.from
}

nac_order_problems contains "no NAC number issued by BIS is given" if {
	claimed == "NAC"
	notification_needed
	not numbered
}

nac_order_problems contains "no BIS notification date (license.notified_on) is given" if {
	claimed == "NAC"
	notification_needed
	not lic.notified
}

nac_order_problems contains lic.notice_problem if {
	claimed == "NAC"
	notification_needed
	lic.notice_problem != null
}

# Until ACA was split off (2024-04-04) NAC also covered D:1/D:4
# destinations outside Macau/D:5, and that leg needed no notification (so no
# NAC number); notification was for Macau/D:5 destinations and parties.
notification_needed if nac_nexus

notification_needed if input.date >= nac.covered_d1_d4_until

# Why a BIS notification is too late for NAC (null if it is not). Its own
# query, input {notice_days}: whole days from the notification to the
# order date. The engine passes its result in license.notice_problem.
notice_problem := sprintf("BIS was notified %v days before the order date; NAC needs at least %v", [input.notice_days, nac.notice_days]) if {
	input.notice_days < nac.notice_days
} else := null

nac_problems_for(req) := ({sprintf("%s are %s", [lib.eccns_text([c]), m]) |
	some c in classes(req)
	m := ineligible(nac, c)
} | {msg |
	req.kind == "destination"
	not nac_nexus
	input.date >= nac.covered_d1_d4_until
	msg := sprintf("destination %s is not Macau or D:5 and no party is headquartered there: License Exception ACA, not NAC, is the one for it", [place.text(dest)])
}) | {msg |
	not req.kind in exception_kinds
	msg := sprintf("License Exceptions do not overcome the %s requirement", [req.rule])
}

# The order has a Macau/D:5 tie that NAC is for.
nac_nexus if dest.macau_d5

nac_nexus if hq_requirement

# METADATA
# title: License Exception NAC
# description: NAC authorizes Macau/D:5 destinations and D:5/Macau-headquartered parties after a 25-day notice, never for datacenter 3A090.a items
# custom:
#   id: EAR-740.8-NAC
#   citation: "15 CFR 740.8(a)"
claims contains r if {
	claimed == "NAC"
	count(reqs) > 0
	problems := nac_order_problems | {m | some req in reqs; some m in nac_problems_for(req)}
	r := exception_reason(rego.metadata.rule(), nac, problems, sprintf("BIS notified at least %v days before the order date", [nac.notice_days]))
}

aca := data.rules.exceptions.ACA

aca_order_problems contains sprintf("License Exception ACA took effect on %s", [aca.from]) if {
	claimed == "ACA"
	input.date < aca.from
}

aca_problems_for(req) := (({sprintf("%s are %s", [lib.eccns_text([c]), m]) |
	some c in classes(req)
	m := ineligible(aca, c)
} | {msg |
	req.kind == "destination"
	dest.macau_d5
	msg := sprintf("destination %s is Macau or in D:5: ACA does not cover it (NAC may)", [place.text(dest)])
}) | {msg |
	req.kind == "headquarters"
	msg := sprintf("a party headquartered in %s: ACA does not cover such parties (NAC may)", [place.text(place.at(req.headquarters))])
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
claims contains r if {
	claimed == "ACA"
	count(reqs) > 0
	problems := aca_order_problems | {m | some req in reqs; some m in aca_problems_for(req)}
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
claims contains r if {
	claimed == "license"
	count(reqs) > 0
	r := license_reason(rego.metadata.rule())
}

license_reason(meta) := lib.reason(meta, "allow", sprintf("a license is on file for: %s", [concat(", ", sort({q.rule | some q in reqs; q.kind in license_kinds}))]), "", {}) if {
	license_on_file
} else := lib.reason(meta, "deny", "a license is claimed but no license number is given", "", {})

# METADATA
# title: Authorization not needed
# description: A license or License Exception is claimed but no license requirement applies
# custom:
#   id: EAR-AUTHORIZATION-NOT-NEEDED
#   citation: "15 CFR 740.8; 15 CFR 750.7"
claims contains r if {
	claimed != ""
	count(reqs) == 0
	not listed_party
	r := lib.reason(rego.metadata.rule(), "allow", sprintf("%s claimed, but no license requirement applies to this order", [claimed]), "", {})
}

# A party matched a list that restricts exports strongly enough to count as
# the listed party (an Entity List party needs a license for any item,
# 15 CFR 744.11): "no license needed" would be wrong whatever the items.
listed_party if {
	some s in object.get(input, "screening", [])
	s.rule in {"SCREEN-EL", "SCREEN-SDN", "SCREEN-DPL", "SCREEN-UVL", "SCREEN-MEU"}
}

# METADATA
# title: No license required
# description: No license requirement applies to the order
# custom:
#   id: NO-LICENSE-REQUIRED
#   citation: "15 CFR 742.6(a)(6); 15 CFR 744"
clearance contains r if {
	count(reqs) == 0
	every c in input.items { c.eccn != "unknown" }
	not listed_party
	r := lib.reason(rego.metadata.rule(), "allow", no_license_text, "", {})
}

no_license_text := sprintf("no export license required: shipment from %s to %s is not an export", [input.ship_from, input.destination]) if {
	lib.domestic(input.ship_from, input.destination)
} else := sprintf("no license required: %s; destination %s", [concat(", ", sort({c.eccn | some c in input.items})), place.text(dest)])
