# Unit tests of the network stage against the real rules/networks.yaml.
# Tests give an account's facts with their values (base); staged makes of
# them the input internal/networks builds (Analysis.Facts, Facts.input):
# each measure true when above finds it over, no identities; and said
# writes into a message what Go writes for its tokens.
package access.network

# A lone, quiet account: nothing shared, nothing unusual.
base := {
	"status": "active",
	"usage": {"cot_elicitation_share": 0.02, "template_concentration": 0.2, "single_turn_share": 0.5, "new_model_share_48h": 0.1},
	"window_days": 1,
	"cluster": {
		"id": "", "size": 1, "distinct_orgs": 1, "requests_per_day": 30, "output_tokens_per_day": 45000,
		"mean_cot_elicitation_share": 0.02, "mean_template_concentration": 0.2,
		"created_within_window_max": 1, "denied_members": 0,
	},
	"strong": {"size": 1, "distinct_orgs": 1},
	"prompt": {"size": 1, "distinct_orgs": 1, "signature": true},
	"burst": {"organisations": 1, "identifier": "", "window_minutes": 60},
	"denied_links": [],
	"strong_hubs": [],
}

patched(patch) := object.union(base, patch)

# measures_of are an account's measures: [group, measure, value].
measures_of(raw) := array.concat(
	array.concat(
		[["usage", k, v] | some k, v in raw.usage],
		[["cluster_mean", k, v] | some k in ["cot_elicitation_share", "template_concentration"]; v := raw.cluster[sprintf("mean_%s", [k])]],
	),
	[["cluster_volume", k, raw.cluster[k]] | some k in ["requests_per_day", "output_tokens_per_day"]],
)

# above_one is what above says of one value of a measure.
above_one(g, k, v) := a[g][k] if a := above with input as {g: {k: [v]}}

else := []

is_above(g, k, v) := count(above_one(g, k, v)) > 0

staged(raw) := object.union(object.remove(raw, ["window_days", "usage", "cluster", "prompt", "denied_links"]), {
	"usage": {k: is_above("usage", k, v) | some k, v in raw.usage},
	"cluster": object.union(
		{k: raw.cluster[k] | some k in ["size", "distinct_orgs", "denied_members"]},
		object.union(
			{sprintf("mean_%s", [k]): is_above("cluster_mean", k, v) | some k in ["cot_elicitation_share", "template_concentration"]; v := raw.cluster[sprintf("mean_%s", [k])]},
			{k: is_above("cluster_volume", k, raw.cluster[k]) | some k in ["requests_per_day", "output_tokens_per_day"]},
		),
	),
	"prompt": object.remove(raw.prompt, ["signature"]),
	"denied_links": [object.remove(l, ["accounts"]) | some l in raw.denied_links],
})

said(msg, raw) := strings.replace_n(
	object.union({cluster_id: raw.cluster.id}, {shown(m[0], m[1]): a[0][1] |
		some m in measures_of(raw)
		a := above_one(m[0], m[1], m[2])
		count(a) > 0
	}),
	msg,
)

all_of(raw) := [object.union(r, {"message": said(r.message, raw)}) |
	some r in array.concat([r | some r in findings with input as staged(raw)], [r | some r in clear with input as staged(raw)])
]

rules_of(inp) := {r.rule | some r in all_of(inp)}

the(inp, id) := r if {
	rs := [r | some r in all_of(inp); r.rule == id]
	count(rs) == 1
	r := rs[0]
}

big_cluster(patch) := object.union(base.cluster, object.union({"id": "net-a", "size": 40, "distinct_orgs": 30}, patch))

test_quiet_account_is_clear if {
	rules_of(base) == {"NETWORK-CLEAR"}
	r := the(base, "NETWORK-CLEAR")
	r.outcome == "allow"
	r.message == "no linkage or behaviour threshold crossed: cluster of 1 account(s), 1 declared organisation(s)"
	r.citation == data.rules.networks.citations.clear
}

test_denied_account_stays_denied if {
	inp := patched({"status": "denied"})
	rules_of(inp) == {"NETWORK-ACCOUNT-DENIED"}
	the(inp, "NETWORK-ACCOUNT-DENIED").outcome == "deny"
}

test_denied_link_payment_denies if {
	inp := patched({"denied_links": [{"identifier": "payment_fingerprint", "count": 1, "accounts": ["a9"]}]})
	r := the(inp, "NETWORK-DENIED-LINK")
	r.outcome == "deny"
	"links" in r.about
	"denied_links" in r.about
	r.message == "shares payment_fingerprint with 1 denied account(s): the same strong identifier as a denied account is a deny"
	not "NETWORK-CLEAR" in rules_of(inp)
}

test_denied_link_device_reviews if {
	inp := patched({"denied_links": [{"identifier": "device_id", "count": 2, "accounts": ["a8", "a9"]}]})
	r := the(inp, "NETWORK-DENIED-LINK")
	r.outcome == "review"
	contains(r.message, "shares device_id with 2 denied account(s)")
}

