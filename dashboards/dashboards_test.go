package dashboards

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// dashboard is one parsed dashboard file, kept as generic JSON so the tests
// see every field Grafana would, not only those a struct declares.
type dashboard struct {
	File  string
	UID   string
	Title string
	JSON  map[string]any
}

func loadDashboards(tb testing.TB) []dashboard {
	tb.Helper()
	files, err := filepath.Glob("*.json")
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) < 3 {
		tb.Fatalf("found %d dashboards (%v), want overview, entity and pipeline", len(files), files)
	}
	var out []dashboard
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		uid, _ := m["uid"].(string)
		title, _ := m["title"].(string)
		out = append(out, dashboard{File: f, UID: uid, Title: title, JSON: m})
	}
	return out
}

// panels returns every panel, including those nested in collapsed rows.
func (d dashboard) panels() []map[string]any {
	var out []map[string]any
	var walk func(list any)
	walk = func(list any) {
		items, _ := list.([]any)
		for _, it := range items {
			p, ok := it.(map[string]any)
			if !ok {
				continue
			}
			out = append(out, p)
			walk(p["panels"])
		}
	}
	walk(d.JSON["panels"])
	return out
}

// variables returns the dashboard's template variables by name.
func (d dashboard) variables() map[string]map[string]any {
	out := map[string]map[string]any{}
	tmpl, _ := d.JSON["templating"].(map[string]any)
	list, _ := tmpl["list"].([]any)
	for _, v := range list {
		if m, ok := v.(map[string]any); ok {
			name, _ := m["name"].(string)
			out[name] = m
		}
	}
	return out
}

