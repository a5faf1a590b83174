// Package dashboards holds Vigie's Grafana dashboards (overview.json,
// entity.json, pipeline.json) and their provisioning files, and the tests
// that keep them working: every dashboard parses, panel ids are unique,
// every data source and variable they use exists, data links point at real
// dashboards, Prometheus queries name metrics Vigie exports, and every
// ClickHouse query, with its macros expanded as grafana-clickhouse-datasource
// expands them, runs on a real ClickHouse holding the schema of DESIGN.md
// and returns the columns its panel needs.
//
// Run them with `go test ./dashboards/` (make dashboards-check).
package dashboards
