package rules

import "slices"

// --- networks.yaml -------------------------------------------------------------

// Networks is rules/networks.yaml: how account_activity records are linked
// into clusters (Linkage, read by internal/networks) and the thresholds
// the network policies judge them by (Judgment, read by Rego as
// data.rules.networks.judgment).
type Networks struct {
	Linkage   NetworkLinkage    `yaml:"linkage" rules:"required"`
	Judgment  networkJudgment   `yaml:"judgment" rules:"required"`
	Citations map[string]string `yaml:"citations" rules:"required"`
}

// NetworkLinkage says which identifiers link accounts and how strongly.
type NetworkLinkage struct {
	Strong        []string       `yaml:"strong" rules:"required"`
	Weak          []string       `yaml:"weak" rules:"required"`
	StrongHub     int            `yaml:"strong_hub" rules:"required"`
	WeakHub       int            `yaml:"weak_hub" rules:"required"`
	WeakLinkScore float64        `yaml:"weak_link_score" rules:"required"`
	MinHash       NetworkMinHash `yaml:"minhash" rules:"required"`
	Burst         NetworkBurst   `yaml:"burst" rules:"required"`
}

// NetworkMinHash is the LSH banding of prompt_minhash signatures.
type NetworkMinHash struct {
	Bands      int     `yaml:"bands" rules:"required"`
	Rows       int     `yaml:"rows" rules:"required"`
	MinJaccard float64 `yaml:"min_jaccard" rules:"required"`
}

// NetworkBurst is how sign-up bursts are counted.
type NetworkBurst struct {
	WindowMinutes int      `yaml:"window_minutes" rules:"required"`
	Identifiers   []string `yaml:"identifiers" rules:"required"`
	Hub           int      `yaml:"hub" rules:"required"`
}

type networkJudgment struct {
	DeniedLinkDeny []string `yaml:"denied_link_deny" rules:"required"`
	StrongCluster  struct {
		MinSize      float64 `yaml:"min_size" rules:"required"`
		MinOrgs      float64 `yaml:"min_orgs" rules:"required"`
		PrioritySize float64 `yaml:"priority_size" rules:"required"`
	} `yaml:"strong_cluster" rules:"required"`
	PromptCluster struct {
		MinAccounts float64 `yaml:"min_accounts" rules:"required"`
		MinOrgs     float64 `yaml:"min_orgs" rules:"required"`
	} `yaml:"prompt_cluster" rules:"required"`
	ClusterBehaviour struct {
		MinSize               float64 `yaml:"min_size" rules:"required"`
		MinOrgs               float64 `yaml:"min_orgs" rules:"required"`
		CotElicitationShare   float64 `yaml:"cot_elicitation_share" rules:"required"`
		TemplateConcentration float64 `yaml:"template_concentration" rules:"required"`
	} `yaml:"cluster_behaviour" rules:"required"`
	ClusterVolume struct {
		MinOrgs            float64 `yaml:"min_orgs" rules:"required"`
		RequestsPerDay     float64 `yaml:"requests_per_day" rules:"required"`
		OutputTokensPerDay float64 `yaml:"output_tokens_per_day" rules:"required"`
	} `yaml:"cluster_volume" rules:"required"`
	Burst struct {
		MinOrganisations float64 `yaml:"min_organisations" rules:"required"`
	} `yaml:"burst" rules:"required"`
	AccountBehaviour struct {
		ReviewScore float64                  `yaml:"review_score" rules:"required"`
		Signals     map[string]networkSignal `yaml:"signals" rules:"required"`
	} `yaml:"account_behaviour" rules:"required"`
}

type networkSignal struct {
	Above float64 `yaml:"above" rules:"required"`
	Score float64 `yaml:"score" rules:"required"`
}

// What networks.yaml may name. The identifiers and usage shares are the
// fields of a kind: account_activity record (fixed by the model-access
// issue, docs/records.md); the citations are those the network policies
// read by name.
var (
	activityIdentifiers = []string{"payment_fingerprint", "device_id", "phone", "ip_prefix", "asn", "email_domain"}
	activityUsage       = []string{"cot_elicitation_share", "template_concentration", "single_turn_share", "new_model_share_48h"}
	networkCitations    = []string{"denied", "denied_link", "strong_cluster", "prompt_cluster", "cluster_behaviour", "cluster_volume", "burst", "account_behaviour", "clear"}
)

// Networks returns the network rules (rules/networks.yaml).
func (s *Set) Networks() Networks { return s.typed.Networks }

