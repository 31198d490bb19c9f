# METADATA
# title: Screening stage
# description: |
#   Restricted-party hits found by the Go matcher (internal/screen) become
#   reasons. A strong hit (score at or above deny_threshold) on a list that
#   restricts exports takes that list's outcome under its own rule id; a
#   weaker hit on such a list, or any hit on a list that does not restrict
#   exports (CMIC, SSI, ...), goes to review. Thresholds and list facts are
#   in data.rules.screening.
#
#   input: {hit: {party, list, list_name, entry, entry_id, matched, score,
#                 countries, explanation, license_requirement, license_policy,
#                 federal_register},
#           license: {type, numbered}}   (as in data.chipcheck.destination)
#   or, once per order: {screened: false} when no lists were loaded;
#   {no_party: true} when the order names no party;
#   {no_name: {party: role}} for each party whose name holds nothing to
#   screen; and, when lists.max_age_days is set,
#   {lists: [{id, name, snapshot, age_days}], max_age_days}.
#   A hit's reason is about the hit's party (the engine adds its name) and,
#   when the order claims one, the license.
package chipcheck.screening

import data.chipcheck.lib

cfg := data.rules.screening

hit := input.hit

license_on_file if {
	input.license.type == "license"
	input.license.numbered == true
}

# A hit (anything with list and score) strong enough to count as the listed
# party, on a list that itself restricts exports.
strong(h) if {
	h.score >= cfg.deny_threshold
	cfg.lists[h.list].restricts == true
}

# The lists with a rule of their own below; a strong hit on another list
# that restricts exports is a possible match.
own_rule := {"EL", "SDN", "DPL", "UVL", "MEU"}

# The reason of the hit, about its party and any claimed license.
about(r) := object.union(r, {"about": {"license": object.get(input.license, "type", "") != ""}})

# A license on file may authorize an export to an Entity List or MEU party;
# a reviewer must confirm it names this party.
outcome(code) := "review" if {
	code in {"EL", "MEU"}
	license_on_file
} else := cfg.lists[code].outcome

message(what) := sprintf("the %s matches %s entry %q (id %s; matched %q, score %s)%s%s: %s", [
	hit.party, hit.list_name, hit.entry, hit.entry_id, hit.matched, lib.fixed3(hit.score),
	detail("license requirement", hit.license_requirement),
	detail("license policy", hit.license_policy),
	what,
])

detail(label, v) := sprintf("; %s: %s", [label, v]) if v != ""

else := ""

listed(code, meta) := about(lib.reason(meta, outcome(code), message(what), cfg.lists[code].citation, {"list": code, "entry_id": hit.entry_id, "score": hit.score})) if {
	hit.list == code
	strong(hit)
	what := license_text(code)
}

license_text(code) := "a license is on file: confirm it authorizes exports to this listed party" if outcome(code) == "review"

else := "a strong match on a list that restricts exports"

# METADATA
# title: Entity List
# description: A strong match on the Entity List (license required for all items subject to the EAR, usually presumption of denial)
# custom:
#   id: SCREEN-EL
#   citation: "15 CFR 744.11; Supp. 4 to Part 744"
reasons contains listed("EL", rego.metadata.rule())

# METADATA
# title: Specially Designated Nationals (OFAC)
# description: "A strong match on OFAC's SDN list (blocked: no dealings without OFAC authorization)"
# custom:
#   id: SCREEN-SDN
#   citation: "31 CFR Chapter V (OFAC)"
reasons contains listed("SDN", rego.metadata.rule())

# METADATA
# title: Denied Persons List
# description: A strong match on the Denied Persons List (export privileges denied)
# custom:
#   id: SCREEN-DPL
#   citation: "15 CFR 764.3(a)(2)"
reasons contains listed("DPL", rego.metadata.rule())

# METADATA
# title: Unverified List
# description: A strong match on the Unverified List (no License Exceptions; UVL statement required)
# custom:
#   id: SCREEN-UVL
#   citation: "15 CFR 744.15"
reasons contains listed("UVL", rego.metadata.rule())

