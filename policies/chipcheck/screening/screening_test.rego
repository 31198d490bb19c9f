# Unit tests of the screening stage (SCREEN-*) against the real
# rules/screening.yaml.
#
# Inputs are built as the engine builds them (internal/orders/decide.go
# runHits, assemble.go hitInput, project.go fClaim):
#   once per restricted-party hit:
#     {hit: {party, list, list_name, entry, entry_id, matched, score,
#            countries, explanation, license_requirement, license_policy,
#            federal_register},
#      license: {type, numbered}}   ({} when the order claims nothing)
#     party is the role of the party that matched ("buyer"), never its name
#   once per order when no lists were loaded: {screened: false}
# A hit's reason is about its party (the engine adds the name) and, when
# the order claims a license or License Exception, about the license too.
package chipcheck.screening

import data.chipcheck.lib

import data.chipcheck.fixtures as fx

deny_at := data.rules.screening.deny_threshold

review_at := data.rules.screening.review_threshold

# A hit as the matcher reports it.
match(list, score) := {
	"party": "buyer",
	"list": list,
	"list_name": object.get(data.rules.screening.lists, [list, "name"], "Some List"),
	"entry": "Acme Tech Co., Ltd.",
	"entry_id": "e-123",
	"matched": "ACME TECH CO LTD",
	"score": score,
	"countries": ["CN"],
	"explanation": "token coverage 1.00",
	"license_requirement": "For all items subject to the EAR",
	"license_policy": "Presumption of denial",
	"federal_register": "89 FR 12345",
}

# The claims as the stage sees them.
lic_ok := fx.claim(fx.lic_ok)

lic_no_number := fx.claim(fx.lic_no_number)

nac := fx.claim(fx.nac_ok)

aca := fx.claim(fx.aca_claim)

reasons_of(h, lic) := rs if {
	rs := reasons with input as {"hit": h, "license": lic}
}

# The one reason for a hit on list at score, with no license.
only_reason(list, score) := fx.only(reasons_of(match(list, score), {}))

# "the buyer matches <list name> entry ... score 0.95); license ...: "
head(list, score) := sprintf(
	"the buyer matches %s entry \"Acme Tech Co., Ltd.\" (id e-123; matched \"ACME TECH CO LTD\", score %s); license requirement: For all items subject to the EAR; license policy: Presumption of denial: ",
	[data.rules.screening.lists[list].name, lib.fixed3(score)],
)

strong_text := "a strong match on a list that restricts exports"

weak_text := "below the 0.950 needed to treat it as the listed party: a reviewer must clear or confirm it"

restricting := {"EL": "SCREEN-EL", "SDN": "SCREEN-SDN", "DPL": "SCREEN-DPL", "UVL": "SCREEN-UVL", "MEU": "SCREEN-MEU"}

test_thresholds_are_the_calibrated_ones if {
	deny_at == 0.95
	review_at == 0.81
}

test_restricting_list_at_deny_threshold_takes_its_rule if {
	every list, id in restricting {
		r := only_reason(list, deny_at)
		r.rule == id
		r.outcome == "deny"
		r.message == concat("", [head(list, deny_at), strong_text])
		r.citation == data.rules.screening.lists[list].citation
		r.facts == {"list": list, "entry_id": "e-123", "score": deny_at}
		r.about == {"license": false}
	}
}

test_restricting_list_exact_hit if {
	every list, id in restricting {
		r := only_reason(list, 1)
		r.rule == id
		r.outcome == "deny"
		r.facts.score == 1
	}
}

# An exact match scores 1.0, which reaches Rego as the integer 1: the
# message prints it with three decimals all the same (lib.fixed3).
test_exact_hit_message_shows_the_score if {
	every list, _ in restricting {
		contains(only_reason(list, 1).message, "score 1.000)")
	}
	contains(only_reason("CMIC", 1).message, "score 1.000)")
}

test_restricting_list_just_below_is_possible_match if {
	every list, _ in restricting {
		r := only_reason(list, 0.949)
		r.rule == "SCREEN-POSSIBLE-MATCH"
		r.outcome == "review"
		endswith(r.message, concat("", [": ", weak_text]))
		r.citation == data.rules.screening.lists[list].citation
		r.facts == {"list": list, "entry_id": "e-123", "score": 0.949}
	}
}

test_possible_match_message if {
	r := only_reason("EL", 0.9)
	r.message == concat("", [head("EL", 0.9), weak_text])
}

test_el_and_meu_with_a_numbered_license_go_to_review if {
	every list in ["EL", "MEU"] {
		r := fx.only(reasons_of(match(list, deny_at), lic_ok))
		r.rule == restricting[list]
		r.outcome == "review"
		r.message == concat("", [head(list, deny_at), "a license is on file: confirm it authorizes exports to this listed party"])
		r.facts == {"list": list, "entry_id": "e-123", "score": deny_at}
	}
}