test_denied_link_both_denies if {
	inp := patched({"denied_links": [
		{"identifier": "device_id", "count": 1, "accounts": ["a8"]},
		{"identifier": "payment_fingerprint", "count": 1, "accounts": ["a9"]},
	]})
	the(inp, "NETWORK-DENIED-LINK").outcome == "deny"
	startswith(the(inp, "NETWORK-DENIED-LINK").message, "shares device_id, payment_fingerprint with 2 denied")
}

test_denied_cluster_reviews_only_without_direct_link if {
	inp := patched({"cluster": object.union(base.cluster, {"id": "net-a", "size": 3, "distinct_orgs": 3, "denied_members": 1})})
	r := the(inp, "NETWORK-DENIED-CLUSTER")
	r.outcome == "review"
	r.message == "its cluster net-a of 3 accounts holds 1 denied account(s)"
	linked := object.union(inp, {"denied_links": [{"identifier": "phone", "count": 1, "accounts": ["a9"]}]})
	not "NETWORK-DENIED-CLUSTER" in rules_of(linked)
}

test_strong_cluster_thresholds if {
	j := data.rules.networks.judgment.strong_cluster
	at := patched({"strong": {"size": j.min_size, "distinct_orgs": j.min_orgs}})
	r := the(at, "NETWORK-STRONG-CLUSTER")
	r.outcome == "review"
	r.facts.priority == false
	not contains(r.message, "priority")

	# One organisation's corporate card shared by many seats is no network.
	not "NETWORK-STRONG-CLUSTER" in rules_of(patched({"strong": {"size": 60, "distinct_orgs": 1}}))
	not "NETWORK-STRONG-CLUSTER" in rules_of(patched({"strong": {"size": j.min_size - 1, "distinct_orgs": j.min_orgs}}))
	not "NETWORK-STRONG-CLUSTER" in rules_of(patched({"strong": {"size": j.min_size, "distinct_orgs": j.min_orgs - 1}}))
	big := the(patched({"strong": {"size": j.priority_size, "distinct_orgs": j.priority_size}}), "NETWORK-STRONG-CLUSTER")
	big.facts.priority == true
	endswith(big.message, "; priority review")
}

test_prompt_cluster_thresholds if {
	j := data.rules.networks.judgment.prompt_cluster
	r := the(patched({"prompt": {"size": j.min_accounts, "distinct_orgs": j.min_orgs, "signature": true}}), "NETWORK-PROMPT-CLUSTER")
	r.outcome == "review"
	r.facts.prompt == {"size": j.min_accounts, "distinct_orgs": j.min_orgs}
	not "NETWORK-PROMPT-CLUSTER" in rules_of(patched({"prompt": {"size": j.min_accounts - 1, "distinct_orgs": j.min_orgs, "signature": true}}))
	not "NETWORK-PROMPT-CLUSTER" in rules_of(patched({"prompt": {"size": 500, "distinct_orgs": 1, "signature": true}}))
}

test_cluster_behaviour_mean_shares if {
	cot := patched({"cluster": big_cluster({"mean_cot_elicitation_share": 0.31})})
	r := the(cot, "NETWORK-CLUSTER-BEHAVIOUR")
	r.outcome == "review"
	r.message == "its cluster net-a of 40 accounts (30 organisations): mean cot_elicitation_share 0.31 above 0.2"
	tpl := patched({"cluster": big_cluster({"mean_template_concentration": 0.7})})
	contains(the(tpl, "NETWORK-CLUSTER-BEHAVIOUR").message, "mean template_concentration 0.7 above 0.5")

	# At the threshold, or in a cluster of one organisation: nothing.
	not "NETWORK-CLUSTER-BEHAVIOUR" in rules_of(patched({"cluster": big_cluster({"mean_cot_elicitation_share": 0.2})}))
	not "NETWORK-CLUSTER-BEHAVIOUR" in rules_of(patched({"cluster": big_cluster({"distinct_orgs": 1, "mean_cot_elicitation_share": 0.9})}))

	# A cluster whose members gave no usage has no mean to judge.
	bare := patched({"cluster": object.remove(big_cluster({}), {"mean_cot_elicitation_share", "mean_template_concentration"})})
	not "NETWORK-CLUSTER-BEHAVIOUR" in rules_of(bare)
}

test_cluster_volume if {
	j := data.rules.networks.judgment.cluster_volume
	inp := patched({"cluster": big_cluster({"requests_per_day": j.requests_per_day + 1})})
	r := the(inp, "NETWORK-CLUSTER-VOLUME")
	r.outcome == "review"
	contains(r.message, sprintf("requests_per_day %v above %v", [j.requests_per_day + 1, j.requests_per_day]))
	tokens := patched({"cluster": big_cluster({"output_tokens_per_day": j.output_tokens_per_day * 2})})
	"NETWORK-CLUSTER-VOLUME" in rules_of(tokens)

	# One heavy organisation is not a network.
	not "NETWORK-CLUSTER-VOLUME" in rules_of(patched({"cluster": big_cluster({"distinct_orgs": 1, "requests_per_day": 1e9})}))
	not "NETWORK-CLUSTER-VOLUME" in rules_of(patched({"cluster": big_cluster({"requests_per_day": j.requests_per_day})}))
}

