package report

import (
	"net/url"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (OASIS), as code-scanning services read it: one run, the
// tool's rules[] from the policies' METADATA (description and citation),
// one result per finding (every deny or review reason, and every input
// problem) at the record's file and line. testdata/sarif-2.1.0.json is the
// schema the tests validate against.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	toolURI      = "https://github.com/chipcheck/chipcheck"
)

// SARIFLog is the document (exported for tests and readers).
type SARIFLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []SARIFRun `json:"runs"`
}

// SARIFRun is chipcheck's one run.
type SARIFRun struct {
	Tool        SARIFTool         `json:"tool"`
	Results     []SARIFResult     `json:"results"`
	Invocations []SARIFInvocation `json:"invocations"`
}

// SARIFTool names chipcheck and its rules.
type SARIFTool struct {
	Driver SARIFDriver `json:"driver"`
}

// SARIFDriver is chipcheck itself.
type SARIFDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []SARIFRule `json:"rules"`
}

// SARIFRule is one policy rule: its id, description and citation.
type SARIFRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name,omitempty"`
	ShortDescription *SARIFMessage  `json:"shortDescription,omitempty"`
	FullDescription  *SARIFMessage  `json:"fullDescription,omitempty"`
	Help             *SARIFMessage  `json:"help,omitempty"`
	Properties       map[string]any `json:"properties,omitempty"`
}

// SARIFMessage is SARIF's message object (text only).
type SARIFMessage struct {
	Text string `json:"text"`
}

// SARIFResult is one finding.
type SARIFResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   SARIFMessage    `json:"message"`
	Locations []SARIFLocation `json:"locations"`
	// Suppressions mark a waived finding: still reported, not failing.
	Suppressions []SARIFSuppression `json:"suppressions,omitempty"`
	Properties   map[string]any     `json:"properties,omitempty"`
}

// SARIFSuppression is SARIF's suppression object; a waiver is external to
// the record.
type SARIFSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// SARIFLocation is a file and, when known, a line.
type SARIFLocation struct {
	PhysicalLocation SARIFPhysical `json:"physicalLocation"`
}

// SARIFPhysical is SARIF's physicalLocation.
type SARIFPhysical struct {
	ArtifactLocation SARIFArtifact `json:"artifactLocation"`
	Region           *SARIFRegion  `json:"region,omitempty"`
}

// SARIFArtifact is a file, as a URI reference.
type SARIFArtifact struct {
	URI string `json:"uri"`
}

// SARIFRegion is a line (1-based).
type SARIFRegion struct {
	StartLine int `json:"startLine"`
}

// SARIFInvocation says whether the run did its job (exit code 3 if not).
type SARIFInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

// sarifOutput encodes each result as it comes into a store; Close writes
// the log around them. The results come first in the run object (JSON
// objects have no order), so only the rules, whose number is bounded,
// are held until the end.
type sarifOutput struct {
	w       *writer
	meta    Meta
	rules   []SARIFRule
	index   map[string]int
	results store
	n       int // results stored
	buf     []byte
	failed  bool // an input problem or a record that could not be judged
}

func (s *sarifOutput) result(r SARIFResult) error {
	s.buf = s.buf[:0]
	if s.n > 0 {
		s.buf = append(s.buf, ',')
	}
	var err error
	if s.buf, err = Marshal(s.buf, r); err != nil {
		return err
	}
	s.n++
	_, err = s.results.Write(s.buf)
	return err
}

func (s *sarifOutput) rule(id string) int {
	if s.index == nil {
		s.index = map[string]int{}
		for _, r := range s.meta.Rules {
			s.add(SARIFRule{ID: r.ID, Name: r.Title,
				ShortDescription: &SARIFMessage{Text: firstSentence(r.Description)},
				FullDescription:  &SARIFMessage{Text: r.Description},
				Help:             &SARIFMessage{Text: r.Description + " (" + r.Citation + ")"},
				Properties:       map[string]any{"citation": r.Citation}})
		}
		s.add(SARIFRule{ID: ProblemRule, ShortDescription: &SARIFMessage{Text: problemDescription}, FullDescription: &SARIFMessage{Text: problemDescription}})
	}
	if i, ok := s.index[id]; ok {
		return i
	}
	// A reason whose rule the METADATA given does not list: still a rule,
	// so that ruleIndex is right.
	return s.add(SARIFRule{ID: id})
}

func (s *sarifOutput) add(r SARIFRule) int {
	s.index[r.ID] = len(s.rules)
	s.rules = append(s.rules, r)
	return len(s.rules) - 1
}

func (s *sarifOutput) Put(v any) error {
	d, p, ok := asDecision(v)
	if !ok {
		return notDecision(SARIF, v)
	}
	if p != nil {
		s.failed = true
		return s.result(SARIFResult{RuleID: ProblemRule, RuleIndex: s.rule(ProblemRule), Level: "error",
			Message:   SARIFMessage{Text: p.Text()},
			Locations: sarifLocation(p.File, p.Line)})
	}
	if d.Failed() {
		s.failed = true
	}
	for _, r := range findings(d) {
		props := map[string]any{"record": d.ID, "decision": d.Decision, "outcome": outcomeOf(r), "citation": r.Citation}
		if lp := licencePolicy(r); lp != "" {
			props["licence"] = lp
		}
		if len(r.Facts) > 0 {
			props["facts"] = r.Facts
		}
		res := SARIFResult{RuleID: r.Rule, RuleIndex: s.rule(r.Rule), Level: level(r),
			Message:    SARIFMessage{Text: d.ID + ": " + r.Message + " [" + r.Citation + "]"},
			Locations:  sarifLocation(d.Source.File, d.Source.Line),
			Properties: props}
		if r.Waived != "" {
			res.Suppressions = []SARIFSuppression{{Kind: "external", Status: "accepted", Justification: "waiver " + r.Waived}}
		}
		if err := s.result(res); err != nil {
			return err
		}
	}
	return nil
}

func (s *sarifOutput) Close() error {
	defer s.results.close()
	s.rule(ProblemRule) // rules[] is complete even for a run without findings
	b := append([]byte(`{"$schema":`), appendString(nil, sarifSchema)...)
	b = append(b, `,"version":`...)
	b = appendString(b, sarifVersion)
	b = append(b, `,"runs":[{"results":[`...)
	s.w.Write(b)
	if err := s.results.copyTo(s.w, 0, s.results.size); err != nil {
		return err
	}
	b, err := Marshal([]byte(`],"tool":`), SARIFTool{Driver: SARIFDriver{Name: "chipcheck", Version: s.meta.Version, InformationURI: toolURI, Rules: s.rules}})
	if err != nil {
		return err
	}
	b = append(b, `,"invocations":`...)
	if b, err = Marshal(b, []SARIFInvocation{{ExecutionSuccessful: !s.failed}}); err != nil {
		return err
	}
	s.w.Write(append(b, "}]}\n"...))
	return s.w.flush()
}

// sarifLocation is file and line as a SARIF location: a relative path as a
// relative URI reference (what code scanning resolves against the
// checkout), an absolute one as a file: URI; no region without a line.
func sarifLocation(file string, line int) []SARIFLocation {
	u := url.URL{Path: filepath.ToSlash(file)}
	if filepath.IsAbs(file) {
		u.Scheme = "file"
	}
	loc := SARIFLocation{PhysicalLocation: SARIFPhysical{ArtifactLocation: SARIFArtifact{URI: u.String()}}}
	if line > 0 {
		loc.PhysicalLocation.Region = &SARIFRegion{StartLine: line}
	}
	return []SARIFLocation{loc}
}

// firstSentence is s up to its first ". ", for a short description.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
