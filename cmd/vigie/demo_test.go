package main

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/dashboards"
	"github.com/vigie/vigie/detector/eval"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink/chtest"
)

// TestDemoShowsAttackOnDashboard runs the demo end to end (generator,
// embedded Kafka broker, live detector, real ClickHouse) on a small
// scenario, then runs the SOC overview's "Recent alerts" panel query as
// Grafana would and checks that it shows the injected bulk extraction.
func TestDemoShowsAttackOnDashboard(t *testing.T) {
	srv := chtest.Start(t)
	db := srv.NewDatabase(t)
	f := &demoFlags{gen: synth.DefaultConfig(), eval: eval.DefaultConfig(), outDir: t.TempDir(),
		clickhouse: srv.DSN(db), database: db, shown: 5, logLevel: "error"}
	f.gen.Accounts, f.gen.Orgs, f.gen.Days = 400, 20, 14
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := runDemo(ctx, f, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "attacks detected") {
		t.Fatalf("demo output lacks the evaluation summary:\n%s", out.String())
	}
	labels, err := synth.LoadLabels(f.outDir + "/labels.json")
	if err != nil {
		t.Fatal(err)
	}
	var bulk *synth.Attack
	for i := range labels.Attacks {
		if labels.Attacks[i].Shape == "bulk_extraction" {
			bulk = &labels.Attacks[i]
		}
	}
	if bulk == nil {
		t.Fatal("the scenario has no bulk extraction")
	}

	raw, err := dashboards.PanelSQL("overview.json", "Recent alerts")
	if err != nil {
		t.Fatal(err)
	}
	sql, err := dashboards.ExpandMacros(raw, labels.Start, labels.End, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	conn := srv.Conn(t, db)
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		t.Fatalf("overview query: %v\n%s", err, sql)
	}
	defer rows.Close()
	entityCol := slices.Index(rows.Columns(), "entity")
	if entityCol < 0 {
		t.Fatalf("Recent alerts panel has no entity column: %v", rows.Columns())
	}
	var shown []string
	for rows.Next() {
		vals := make([]any, len(rows.Columns()))
		for i, ct := range rows.ColumnTypes() {
			vals[i] = newScanTarget(ct.ScanType())
		}
		if err := rows.Scan(vals...); err != nil {
			t.Fatal(err)
		}
		shown = append(shown, *(vals[entityCol].(*string)))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, acct := range bulk.Accounts {
		if slices.Contains(shown, acct) {
			return
		}
	}
	t.Fatalf("Recent alerts panel shows %v, none of the bulk extraction's accounts %v", shown, bulk.Accounts)
}

// newScanTarget returns a pointer to a new value of type t, for rows.Scan.
func newScanTarget(t reflect.Type) any { return reflect.New(t).Interface() }