test_el_license_must_be_a_numbered_license if {
	fx.only(reasons_of(match("EL", deny_at), lic_no_number)).outcome == "deny"
	fx.only(reasons_of(match("EL", deny_at), nac)).outcome == "deny"
	fx.only(reasons_of(match("MEU", deny_at), aca)).outcome == "deny"
}

test_a_license_does_not_clear_sdn_dpl_uvl if {
	every list in ["SDN", "DPL", "UVL"] {
		r := fx.only(reasons_of(match(list, deny_at), lic_ok))
		r.rule == restricting[list]
		r.outcome == "deny"
		endswith(r.message, strong_text)
	}
}

test_non_restricting_list_is_possible_match if {
	every list in ["CMIC", "SSI", "ISN", "DTC", "FSE", "PLC", "CAP", "MBS", "NS-MBS"] {
		r := only_reason(list, 1)
		r.rule == "SCREEN-POSSIBLE-MATCH"
		r.outcome == "review"
		endswith(r.message, ": this list does not itself restrict the export, but the match must be reviewed")
		r.citation == data.rules.screening.lists[list].citation
	}
	r := only_reason("CMIC", deny_at)
	startswith(r.message, "the buyer matches Non-SDN Chinese Military-Industrial Complex Companies List (OFAC) entry")
	r.facts == {"list": "CMIC", "entry_id": "e-123", "score": deny_at}
	r.citation == "E.O. 13959 as amended by E.O. 14032; 31 CFR Part 586"
}

test_review_threshold_edge if {
	only_reason("EL", review_at).rule == "SCREEN-POSSIBLE-MATCH"
	only_reason("CMIC", review_at).rule == "SCREEN-POSSIBLE-MATCH"
	count(reasons_of(match("EL", 0.8), {})) == 0
	count(reasons_of(match("CMIC", 0.8), {})) == 0
	count(reasons_of(match("XYZ", 0.8), {})) == 0
	count(reasons_of(match("EL", 0.8), lic_ok)) == 0
}

test_unknown_list_is_reviewed_never_allowed if {
	r := only_reason("XYZ", 0.99)
	r.rule == "SCREEN-POSSIBLE-MATCH"
	r.outcome == "review"
	r.message == "the buyer matches Some List entry \"Acme Tech Co., Ltd.\" (id e-123; matched \"ACME TECH CO LTD\", score 0.990); license requirement: For all items subject to the EAR; license policy: Presumption of denial: this list does not itself restrict the export, but the match must be reviewed"
	r.citation == "15 CFR Part 732, Supp. 3 (party similar to a listed entry); 15 CFR 744.11"
	r.facts == {"list": "XYZ", "entry_id": "e-123", "score": 0.99}
}

test_empty_license_details_are_left_out if {
	h := object.union(match("SDN", 0.99), {"license_requirement": "", "license_policy": ""})
	r := fx.only(reasons_of(h, {}))
	r.message == "the buyer matches Specially Designated Nationals and Blocked Persons (OFAC) entry \"Acme Tech Co., Ltd.\" (id e-123; matched \"ACME TECH CO LTD\", score 0.990): a strong match on a list that restricts exports"
	h2 := object.union(match("SDN", 0.99), {"license_policy": ""})
	contains(fx.only(reasons_of(h2, {})).message, "score 0.990); license requirement: For all items subject to the EAR: a strong")
}

test_screen_not_run if {
	rs := reasons with input as {"screened": false}
	r := fx.only(rs)
	r.rule == "SCREEN-NOT-RUN"
	r.outcome == "review"
	r.message == "restricted-party screening was not run (no lists loaded: use --lists DIR); the parties have not been checked"
	r.citation == "15 CFR Part 732, Supp. 3; 15 CFR 744.11"
	r.facts == {}
}

test_screened_orders_say_nothing_without_hits if {
	count(reasons) == 0 with input as {"screened": true}
	fx.no_rule(reasons_of(match("EL", 1), {}), "SCREEN-NOT-RUN")
}

# ---- strong(h): the hit counts as the listed party ---------------------------------

test_strong_needs_the_score_and_a_restricting_list if {
	every list, _ in restricting {
		strong({"list": list, "score": deny_at})
		strong({"list": list, "score": 1})
		not strong({"list": list, "score": 0.949})
	}
	not strong({"list": "CMIC", "score": 1})
	not strong({"list": "SSI", "score": 1})
	not strong({"list": "XYZ", "score": 1}) # a list screening.yaml does not name
}

test_strong_reads_only_list_and_score if {
	# the authorization stage passes hits as {list, score}
	strong(match("EL", 0.99))
	strong({"list": "EL", "score": 0.99})
}

