package screen

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the screening rule data of rules/screening.yaml: the thresholds a
// compliance officer sets and what a hit on each list means. The matcher
// never hard-codes these.
type Config struct {
	// ReviewThreshold: hits scoring at least this are returned and send the
	// record to review.
	ReviewThreshold float64 `yaml:"review_threshold" json:"review_threshold"`
	// DenyThreshold: a hit scoring at least this on a list that restricts
	// exports takes that list's outcome (deny).
	DenyThreshold float64 `yaml:"deny_threshold" json:"deny_threshold"`
	// Lists maps a source list code (lists.Entry.List) to its rule.
	Lists map[string]ListRule `yaml:"lists" json:"lists"`
}

// ListRule says what a hit on one source list does.
type ListRule struct {
	Name      string `yaml:"name" json:"name"`
	Restricts bool   `yaml:"restricts" json:"restricts"` // the list itself restricts the export
	Citation  string `yaml:"citation" json:"citation"`
	// Outcome of a hit at or above DenyThreshold: deny for lists that
	// restrict, review otherwise.
	Outcome string `yaml:"outcome" json:"outcome"`
}

// LoadConfig reads and validates a screening rule file.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	c, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses and validates screening rule data: thresholds in (0,1]
// with deny ≥ review, and every list with a citation and an outcome of
// review or deny (deny only where the list restricts).
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("screening rules: %w", err)
	}
	if c.ReviewThreshold <= 0 || c.ReviewThreshold > 1 {
		return Config{}, fmt.Errorf("review_threshold %v: must be in (0,1]", c.ReviewThreshold)
	}
	if c.DenyThreshold < c.ReviewThreshold || c.DenyThreshold > 1 {
		return Config{}, fmt.Errorf("deny_threshold %v: must be in [review_threshold,1]", c.DenyThreshold)
	}
	if len(c.Lists) == 0 {
		return Config{}, fmt.Errorf("lists: none defined")
	}
	codes := make([]string, 0, len(c.Lists))
	for code := range c.Lists {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := c.Lists[code]
		switch {
		case r.Citation == "":
			return Config{}, fmt.Errorf("lists.%s: citation missing", code)
		case r.Outcome != "review" && r.Outcome != "deny":
			return Config{}, fmt.Errorf("lists.%s: outcome %q: must be review or deny", code, r.Outcome)
		case r.Outcome == "deny" && !r.Restricts:
			return Config{}, fmt.Errorf("lists.%s: outcome deny on a list that does not restrict exports", code)
		}
	}
	return c, nil
}
