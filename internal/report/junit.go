package report

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// JUnit XML as CI servers read it (the Jenkins/Ant schema): one test suite
// per input file, one test case per record. A record whose decision
// reaches --fail-on is a failure (type deny or review), one that could not
// be judged and every input problem an error; the rest pass, with their
// reasons as system-out.

// JUnitSuites is the document (exported for tests and readers).
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is the test cases of one input file.
type JUnitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []JUnitCase `xml:"testcase"`
}

// JUnitCase is one record, or one input problem.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *JUnitFailure `xml:"failure"`
	Error     *JUnitFailure `xml:"error"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// JUnitFailure is a failure or an error: its type (the decision, or the
// rule id of an error), a one-line message and the whole text.
type JUnitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

type junitOutput struct {
	w     *writer
	meta  Meta
	doc   JUnitSuites
	suite map[string]int // file -> index in doc.Suites
}

func (j *junitOutput) Put(v any) error {
	d, p, ok := asDecision(v)
	if !ok {
		return notDecision(JUnit, v)
	}
	var c JUnitCase
	var file string
	if p != nil {
		file = p.File
		c = JUnitCase{Name: fmt.Sprintf("input problem at line %d", p.Line), File: p.File, Line: p.Line,
			Error: &JUnitFailure{Type: ProblemRule, Message: p.Text(), Text: p.String()}}
	} else {
		file = d.Source.File
		c = JUnitCase{Name: d.ID, File: file, Line: d.Source.Line}
		text := strings.Join(whyText(d), "\n")
		first := ""
		if fs := findings(d); len(fs) > 0 {
			first = reasonLine(fs[0])
		}
		switch {
		case d.Failed():
			c.Error = &JUnitFailure{Type: decision.EvalErrorRule, Message: first, Text: text}
		case fails(d.Decision, failOnLevel(j.meta)):
			c.Failure = &JUnitFailure{Type: d.Decision, Message: first, Text: text}
		default:
			c.SystemOut = d.Decision + "\n" + text
		}
	}
	c.Classname = "chipcheck." + file
	if j.suite == nil {
		j.suite = map[string]int{}
	}
	i, ok := j.suite[file]
	if !ok {
		i = len(j.doc.Suites)
		j.suite[file] = i
		j.doc.Suites = append(j.doc.Suites, JUnitSuite{Name: file})
	}
	s := &j.doc.Suites[i]
	s.Cases = append(s.Cases, c)
	s.Tests++
	j.doc.Tests++
	switch {
	case c.Error != nil:
		s.Errors++
		j.doc.Errors++
	case c.Failure != nil:
		s.Failures++
		j.doc.Failures++
	}
	return nil
}

func (j *junitOutput) Close() error {
	j.doc.Name = "chipcheck"
	b, err := xml.MarshalIndent(j.doc, "", "  ")
	if err != nil {
		return err
	}
	j.w.WriteString(xml.Header)
	j.w.Write(b)
	j.w.WriteString("\n")
	return j.w.flush()
}