func (c *checker) networks() {
	if !c.have("networks") {
		return
	}
	n, p := c.r.Networks, "networks.linkage"
	seen := map[string]string{}
	for _, l := range []struct {
		name string
		ids  []string
	}{{"strong", n.Linkage.Strong}, {"weak", n.Linkage.Weak}} {
		for i, id := range l.ids {
			path := at(p+"."+l.name, i)
			switch {
			case !slices.Contains(activityIdentifiers, id):
				c.add(path, "unknown identifier %q (want one of %v)", id, activityIdentifiers)
			case seen[id] != "":
				c.add(path, "%s is already a %s identifier", id, seen[id])
			default:
				seen[id] = l.name
			}
		}
	}
	c.nonEmpty(p+".strong", len(n.Linkage.Strong), "strong identifier")
	c.positive(p+".strong_hub", float64(n.Linkage.StrongHub))
	c.positive(p+".weak_hub", float64(n.Linkage.WeakHub))
	c.positive(p+".weak_link_score", n.Linkage.WeakLinkScore)
	c.positive(p+".minhash.bands", float64(n.Linkage.MinHash.Bands))
	c.positive(p+".minhash.rows", float64(n.Linkage.MinHash.Rows))
	c.share(p+".minhash.min_jaccard", n.Linkage.MinHash.MinJaccard)
	if n.Linkage.MinHash.Bands*n.Linkage.MinHash.Rows > 1024 {
		c.add(p+".minhash", "bands x rows must be at most 1024, got %d", n.Linkage.MinHash.Bands*n.Linkage.MinHash.Rows)
	}
	c.positive(p+".burst.window_minutes", float64(n.Linkage.Burst.WindowMinutes))
	c.positive(p+".burst.hub", float64(n.Linkage.Burst.Hub))
	for i, id := range n.Linkage.Burst.Identifiers {
		if !slices.Contains(activityIdentifiers, id) {
			c.add(at(p+".burst.identifiers", i), "unknown identifier %q (want one of %v)", id, activityIdentifiers)
		}
	}
	j, p := n.Judgment, "networks.judgment"
	for i, id := range j.DeniedLinkDeny {
		if !slices.Contains(n.Linkage.Strong, id) {
			c.add(at(p+".denied_link_deny", i), "%q is not a strong identifier (linkage.strong)", id)
		}
	}
	for _, v := range []struct {
		path string
		v    float64
	}{
		{"strong_cluster.min_size", j.StrongCluster.MinSize}, {"strong_cluster.min_orgs", j.StrongCluster.MinOrgs},
		{"strong_cluster.priority_size", j.StrongCluster.PrioritySize},
		{"prompt_cluster.min_accounts", j.PromptCluster.MinAccounts}, {"prompt_cluster.min_orgs", j.PromptCluster.MinOrgs},
		{"cluster_behaviour.min_size", j.ClusterBehaviour.MinSize}, {"cluster_behaviour.min_orgs", j.ClusterBehaviour.MinOrgs},
		{"cluster_volume.min_orgs", j.ClusterVolume.MinOrgs}, {"cluster_volume.requests_per_day", j.ClusterVolume.RequestsPerDay},
		{"cluster_volume.output_tokens_per_day", j.ClusterVolume.OutputTokensPerDay},
		{"burst.min_organisations", j.Burst.MinOrganisations}, {"account_behaviour.review_score", j.AccountBehaviour.ReviewScore},
	} {
		c.positive(p+"."+v.path, v.v)
	}
	c.share(p+".cluster_behaviour.cot_elicitation_share", j.ClusterBehaviour.CotElicitationShare)
	c.share(p+".cluster_behaviour.template_concentration", j.ClusterBehaviour.TemplateConcentration)
	for _, name := range sorted(j.AccountBehaviour.Signals) {
		s, sp := j.AccountBehaviour.Signals[name], p+".account_behaviour.signals."+name
		if !slices.Contains(activityUsage, name) {
			c.add(sp, "unknown usage share %q (want one of %v)", name, activityUsage)
			continue
		}
		if s.Above < 0 || s.Above >= 1 {
			c.add(sp+".above", "must be in [0, 1), got %s", num(s.Above))
		}
		c.positive(sp+".score", s.Score)
	}
	for _, name := range networkCitations {
		if n.Citations[name] == "" {
			c.add("networks.citations."+name, "required: the network policies cite it")
		}
	}
}
