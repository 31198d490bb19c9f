package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// reasonDocs are the rule names whose values are reasons, or requirements
// whose reasons carry their id: every rule that contributes to one must
// say, in its METADATA, which rule id it emits.
var reasonDocs = map[string]bool{"reasons": true, "requirements": true}

// ruleIndex collects, through the compiler's annotation set, the METADATA of
// every rule that carries a custom.id, and checks that each is complete and
// unique and that every rule contributing reasons carries one.
func ruleIndex(c *ast.Compiler) ([]Rule, error) {
	as := c.GetAnnotationSet()
	var out []Rule
	var problems []string
	seen := map[string]Rule{}
	for _, name := range sortedKeys(c.Modules) {
		for _, r := range c.Modules[name].Rules {
			a := ruleAnnotation(as, r)
			head := r.Head.Name.String()
			if len(r.Head.Reference) > 0 {
				head = r.Head.Reference[0].String()
			}
			if a == nil || a.Custom["id"] == nil {
				if reasonDocs[head] {
					problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no METADATA custom.id", name, r.Location.Row, head))
				}
				continue
			}
			id, _ := a.Custom["id"].(string)
			cit, _ := a.Custom["citation"].(string)
			rule := Rule{ID: id, Title: a.Title, Description: a.Description, Citation: cit, File: name, Line: r.Location.Row}
			if rule.Description == "" {
				rule.Description = a.Title
			}
			switch {
			case id == "":
				problems = append(problems, fmt.Sprintf("%s:%d: custom.id must be a non-empty string", name, r.Location.Row))
			case cit == "":
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no custom.citation", name, r.Location.Row, id))
			case rule.Description == "":
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no description", name, r.Location.Row, id))
			}
			if prev, dup := seen[id]; dup {
				problems = append(problems, fmt.Sprintf("%s:%d: rule id %s is already used at %s:%d", name, r.Location.Row, id, prev.File, prev.Line))
				continue
			}
			seen[id] = rule
			out = append(out, rule)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("policy metadata:\n  %s", strings.Join(problems, "\n  "))
	}
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// ruleAnnotation is the rule-scope METADATA block right above r, if any.
func ruleAnnotation(as *ast.AnnotationSet, r *ast.Rule) *ast.Annotations {
	for _, a := range as.GetRuleScope(r) {
		return a
	}
	return nil
}
