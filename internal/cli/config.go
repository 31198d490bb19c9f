package cli

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/chipcheck/chipcheck/internal/record"
)

// flagKeys maps a flag to its configuration key where the two differ.
var flagKeys = map[string]string{
	"lists": "lists.dir", "lists-only": "lists.only", "fail-on": "fail_on", "as-of": "as_of",
	"input-format": "input_format", "allow-empty": "allow_empty",
	"keep-going": "keep_going", "max-problems": "max_problems", "max-list-age": "lists.max_age_days",
	"memory-limit": "memory_limit",
}

// configKey is the configuration key of a flag.
func configKey(flag string) string {
	if k, ok := flagKeys[flag]; ok {
		return k
	}
	return flag
}

// configKeys lists every key a configuration file may set: the keys of the
// flags of every command.
func configKeys(root *cobra.Command) []string {
	seen := map[string]bool{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		add := func(f *pflag.Flag) {
			if f.Name != "config" && f.Name != "help" && !f.Hidden {
				seen[configKey(f.Name)] = true
			}
		}
		c.LocalFlags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkConfigFile refuses a configuration file with a key chipcheck does
// not know: a misspelt `fail_on` must not silently leave the default.
func checkConfigFile(file string, known []string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	var problems []string
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n.Kind != yaml.MappingNode {
			problems = append(problems, fmt.Sprintf("%s:%d: %s: want a mapping of settings", file, n.Line, strings.TrimSuffix(prefix, ".")))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := prefix + k.Value
			switch {
			case slices.Contains(known, key):
			case v.Kind == yaml.MappingNode && slices.ContainsFunc(known, func(s string) bool { return strings.HasPrefix(s, key+".") }):
				walk(v, key+".")
			default:
				problems = append(problems, fmt.Sprintf("%s:%d: %s: unknown key%s", file, k.Line, key, record.DidYouMean(key, known)))
			}
		}
	}
	walk(doc.Content[0], "")
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}