test_own_rule_lists_are_the_restricting_ones if {
	own_rule == {list | some list, _ in restricting}
	every list in own_rule {
		data.rules.screening.lists[list].restricts == true
	}
}

# ---- about: the hit's party, and any claimed license -----------------------------------

test_about_license_only_with_a_claim if {
	every h in [match("EL", 1), match("EL", 0.9), match("CMIC", 1), match("XYZ", 0.9)] {
		fx.only(reasons_of(h, {})).about == {"license": false}
		every lic in [lic_ok, lic_no_number, nac, aca] {
			fx.only(reasons_of(h, lic)).about == {"license": true}
		}
	}
	about({"rule": "X"}) == {"rule": "X", "about": {"license": false}} with input as {"license": {}}
	about({"rule": "X"}) == {"rule": "X", "about": {"license": true}} with input as {"license": nac}
}

test_screen_reasons_name_no_license_number if {
	# the stage never sees the number; its messages do not ask for it
	every list, _ in restricting {
		not contains(fx.only(reasons_of(match(list, 1), lic_ok)).message, lib.license_number)
	}
}

# ---- a strong hit on a restricting list without a rule of its own ---------------------

new_lists := object.union(data.rules.screening.lists, {"NEW": {"name": "New Restricting List", "restricts": true, "outcome": "deny", "citation": "NEW CITATION"}})

test_strong_hit_without_own_rule_is_possible_match if {
	h := object.union(match("NEW", 0.97), {"list_name": "New Restricting List"})
	rs := reasons with input as {"hit": h, "license": {}}
		with data.rules.screening.lists as new_lists
	r := fx.only(rs)
	r == {
		"rule": "SCREEN-POSSIBLE-MATCH",
		"outcome": "review",
		"message": "the buyer matches New Restricting List entry \"Acme Tech Co., Ltd.\" (id e-123; matched \"ACME TECH CO LTD\", score 0.970); license requirement: For all items subject to the EAR; license policy: Presumption of denial: a strong match on a list that restricts exports but has no rule of its own here: a reviewer must confirm it",
		"citation": "NEW CITATION",
		"facts": {"list": "NEW", "entry_id": "e-123", "score": 0.97},
		"about": {"license": false},
	}
	strong(match("NEW", 0.97)) with data.rules.screening.lists as new_lists
}

test_weak_hit_without_own_rule_is_the_usual_possible_match if {
	rs := reasons with input as {"hit": match("NEW", 0.9), "license": lic_ok}
		with data.rules.screening.lists as new_lists
	r := fx.only(rs)
	r.rule == "SCREEN-POSSIBLE-MATCH"
	endswith(r.message, concat("", [": ", weak_text]))
	r.about == {"license": true}
}

# ---- parties with nothing to screen, and lists too old --------------------------

test_no_name_is_reviewed if {
	rs := reasons with input as {"no_name": {"party": "consignee"}}
	rs == {{
		"rule": "SCREEN-NO-NAME",
		"outcome": "review",
		"message": "the consignee has no name that can be screened (blank, only punctuation, or only a legal form such as GmbH): identify the party and screen it before shipping",
		"citation": "15 CFR Part 732, Supp. 3; 15 CFR 744.11",
		"facts": {},
	}}
}

stale_input(ages, max) := {
	"lists": [{"id": sprintf("l%d", [i]), "name": sprintf("List %d", [i]), "snapshot": "2026-01-01", "age_days": a} | some i, a in ages],
	"max_age_days": max,
}

test_list_older_than_the_maximum_is_reviewed if {
	rs := reasons with input as stale_input([31, 30, 5], 30)
	count(rs) == 1
	some r in rs
	r.rule == "SCREEN-LIST-STALE"
	r.outcome == "review"
	r.facts == {"list": "l0", "snapshot": "2026-01-01", "age_days": 31}
	r.message == "the parties were screened against the List 0 snapshot of 2026-01-01, 31 days old, older than the 30 days allowed (lists.max_age_days): update the lists (chipcheck lists update) and screen again"
}

test_list_of_unknown_age_is_reviewed if {
	rs := reasons with input as stale_input([-1], 30)
	some r in rs
	r.rule == "SCREEN-LIST-STALE"
	r.facts.age_days == -1
	startswith(r.message, "the List 0 snapshot date is unknown")
}

test_fresh_lists_say_nothing if {
	count(reasons) == 0 with input as stale_input([0, 30], 30)
}

test_no_party_is_reviewed if {
	rs := reasons with input as {"no_party": true}
	some r in rs
	r.rule == "SCREEN-NO-PARTY"
	r.outcome == "review"
	count(rs) == 1
}
