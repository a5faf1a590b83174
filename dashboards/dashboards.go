package dashboards

import (
	"embed"
	"encoding/json"
	"fmt"
	"time"
)

//go:embed *.json
var files embed.FS

// PanelSQL returns the raw SQL of the first target of the panel titled
// title in dashboard file (e.g. "overview.json"), as stored: macros and
// variables unexpanded.
func PanelSQL(file, title string) (string, error) {
	data, err := files.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading dashboard %s: %w", file, err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				RawSQL string `json:"rawSql"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return "", fmt.Errorf("parsing dashboard %s: %w", file, err)
	}
	for _, p := range d.Panels {
		if p.Title == title && len(p.Targets) > 0 {
			return p.Targets[0].RawSQL, nil
		}
	}
	return "", fmt.Errorf("dashboard %s has no panel %q with a query", file, title)
}

// ExpandMacros rewrites the grafana-clickhouse-datasource macros of sql for
// the time range [from, to] and interval, as the plugin does before sending
// the query, so that a panel's query can be run by other tools (the demo,
// tests) exactly as Grafana would run it.
func ExpandMacros(sql string, from, to time.Time, interval time.Duration) (string, error) {
	return expandMacros(sql, timeRange{From: from, To: to, Interval: interval})
}
