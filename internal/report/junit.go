package report

import (
	"bytes"
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

// junitOutput writes each case's XML as it comes into a store and the
// document at Close, when the counts that head it are known: one stretch
// of the store per run of cases of one suite, so the suites come out
// whole however the cases arrived (input problems come last).
type junitOutput struct {
	w     *writer
	meta  Meta
	doc   JUnitSuites    // the counts; its suites hold no cases
	suite map[string]int // file -> index in doc.Suites
	cases store
	runs  []junitRun
	buf   bytes.Buffer
}

// junitRun is a stretch of the store that holds cases of one suite.
type junitRun struct {
	suite      int
	start, end int64
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
	// Indented as it stands in the document: a case is two levels down.
	j.buf.Reset()
	j.buf.WriteByte('\n')
	enc := xml.NewEncoder(&j.buf)
	enc.Indent("    ", "  ")
	if err := enc.EncodeElement(c, xml.StartElement{Name: xml.Name{Local: "testcase"}}); err != nil {
		return err
	}
	start := j.cases.size
	if _, err := j.cases.Write(j.buf.Bytes()); err != nil {
		return err
	}
	if n := len(j.runs); n > 0 && j.runs[n-1].suite == i {
		j.runs[n-1].end = j.cases.size
	} else {
		j.runs = append(j.runs, junitRun{suite: i, start: start, end: j.cases.size})
	}
	return nil
}

func (j *junitOutput) Close() error {
	defer j.cases.close()
	j.doc.Name = "chipcheck"
	j.w.WriteString(xml.Header)
	if len(j.doc.Suites) == 0 {
		b, err := xml.MarshalIndent(j.doc, "", "  ")
		if err != nil {
			return err
		}
		j.w.Write(b)
		j.w.WriteString("\n")
		return j.w.flush()
	}
	// The document's start and end tags, and each suite's, as encoding/xml
	// writes them, around the cases from the store.
	head := j.doc
	head.Suites = nil
	open, err := startTag(head, "testsuites")
	if err != nil {
		return err
	}
	j.w.WriteString(open)
	for i, s := range j.doc.Suites {
		tag, err := startTag(s, "testsuite")
		if err != nil {
			return err
		}
		j.w.WriteString("\n  " + tag)
		for _, r := range j.runs {
			if r.suite == i {
				if err := j.cases.copyTo(j.w, r.start, r.end); err != nil {
					return err
				}
			}
		}
		j.w.WriteString("\n  </testsuite>")
	}
	j.w.WriteString("\n</testsuites>\n")
	return j.w.flush()
}

// startTag is the start tag encoding/xml writes for v as element name (a
// JUnitSuites, or a JUnitSuite without cases): its encoding, up to the end
// tag.
func startTag(v any, name string) (string, error) {
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}}); err != nil {
		return "", err
	}
	b := buf.Bytes()
	end := bytes.LastIndex(b, []byte("</"))
	if end < 0 {
		return "", fmt.Errorf("junit: no end tag in %s", b)
	}
	return string(b[:end]), nil
}
