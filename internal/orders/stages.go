package orders

import (
	"fmt"

	"github.com/chipcheck/chipcheck/internal/engine"
)

// An order is judged in stages (policies/README.md): each stage is one Rego
// package whose `reasons` see a small, name-free projection of the order.
// A stage's result depends only on its projection, so each distinct
// projection is evaluated once (the engine caches it under a key that
// encodes exactly the projection) and an order book costs a few cache
// look-ups per order instead of a full policy evaluation.

// Queries every order and chip decision uses, by name.
const (
	queryClassify = "classify" // one chip or assembly on a date
	queryLine     = "item"     // an order line's classification and item judgments
	queryPlace    = "place"    // one country's facts on a date
	queryAuthView = "view"     // the item view the authorization judgments read, for a claim
)

// What a stage's projection holds, beside the item classes of its view.
type field uint16

const (
	fDate         field = 1 << iota // date: the representative of the order date
	fPlace                          // destination, ship_from, destination_region (and places: their facts)
	fLicense                        // license: {type, numbered, notified, notice_days}
	fClaim                          // license: {type, numbered}
	fKinds                          // kinds: the kinds of every requirement found
	fHeadquarters                   // headquarters: one country (per-headquarters stages)
	fParties                        // parties: [{role, parent, headquarters}], every party and parent with one
	fEndUse                         // end_use: [codes]
	fEndUser                        // end_user: {country}
	fExporter                       // exporter: {known, letters}: whether an exporter is known, and the letters addressed to it
	fRequirements                   // requirements: every requirement found, with its items
	fHits                           // hits: [{list, score}]
	fRedFlags                       // red_flags: [codes]
	fConsignee                      // consignee: {country}
	fLast         = fConsignee
)

// How often a stage runs for one order.
type per uint8

const (
	perOrder        per = iota
	perHeadquarters     // once per country where a party or ultimate parent is headquartered
	perLine             // input {end_use, item}: one line's view
	perHit              // input {hit, license}: one restricted-party hit, or {screened: false}
)

// When a stage runs.
type when uint8

const (
	always  when = iota
	claimed      // the order claims an authorization, or no license is required
)

// stage is one row of the stage table.
type stage struct {
	name   string // the query name and the Rego package under data.chipcheck
	view   string // the item view it sees ("" for none)
	fields field
	per    per
	when   when
	// requirements: a license-requirement stage, in two steps (see
	// data.chipcheck.authorization): `requirements` on its projection,
	// then `requirement_reasons` for each requirement, on the
	// requirement and the authorization projection (reasonFields).
	requirements bool
}

// reasonFields is what the second step of a license-requirement stage
// sees, beside the requirement and its items in the authorization view.
const reasonFields = fDate | fPlace | fLicense | fKinds

// stages is the stage table, in the order an order runs them: the
// requirement stages first (every one's first step, then every one's
// second, which sees the kinds of all requirements), then the
// authorization stage, which sees the requirements themselves.
var stages = []*stage{
	{name: "destination", view: viewDestination, fields: fDate | fPlace, requirements: true},
	{name: "party", view: viewParty, per: perHeadquarters, fields: fDate | fPlace | fHeadquarters, requirements: true},
	{name: "end_use", fields: fDate | fPlace | fEndUse | fEndUser, requirements: true},
	{name: "embargo", fields: fDate | fPlace | fEndUser | fConsignee, requirements: true},
	{name: "letters", view: viewLetters, fields: fDate | fPlace | fParties | fExporter, requirements: true},
	{name: "authorization", view: viewAuthorization, when: claimed, fields: fDate | fPlace | fLicense | fRequirements | fHits},
	{name: "register", when: claimed, fields: fPlace | fLicense},
	{name: "screening", per: perHit},
	{name: "line", view: viewLine, per: perLine},
	{name: "flags", fields: fRedFlags},
}

// Queries are the queries an Evaluator prepares for this domain.
func Queries() []engine.Query {
	qs := []engine.Query{
		{Name: queryClassify, Text: "data.chipcheck.classify.result"},
		{Name: queryLine, Text: "data.chipcheck.item.line"},
		{Name: queryPlace, Text: "data.chipcheck.place.facts"},
		{Name: queryAuthView, Text: "data.chipcheck.authorization.view"},
	}
	for _, st := range stages {
		text := fmt.Sprintf("[r | some r in %s]", st.doc("reasons"))
		if st.requirements {
			text = fmt.Sprintf(`{"requirements": [r | some r in %s], "reasons": [r | some r in %s]}`, st.doc("requirements"), st.doc("reasons"))
			qs = append(qs, engine.Query{Name: st.reasonQuery(), Text: fmt.Sprintf("[r | some r in %s]", st.doc("requirement_reasons"))})
		}
		qs = append(qs, engine.Query{Name: st.name, Text: text})
	}
	return qs
}

// doc is a document of the stage's package.
func (st *stage) doc(name string) string { return Package + "." + st.name + "." + name }

// Package is where the order and chip policies live: the engine's cache
// intervals follow the dates of the rule data these packages read
// (policy.Options.DatesFrom).
const Package = "data.chipcheck"

// reasonQuery names the second step of a license-requirement stage.
func (st *stage) reasonQuery() string { return st.name + ".requirement_reasons" }

// documents lists every document the queries read, which the policy must
// define: a missing stage would silently judge nothing. (A requirement
// stage need not give reasons of its own.)
func documents() []string {
	out := []string{"data.chipcheck.classify.result", "data.chipcheck.item.line", "data.chipcheck.place.facts", "data.chipcheck.authorization.view"}
	for _, st := range stages {
		if st.requirements {
			out = append(out, st.doc("requirements"), st.doc("requirement_reasons"))
		} else {
			out = append(out, st.doc("reasons"))
		}
	}
	return out
}

func stageNamed(name string) *stage {
	for _, st := range stages {
		if st.name == name {
			return st
		}
	}
	panic("orders: no stage " + name)
}