// walkJSON calls f on every object in v, with the key path leading to it.
func walkJSON(v any, path string, f func(path string, obj map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(path, x)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkJSON(x[k], path+"."+k, f)
		}
	case []any:
		for i, e := range x {
			walkJSON(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// walkStrings calls f on every string value in v.
func walkStrings(v any, path string, f func(path, s string)) {
	switch x := v.(type) {
	case string:
		f(path, x)
	case map[string]any:
		for k, e := range x {
			walkStrings(e, path+"."+k, f)
		}
	case []any:
		for i, e := range x {
			walkStrings(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// provisionedDatasources reads the uid → type of the provisioned sources.
func provisionedDatasources(tb testing.TB) map[string]string {
	tb.Helper()
	data, err := os.ReadFile("provisioning/datasources/vigie.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var cfg struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name     string         `yaml:"name"`
			UID      string         `yaml:"uid"`
			Type     string         `yaml:"type"`
			JSONData map[string]any `yaml:"jsonData"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		tb.Fatalf("provisioning/datasources/vigie.yaml: %v", err)
	}
	if cfg.APIVersion != 1 {
		tb.Errorf("datasources apiVersion = %d, want 1", cfg.APIVersion)
	}
	out := map[string]string{}
	for _, ds := range cfg.Datasources {
		if ds.UID == "" || ds.Type == "" || ds.Name == "" {
			tb.Errorf("provisioned datasource %+v lacks a name, uid or type", ds)
		}
		out[ds.UID] = ds.Type
		if ds.Type == "grafana-clickhouse-datasource" {
			for _, k := range []string{"host", "port", "protocol", "defaultDatabase"} {
				if ds.JSONData[k] == nil {
					tb.Errorf("ClickHouse datasource %s: jsonData.%s missing", ds.UID, k)
				}
			}
		}
	}
	return out
}

func TestDashboardProvider(t *testing.T) {
	data, err := os.ReadFile("provisioning/dashboards/vigie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name    string            `yaml:"name"`
			Type    string            `yaml:"type"`
			Options map[string]string `yaml:"options"`
		} `yaml:"providers"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.APIVersion != 1 || len(cfg.Providers) != 1 || cfg.Providers[0].Type != "file" || cfg.Providers[0].Options["path"] == "" {
		t.Errorf("dashboard provider = %+v, want one file provider with a path", cfg)
	}
}

func TestDashboardsWellFormed(t *testing.T) {
	uids := map[string]string{}
	for _, d := range loadDashboards(t) {
		if d.UID == "" || d.Title == "" {
			t.Errorf("%s: uid %q, title %q: both required", d.File, d.UID, d.Title)
		}
		if other, dup := uids[d.UID]; dup {
			t.Errorf("%s and %s share uid %q", d.File, other, d.UID)
		}
		uids[d.UID] = d.File
		ids := map[float64]string{}
		for _, p := range d.panels() {
			title, _ := p["title"].(string)
			id, ok := p["id"].(float64)
			if !ok {
				t.Errorf("%s: panel %q has no id", d.File, title)
				continue
			}
			if other, dup := ids[id]; dup {
				t.Errorf("%s: panels %q and %q share id %v", d.File, other, title, id)
			}
			ids[id] = title
			if title == "" {
				t.Errorf("%s: panel %v has no title", d.File, id)
			}
			if typ, _ := p["type"].(string); typ != "row" {
				if targets, _ := p["targets"].([]any); len(targets) == 0 {
					t.Errorf("%s: panel %q has no query", d.File, title)
				}
			}
		}
	}
}

func TestDatasourcesResolve(t *testing.T) {
	provisioned := provisionedDatasources(t)
	for _, d := range loadDashboards(t) {
		walkJSON(d.JSON, d.File, func(path string, obj map[string]any) {
			ref, ok := obj["datasource"]
			if !ok {
				return
			}
			m, ok := ref.(map[string]any)
			if !ok {
				t.Errorf("%s.datasource = %v: want a {type, uid} reference (names break on rename)", path, ref)
				return
			}
			uid, _ := m["uid"].(string)
			typ, _ := m["type"].(string)
			if uid == "-- Grafana --" && typ == "grafana" {
				return // the built-in annotations source
			}
			want, ok := provisioned[uid]
			switch {
			case !ok:
				t.Errorf("%s: datasource uid %q is not provisioned", path, uid)
			case want != typ:
				t.Errorf("%s: datasource %q has type %q, provisioned as %q", path, uid, typ, want)
			}
		})
	}
}

// builtins are Grafana's global variables and the ClickHouse plugin's macros.
var builtins = map[string]bool{
	"__interval": true, "__interval_ms": true, "__rate_interval": true, "__range": true,
	"__range_s": true, "__from": true, "__to": true, "__dashboard": true, "__user": true,
	"__org": true, "__url_time_range": true, "__timezone": true, "__all_variables": true,
	"__data": true, "__value": true, "__field": true, "__series": true,
	// grafana-clickhouse-datasource macros (pkg/macros).
	"__timeFilter": true, "__fromTime": true, "__toTime": true, "__interval_s": true,
	"__dateFilter": true, "__dateTimeFilter": true, "__dt": true, "__timeInterval": true,
	"__timeFilter_ms": true, "__fromTime_ms": true, "__toTime_ms": true, "__timeInterval_ms": true,
}

// undefinedVars returns the variable references in d that are neither
// defined by the dashboard nor built in.
func undefinedVars(d dashboard) []string {
	defined := d.variables()
	var bad []string
	walkStrings(d.JSON, d.File, func(path, s string) {
		for _, name := range varRefs(s) {
			root, _, _ := strings.Cut(name, ".")
			if defined[root] != nil || builtins[root] {
				continue
			}
			bad = append(bad, path+": $"+name)
		}
	})
	sort.Strings(bad)
	return bad
}

func TestVariablesDefined(t *testing.T) {
	for _, d := range loadDashboards(t) {
		for _, bad := range undefinedVars(d) {
			t.Errorf("undefined variable: %s", bad)
		}
	}
	// The check itself must catch a typo.
	d := dashboard{File: "typo.json", JSON: map[string]any{
		"templating": map[string]any{"list": []any{map[string]any{"name": "entity"}}},
		"panels":     []any{map[string]any{"targets": []any{map[string]any{"rawSql": "entity = '${entitty}' AND $__timeFilter(t) AND x = '$entity'"}}}},
	}}
	if bad := undefinedVars(d); len(bad) != 1 || !strings.Contains(bad[0], "entitty") {
		t.Errorf("undefinedVars on a typo = %v, want only $entitty", bad)
	}
}

var dashLink = regexp.MustCompile(`^/d/([A-Za-z0-9_-]+)(?:/[^?]*)?(?:\?(.*))?$`)

func TestDataLinks(t *testing.T) {
	all := loadDashboards(t)
	byUID := map[string]dashboard{}
	for _, d := range all {
		byUID[d.UID] = d
	}
	links := 0
	for _, d := range all {
		walkJSON(d.JSON, d.File, func(path string, obj map[string]any) {
			url, ok := obj["url"].(string)
			if !ok || !strings.HasPrefix(url, "/d/") {
				return
			}
			links++
			m := dashLink.FindStringSubmatch(url)
			if m == nil {
				t.Errorf("%s: malformed dashboard link %q", path, url)
				return
			}
			target, ok := byUID[m[1]]
			if !ok {
				t.Errorf("%s: link to unknown dashboard uid %q", path, m[1])
				return
			}
			for _, kv := range strings.Split(m[2], "&") {
				name, _, ok := strings.Cut(kv, "=")
				if v, found := strings.CutPrefix(name, "var-"); ok && found && target.variables()[v] == nil {
					t.Errorf("%s: link sets var-%s, which %s does not define", path, v, target.File)
				}
			}
		})
	}
	if links == 0 {
		t.Error("no data link between dashboards: the overview tables should link to the drill-down")
	}
}

// metricLabels lists the series Vigie exports (cmd/vigie/metrics.go) and
// their labels; histograms also have le and the _bucket/_sum/_count series.
var metricLabels = map[string][]string{
	"vigie_events_total":                 nil,
	"vigie_decode_errors_total":          {"reason"},
	"vigie_dead_letters_total":           nil,
	"vigie_late_events_total":            nil,
	"vigie_excused_tests_total":          nil,
	"vigie_alerts_total":                 {"severity", "detector"},
	"vigie_tracked_entities":             {"type"},
	"vigie_kafka_lag":                    nil,
	"vigie_sink_write_seconds":           {"sink"},
	"vigie_sink_errors_total":            {"sink"},
	"vigie_window_close_delay_seconds":   nil,
	"vigie_last_event_timestamp_seconds": nil,
}

var histograms = map[string]bool{"vigie_sink_write_seconds": true, "vigie_window_close_delay_seconds": true}

var (
	metricName = regexp.MustCompile(`\bvigie_[a-z_]+\b`)
	byClause   = regexp.MustCompile(`\b(?:by|without)\s*\(([^)]*)\)`)
)

// checkPromQL returns what is wrong with expr: unknown metrics, or grouping
// by labels none of its metrics has.
func checkPromQL(expr string) []string {
	var problems []string
	labels := map[string]bool{}
	names := metricName.FindAllString(expr, -1)
	if len(names) == 0 {
		problems = append(problems, "uses no vigie_ metric")
	}
	for _, name := range names {
		base := name
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(name, suffix); ok && histograms[b] {
				base = b
				labels["le"] = true
			}
		}
		ls, known := metricLabels[base]
		if !known {
			problems = append(problems, "unknown metric "+name)
			continue
		}
		if histograms[base] && base == name {
			problems = append(problems, "histogram "+name+" used without _bucket, _sum or _count")
		}
		for _, l := range ls {
			labels[l] = true
		}
	}
	for _, m := range byClause.FindAllStringSubmatch(expr, -1) {
		for _, l := range strings.Split(m[1], ",") {
			if l = strings.TrimSpace(l); l != "" && !labels[l] {
				problems = append(problems, "groups by label "+l+", which its metrics lack")
			}
		}
	}
	if strings.Count(expr, "(") != strings.Count(expr, ")") {
		problems = append(problems, "unbalanced parentheses")
	}
	return problems
}

func TestPrometheusQueries(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range loadDashboards(t) {
		for _, q := range queries(d) {
			if q.Kind != "prometheus" {
				continue
			}
			for _, p := range checkPromQL(q.SQL) {
				t.Errorf("%s: %s", q.Where, p)
			}
			for _, name := range metricName.FindAllString(q.SQL, -1) {
				seen[strings.TrimSuffix(name, "_bucket")] = true
			}
		}
	}
	for _, m := range []string{"vigie_events_total", "vigie_kafka_lag", "vigie_decode_errors_total",
		"vigie_sink_write_seconds", "vigie_sink_errors_total", "vigie_tracked_entities",
		"vigie_alerts_total", "vigie_late_events_total", "vigie_window_close_delay_seconds"} {
		if !seen[m] {
			t.Errorf("no pipeline panel shows %s", m)
		}
	}
	for _, tc := range []struct{ expr, want string }{
		{"rate(vigie_event_total[5m])", "unknown metric"},
		{"sum by (topic) (vigie_kafka_lag)", "label topic"},
		{"histogram_quantile(0.9, rate(vigie_sink_write_seconds[5m]))", "without _bucket"},
		{"sum(rate(vigie_events_total[5m])", "unbalanced"},
	} {
		if got := strings.Join(checkPromQL(tc.expr), "; "); !strings.Contains(got, tc.want) {
			t.Errorf("checkPromQL(%q) = %q, want a problem mentioning %q", tc.expr, got, tc.want)
		}
	}
}

// query is one query of a dashboard: a panel target, an annotation or a
// variable.
type query struct {
	Where string
	// Kind is "clickhouse" or "prometheus".
	Kind string
	// Use is the panel type ("timeseries", "table", ...), "annotation" or
	// "variable".
	Use string
	SQL string
}

func queries(d dashboard) []query {
	var out []query
	kindOf := func(ds any) string {
		m, _ := ds.(map[string]any)
		switch m["type"] {
		case "grafana-clickhouse-datasource":
			return "clickhouse"
		case "prometheus":
			return "prometheus"
		}
		return ""
	}
	add := func(where, use string, target map[string]any, fallback any) {
		ds := target["datasource"]
		if ds == nil {
			ds = fallback
		}
		kind := kindOf(ds)
		text, _ := target["rawSql"].(string)
		if kind == "prometheus" {
			text, _ = target["expr"].(string)
		}
		out = append(out, query{Where: where, Kind: kind, Use: use, SQL: text})
	}
	for _, p := range d.panels() {
		typ, _ := p["type"].(string)
		title, _ := p["title"].(string)
		targets, _ := p["targets"].([]any)
		for _, t := range targets {
			if tm, ok := t.(map[string]any); ok {
				add(fmt.Sprintf("%s panel %q", d.File, title), typ, tm, p["datasource"])
			}
		}
	}
	anns, _ := d.JSON["annotations"].(map[string]any)
	list, _ := anns["list"].([]any)
	for _, a := range list {
		am, _ := a.(map[string]any)
		if target, ok := am["target"].(map[string]any); ok {
			add(fmt.Sprintf("%s annotation %q", d.File, am["name"]), "annotation", target, am["datasource"])
		}
	}
	for name, v := range d.variables() {
		if v["type"] == "query" {
			sql, _ := v["query"].(string)
			if qm, ok := v["query"].(map[string]any); ok {
				sql, _ = qm["rawSql"].(string)
			}
			out = append(out, query{Where: fmt.Sprintf("%s variable %s", d.File, name), Kind: kindOf(v["datasource"]), Use: "variable", SQL: sql})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Where < out[j].Where })
	return out
}

// unportable lists what ClickHouse 18.16 lacks (or what newer releases
// changed), so that a query stays portable even when the tests run against
// a newer server through VIGIE_TEST_CLICKHOUSE.
var unportable = []struct {
	re     *regexp.Regexp
	reason string
}{
	{regexp.MustCompile(`(?i)toStartOfInterval|\$__timeInterval`), "toStartOfInterval is missing on 18.16: bucket with intDiv(toUInt32(t), $__interval_s) * $__interval_s"},
	{regexp.MustCompile(`(?i)DateTime64|_ms\b|fromUnixTimestamp64`), "DateTime64 is missing on 18.16"},
	{regexp.MustCompile(`(?i)\bOVER\s*\(`), "window functions are missing on 18.16"},
	{regexp.MustCompile(`\bMap\s*\(|\w\[\s*'`), "Map is missing on 18.16"},
	{regexp.MustCompile(`(?i)\{[a-z_]+:[A-Za-z0-9()]+\}`), "server-side query parameters are missing on 18.16"},
	{regexp.MustCompile(`(?i)\bvigie\.`), "name tables without a database: the datasource's defaultDatabase chooses it"},
}

func portabilityProblems(sql string) []string {
	var out []string
	for _, u := range unportable {
		if u.re.MatchString(sql) {
			out = append(out, u.reason)
		}
	}
	return out
}

func TestClickHouseQueriesPortable(t *testing.T) {
	n := 0
	for _, d := range loadDashboards(t) {
		for _, q := range queries(d) {
			if q.Kind != "clickhouse" {
				continue
			}
			n++
			if q.SQL == "" {
				t.Errorf("%s: empty SQL", q.Where)
			}
			for _, p := range portabilityProblems(q.SQL) {
				t.Errorf("%s: %s", q.Where, p)
			}
		}
	}
	if n < 10 {
		t.Errorf("found %d ClickHouse queries, want the overview's and the drill-down's", n)
	}
	for _, bad := range []string{
		"SELECT $__timeInterval(t) AS time",
		"SELECT toStartOfInterval(t, INTERVAL 1 hour)",
		"SELECT toDateTime64(t, 3)",
		"SELECT sum(x) OVER (PARTITION BY y)",
		"SELECT m['k'] FROM t",
		"SELECT * FROM vigie.alerts",
	} {
		if len(portabilityProblems(bad)) == 0 {
			t.Errorf("portability check accepts %q", bad)
		}
	}
}
