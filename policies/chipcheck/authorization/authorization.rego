# METADATA
# title: Authorization
# description: |
#   Whether a license or License Exception authorizes what the order needs.
#
#   The license-requirement stages (destination, party, end_use, letters)
#   run in two steps. First their `requirements` say what needs a license,
#   each built with requirement below. Then, for each requirement found,
#   the stage's own `requirement_reasons` writes its reason with
#   requirement_reason below: allow when a license on file or License
#   Exception NAC/ACA (15 CFR 740.8) covers it, else deny with the review
#   policy a license application would meet. The second step sees the
#   claimed authorization and the kinds of all the order's requirements;
#   the first does not, so its results are shared by far more orders.
#
#   input of requirement_reasons:
#          {date, destination, ship_from, license, kinds,
#           requirement: <as built by requirement, plus items: [class ids]
#                         (the requirement's items in this view)>,
#           items: [{class, eccn, band, datacenter_a?}],
#           parties}   (the party stage's, see data.chipcheck.party)
#     license  {type, numbered, notified, notice_days} of the claimed
#              license or License Exception, {} when none is claimed
#              (numbered: a number is given; the number itself never is)
#     kinds    the kinds of all the order's requirements
#     items    the requirement's items: the view of data.chipcheck.item
#              that `view` below names
#
#   This package's own `reasons` judge the claim itself (EAR-740.8-NAC,
#   EAR-740.8-ACA, EAR-LICENSE-ON-FILE, EAR-AUTHORIZATION-NOT-NEEDED) and
#   say why no license is needed (NO-LICENSE-REQUIRED). The engine runs
#   them once per order that claims an authorization or has no
#   requirement, on
#          {date, destination, ship_from, license,
#           requirements: [{rule, kind, items, headquarters}],
#           hits: [{list, score}],   (the order's restricted-party hits)
#           items}                   (every item, "authorization" view)
#   (date as in data.chipcheck.destination)
package chipcheck.authorization

import data.chipcheck.lib
import data.chipcheck.place
import data.chipcheck.register
import data.chipcheck.screening

dest := place.at(input.destination)

# The view of data.chipcheck.item these judgments read, for the order's
# claim (input {license}): whether License Exceptions could cover an item
# matters only when one is claimed, and items that differ in nothing else
# share the cached results of orders that claim none.
view := "exceptions" if {
	object.get(input.license, "type", "") in object.keys(data.rules.exceptions)
} else := "authorization"

reqs := object.get(input, "requirements", [])

lic := object.get(input, "license", {})

claimed := object.get(lic, "type", "")

numbered := object.get(lic, "numbered", false)

# A license with a number that the license register, when one is
# configured, does not find wanting (data.chipcheck.register). With no
# register the license counts as on file, and the register stage reviews
# the order (LICENSE-NOT-VERIFIED).
license_on_file if {
	claimed == "license"
	numbered
	not register.invalid(object.get(lic, "register", {}))
}

# Requirement kinds a license can authorize, and those License Exceptions
# NAC/ACA can (740.8 covers the 742.6(a)(6) requirements only).
license_kinds := {"destination", "headquarters", "hbm", "end_use", "is_informed", "embargo"}

exception_kinds := {"destination", "headquarters"}

# The item classes a requirement is about.
classes(req) := [c | some c in input.items; c.class in req.items]

kinds := {r.kind | some r in reqs} | {k | some k in object.get(input, "kinds", [])}

hq_requirement if "headquarters" in kinds

# The license number, after an authorization that has one.
license_ref := sprintf(" (%s %s)", [claimed, lib.license_number]) if numbered

else := ""

# ---- requirements and their reasons --------------------------------------------

# A license requirement, as a requirement stage's rule finds it: meta is
# that rule's rego.metadata.rule(), kind what it is ("destination",
# "headquarters", "hbm", "end_use", "is_informed"), cs the item classes it
# is about (or "all"), citation the paragraph of the version in force,
# what the words saying what needs a license and why, facts the figures.
requirement(meta, kind, cs, citation, what, facts) := {
	"rule": meta.custom.id,
	"kind": kind,
	"classes": class_ids(cs),
	"citation": lib.cite(meta, citation),
	"what": what,
	"facts": facts,
}

class_ids(cs) := "all" if cs == "all"

else := lib.class_ids(cs)

# The reason of a requirement: the requirement's rule, what needs the
# license (what, written by the requirement's stage), then what authorizes
# the order or how a license application would be reviewed.
requirement_reason(req, what) := {
	"rule": req.rule,
	"outcome": st.outcome,
	"message": sprintf("%s; %s", [what, st.message]),
	"citation": req.citation,
	"facts": object.union(req.facts, st.facts),
	"about": {"classes": req.classes, "license": st.outcome != "deny"},
} if {
	st := status(req)
}