# METADATA
# title: Military End-User List
# description: A strong match on the MEU list (license required for Supp. 2 to Part 744 items)
# custom:
#   id: SCREEN-MEU
#   citation: "15 CFR 744.21; Supp. No. 7 to Part 744"
reasons contains listed("MEU", rego.metadata.rule())

# METADATA
# title: Possible restricted-party match
# description: A weaker match on a list that restricts exports, or any match on another list, must be cleared by a reviewer
# custom:
#   id: SCREEN-POSSIBLE-MATCH
#   citation: "15 CFR Part 732, Supp. 3 (party similar to a listed entry); 15 CFR 744.11"
reasons contains r if {
	hit.score >= cfg.review_threshold
	not listed_hit
	spec := object.get(cfg.lists, hit.list, {"restricts": false, "outcome": "review", "citation": ""})
	what := possible_text(spec)
	r := about(lib.reason(rego.metadata.rule(), "review", message(what), spec.citation, {"list": hit.list, "entry_id": hit.entry_id, "score": hit.score}))
}

# The hit takes its list's own rule.
listed_hit if {
	strong(hit)
	hit.list in own_rule
}

possible_text(spec) := "a strong match on a list that restricts exports but has no rule of its own here: a reviewer must confirm it" if {
	strong(hit)
} else := sprintf("below the %s needed to treat it as the listed party: a reviewer must clear or confirm it", [lib.fixed3(cfg.deny_threshold)]) if {
	spec.restricts == true
} else := "this list does not itself restrict the export, but the match must be reviewed"

# METADATA
# title: Screening not run
# description: No restricted-party lists were loaded, so the parties were not screened
# custom:
#   id: SCREEN-NOT-RUN
#   citation: "15 CFR Part 732, Supp. 3; 15 CFR 744.11"
reasons contains r if {
	input.screened == false
	r := lib.reason(rego.metadata.rule(), "review", "restricted-party screening was not run (no lists loaded: use --lists DIR); the parties have not been checked", "", {})
}

# METADATA
# title: Party without a screenable name
# description: A party whose name is blank or holds no letter or digit cannot be screened; a reviewer must identify it
# custom:
#   id: SCREEN-NO-NAME
#   citation: "15 CFR Part 732, Supp. 3; 15 CFR 744.11"
reasons contains r if {
	role := input.no_name.party
	r := lib.reason(
		rego.metadata.rule(), "review",
		sprintf("the %s has no name that can be screened (blank, only punctuation, or only a legal form such as GmbH): identify the party and screen it before shipping", [role]),
		"", {},
	)
}

# METADATA
# title: Restricted-party list too old
# description: A list the parties were screened against is older than the maximum age set (lists.max_age_days), or of unknown age
# custom:
#   id: SCREEN-LIST-STALE
#   citation: "15 CFR Part 732, Supp. 3; 15 CFR 744.11"
reasons contains r if {
	some l in input.lists
	stale(l)
	r := lib.reason(rego.metadata.rule(), "review", stale_text(l), "", {"list": l.id, "snapshot": l.snapshot, "age_days": l.age_days})
}

# A list older than lists.max_age_days, or of unknown age (-1).
stale(l) if l.age_days > input.max_age_days

stale(l) if l.age_days < 0

stale_text(l) := sprintf("the %s snapshot date is unknown, so its age cannot be checked against lists.max_age_days (%v days): update the lists (chipcheck lists update) and screen again", [l.name, input.max_age_days]) if {
	l.age_days < 0
} else := sprintf("the parties were screened against the %s snapshot of %s, %v days old, older than the %v days allowed (lists.max_age_days): update the lists (chipcheck lists update) and screen again", [l.name, l.snapshot, l.age_days, input.max_age_days])

# METADATA
# title: Order without a party
# description: An order that names no buyer, consignee, end user or intermediate has no one to screen or to check the headquarters of
# custom:
#   id: SCREEN-NO-PARTY
#   citation: "15 CFR Part 732, Supp. 3; 15 CFR 744.11"
reasons contains r if {
	input.no_party == true
	r := lib.reason(rego.metadata.rule(), "review", "the order names no party (buyer, consignee, end user or intermediate): there is no one to screen or to check the headquarters of", "", {})
}
