package report

import (
	"strconv"
	"strings"
)

// GitHub Actions workflow commands, one line per finding, streamed:
//
//	::error file=orders.yaml,line=12,title=EAR-742.6-DEST::SO-1: destination CN ...
//
// deny findings and input problems are errors, review findings warnings;
// allow decisions print nothing. Values are escaped as the runner reads
// them back: in the message % CR LF, in a property also : and ,.
type githubOutput struct{ w *writer }

func (g *githubOutput) Put(v any) error {
	d, p, ok := asDecision(v)
	if !ok {
		return notDecision(GitHub, v)
	}
	if p != nil {
		g.w.WriteString(Annotation("error", p.File, p.Line, ProblemRule, p.Text()))
		return g.w.err
	}
	for _, r := range findings(d) {
		title := r.Rule
		if lp := licencePolicy(r); lp != "" {
			title += " (" + lp + ")"
		}
		lv := level(r)
		if r.Waived != "" {
			lv, title = "notice", title+" (waived "+r.Waived+")"
		}
		g.w.WriteString(Annotation(lv, d.Source.File, d.Source.Line, title, d.ID+": "+r.Message+" ["+r.Citation+"]"))
	}
	return g.w.err
}

func (g *githubOutput) Close() error { return g.w.flush() }

// Annotation is one workflow command line ("::level file=F,line=L,title=T::msg\n");
// line 0 and empty file or title are left out.
func Annotation(level, file string, line int, title, msg string) string {
	var props []string
	if file != "" {
		props = append(props, "file="+escapeProperty(file))
	}
	if line > 0 {
		props = append(props, "line="+strconv.Itoa(line))
	}
	if title != "" {
		props = append(props, "title="+escapeProperty(title))
	}
	cmd := "::" + level
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + escapeData(msg) + "\n"
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a command's message, so that a record's text can
// neither end the line nor start another command.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a command's property value.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