# The requirement's status: allow, and what authorizes it, or deny, and
# how a license application would be reviewed.
status(req) := {
	"outcome": covered_outcome(req),
	"message": sprintf("authorized by %s%s%s", [by, license_ref, covered_note(req)]),
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
	req.kind in exception_kinds
	count(nac_order_problems) == 0
	count(nac_problems_for(req)) == 0
} else := "License Exception ACA" if {
	claimed == "ACA"
	req.kind in exception_kinds
	count(aca_order_problems) == 0
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

# Why License Exception exc cannot cover an item class, if it cannot. No
# License Exception covers a datacenter 3A090.a item.
ineligible(exc, c) := sprintf("designed or marketed for datacenters (or contain such a 3A090.a IC), which %s never covers", [exc.code]) if {
	c.datacenter_a
} else := sprintf("not covered by %s", [exc.code]) if {
	not c.eccn in exc.items
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

nac_order_problems contains msg if {
	claimed == "NAC"
	notification_needed
	lic.notified
	lic.notice_days < nac.notice_days
	msg := sprintf("BIS was notified %v days before shipment (ship_date, else the order date); NAC needs at least %v", [lic.notice_days, nac.notice_days])
}

# Until ACA was split off (2024-04-04) NAC also covered D:1/D:4
# destinations outside Macau/D:5, and that leg needed no notification (so no
# NAC number); notification was for Macau/D:5 destinations and parties.
notification_needed if nac_nexus

notification_needed if input.date >= nac.covered_d1_d4_until

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
reasons contains r if {
	claimed == "NAC"
	count(reqs) > 0
	problems := nac_order_problems | {m | some req in reqs; some m in nac_problems_for(req)}
	r := exception_reason(rego.metadata.rule(), nac, problems, sprintf("BIS notified at least %v days before shipment", [nac.notice_days]))
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
	not in_country
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
# description: ACA authorizes D:1/D:4 destinations outside Macau/D:5, and in-country transfers within Macau/D:5, without notice, never for datacenter 3A090.a items
# custom:
#   id: EAR-740.8-ACA
#   citation: "15 CFR 740.8(b)"
reasons contains r if {
	claimed == "ACA"
	count(reqs) > 0
	problems := aca_order_problems | {m | some req in reqs; some m in aca_problems_for(req)}
	r := exception_reason(rego.metadata.rule(), aca, problems, "no notification needed")
}

# An in-country transfer: the items do not leave the destination. ACA
# covers such transfers within Macau and D:5 from its start (2024-04-04,
# 89 FR 23876: "ACA will also authorize transfers (in-country) to Macau and
# destinations in Country Group D:5"; CBP CSMS #61882672), where exports
# and reexports there need NAC. The same sentence goes on about entities
# headquartered there; its text was not found, so a headquarters
# requirement stays outside ACA (UNVERIFIED: the stricter reading).
in_country if {
	lib.country(input.ship_from) == lib.country(input.destination)
	not lib.domestic(input.ship_from, input.destination)
}

exception_reason(meta, exc, problems, detail) := claim_reason(lib.reason(
	meta, "allow",
	sprintf("License Exception %s applies (%s)%s", [exc.code, detail, license_ref]),
	exc.citation, {},
)) if {
	count(problems) == 0
} else := claim_reason(lib.reason(
	meta, "deny",
	sprintf("License Exception %s (%s) is claimed but does not apply: %s", [exc.code, exc.name, concat("; ", sort(problems))]),
	exc.citation, {"problems": sort(problems)},
))

# A reason about the claimed license or License Exception itself.
claim_reason(r) := object.union(r, {"about": {"license": true}})

# METADATA
# title: License on file
# description: A license with a number authorizes the license requirements it was claimed for
# custom:
#   id: EAR-LICENSE-ON-FILE
#   citation: "15 CFR 750.7"
reasons contains r if {
	claimed == "license"
	count(reqs) > 0
	r := claim_reason(license_reason(rego.metadata.rule()))
}

license_reason(meta) := lib.reason(meta, "allow", sprintf("a license is on file for: %s%s", [concat(", ", sort({q.rule | some q in reqs; q.kind in license_kinds})), license_ref]), "", {}) if {
	license_on_file
} else := lib.reason(meta, "deny", sprintf("license %s is claimed but the license register does not let it authorize this order (see the LICENSE-* reasons)", [lib.license_number]), "", {}) if {
	numbered
} else := lib.reason(meta, "deny", "a license is claimed but no license number is given", "", {})

# METADATA
# title: Authorization not needed
# description: A license or License Exception is claimed but no license requirement applies
# custom:
#   id: EAR-AUTHORIZATION-NOT-NEEDED
#   citation: "15 CFR 740.8; 15 CFR 750.7"
reasons contains r if {
	claimed != ""
	count(reqs) == 0
	not listed_party
	not embargo_region_unknown
	r := claim_reason(lib.reason(rego.metadata.rule(), "allow", sprintf("%s claimed, but no license requirement applies to this order%s", [claimed, license_ref]), "", {}))
}

# A party matched a list that restricts exports strongly enough to count as
# the listed party (an Entity List party needs a license for any item,
# 15 CFR 744.11): "no license needed" would be wrong whatever the items.
listed_party if {
	some h in object.get(input, "hits", [])
	screening.strong(h)
}

# METADATA
# title: No license required
# description: No license requirement applies to the order
# custom:
#   id: NO-LICENSE-REQUIRED
#   citation: "15 CFR 742.6(a)(6); 15 CFR 744; 15 CFR 746"
reasons contains r if {
	count(reqs) == 0
	every c in input.items {
		c.eccn != "unknown"
		not object.get(c, "incomplete", false)
	}
	not listed_party
	not embargo_region_unknown
	r := lib.reason(rego.metadata.rule(), "allow", no_license_text, "", {})
}

no_license_text := sprintf("no export license required: shipment from %s to %s is not an export", [input.ship_from, input.destination]) if {
	lib.domestic(input.ship_from, input.destination)
} else := sprintf("no license required: %s; destination %s; %s", [concat(", ", sort({c.eccn | some c in input.items})), place.text(dest), checked_text])