test_signup_burst if {
	j := data.rules.networks.judgment.burst
	inp := patched({"burst": {"organisations": j.min_organisations, "identifier": "ip_prefix", "window_minutes": 60}})
	r := the(inp, "NETWORK-SIGNUP-BURST")
	r.outcome == "review"
	r.message == sprintf("one of %d declared organisations sharing ip_prefix whose accounts were created within 60 minutes (at least %d is a burst)", [j.min_organisations, j.min_organisations])
	not "NETWORK-SIGNUP-BURST" in rules_of(patched({"burst": {"organisations": j.min_organisations - 1, "identifier": "asn", "window_minutes": 60}}))
}

test_account_behaviour_score if {
	harvest := patched({"usage": {"cot_elicitation_share": 0.4, "template_concentration": 0.8, "single_turn_share": 0.97, "new_model_share_48h": 0.5}})
	r := the(harvest, "NETWORK-ACCOUNT-BEHAVIOUR")
	r.outcome == "review"
	r.facts.score == 80
	startswith(r.message, "its own usage scores 80 (review at 60): ")

	# A researcher eliciting reasoning, alone, scores 30: no review.
	not "NETWORK-ACCOUNT-BEHAVIOUR" in rules_of(patched({"usage": {"cot_elicitation_share": 0.5}}))

	# An app: templated and single-turn, 35.
	not "NETWORK-ACCOUNT-BEHAVIOUR" in rules_of(patched({"usage": {"template_concentration": 0.9, "single_turn_share": 0.99}}))

	# Usage not given scores nothing.
	not "NETWORK-ACCOUNT-BEHAVIOUR" in rules_of(patched({"usage": {}}))
}

test_strong_hub_reviews if {
	inp := patched({"strong_hubs": [{"identifier": "payment_fingerprint", "accounts": 5000}]})
	r := the(inp, "NETWORK-STRONG-HUB")
	r.outcome == "review"
	r.message == "its payment_fingerprint is held by 5000 accounts, more than a strong identifier plausibly is"
}

# Behaviour alone never denies: every behavioural and cluster signal at
# once gives reviews only.
test_behaviour_never_denies if {
	inp := patched({
		"usage": {"cot_elicitation_share": 0.9, "template_concentration": 0.9, "single_turn_share": 1, "new_model_share_48h": 1},
		"cluster": big_cluster({"mean_cot_elicitation_share": 0.9, "requests_per_day": 1e9, "denied_members": 0}),
		"strong": {"size": 1000, "distinct_orgs": 1000},
		"prompt": {"size": 1000, "distinct_orgs": 1000, "signature": true},
		"burst": {"organisations": 500, "identifier": "asn", "window_minutes": 60},
	})
	count(rules_of(inp)) == 6
	every r in all_of(inp) {
		r.outcome == "review"
	}
}

test_every_citation_from_rules if {
	inp := patched({"status": "denied", "strong_hubs": [{"identifier": "phone", "accounts": 2000}]})
	every r in all_of(inp) {
		r.citation in {c | some c in data.rules.networks.citations}
	}
}

# above judges each value against its threshold once per batch: at the
# threshold is not above, and a value above is written as messages show it.
test_above_thresholds if {
	j := data.rules.networks.judgment
	a := above with input as {
		"usage": {"cot_elicitation_share": [0.1, j.account_behaviour.signals.cot_elicitation_share.above, 0.25]},
		"cluster_mean": {"template_concentration": [0.5004, 0.5006]},
		"cluster_volume": {"requests_per_day": [j.cluster_volume.requests_per_day, 20000.4, 20000.6]},
	}
	a.usage.cot_elicitation_share == [[2, "0.25"]]
	a.cluster_mean.template_concentration == [[0, "0.5"], [1, "0.501"]]
	a.cluster_volume.requests_per_day == [[1, "20000"], [2, "20001"]]

	# A measure the rules do not judge has nothing above.
	b := above with input as {"usage": {"unknown_share": [1]}}
	b.usage == {}
}

# The stage sees no identities and no values: accounts alike share one
# evaluation, their own values written by Go into the tokens.
test_stage_input_has_no_values if {
	inp := staged(patched({"cluster": big_cluster({"mean_cot_elicitation_share": 0.31})}))
	inp.cluster == {"size": 40, "distinct_orgs": 30, "denied_members": 0, "mean_cot_elicitation_share": true, "mean_template_concentration": false, "requests_per_day": false, "output_tokens_per_day": false}
	r := [r | some r in findings with input as inp; r.rule == "NETWORK-CLUSTER-BEHAVIOUR"][0]
	r.message == "its cluster {cluster.id} of 40 accounts (30 organisations): mean cot_elicitation_share {cluster_mean.cot_elicitation_share} above 0.2"
	r.about == ["cluster", "links"]
}
