package sink

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/vigie/vigie/sink/chdbtest"
)

// chdbDatabase creates a database of its own on the in-process chDB engine
// and returns the engine, its version and the database name.
func chdbDatabase(t *testing.T) (*chdbtest.DB, Version, string) {
	t.Helper()
	db := chdbtest.Open(t)
	out, err := db.Query("SELECT version()", "TabSeparated")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseVersion(out)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "vigie_" + hex.EncodeToString(b[:])
	t.Cleanup(func() { _, _ = db.Query("DROP DATABASE IF EXISTS "+name, "TabSeparated") })
	return db, v, name
}

func chdbExec(t *testing.T, db *chdbtest.DB, stmt string) string {
	t.Helper()
	out, err := db.Query(stmt, "TabSeparated")
	if err != nil {
		t.Fatalf("%s\n-> %v", stmt, err)
	}
	return strings.TrimSpace(out)
}

// TestDDLOnCurrentClickHouse runs Migrate's statements for a current server
// (LowCardinality, TTL) on a current ClickHouse, twice, and checks the
// resulting columns and the deduplication that readers rely on.
func TestDDLOnCurrentClickHouse(t *testing.T) {
	db, v, name := chdbDatabase(t)
	if !v.LowCardinality() || !v.TTL() {
		t.Fatalf("chdb %s should support LowCardinality and TTL", v)
	}
	stmts, err := DDL(v, ClickHouseConfig{Database: name, DeadLetterTTLDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		for _, stmt := range stmts {
			chdbExec(t, db, stmt)
		}
	}
	for _, table := range schema() {
		out := chdbExec(t, db, "SELECT name, type FROM system.columns WHERE database = '"+name+"' AND table = '"+table.name+"' ORDER BY position")
		got := strings.ReplaceAll(out, "\t", " ")
		if want := strings.Join(wantColumns(v, table), "\n"); got != want {
			t.Errorf("%s on %s:\n got %s\nwant %s", table.name, v, got, want)
		}
	}
	if ddl := chdbExec(t, db, "SELECT create_table_query FROM system.tables WHERE database = '"+name+"' AND name = 'dead_letters'"); !strings.Contains(ddl, "TTL received_at + toIntervalDay(30)") {
		t.Errorf("dead_letters on %s lacks its TTL: %s", v, ddl)
	}

	// The same alert twice, and two versions of an incident: FINAL keeps one.
	alert := "INSERT INTO " + name + ".alerts (alert_id, fired_at, entity_type, entity, severity) VALUES ('a1', '2024-02-13 08:42:00', 'account', 'acc \\'1\\'', 'critical')"
	chdbExec(t, db, alert)
	chdbExec(t, db, alert)
	chdbExec(t, db, "INSERT INTO "+name+".incidents (incident_id, version, status) VALUES ('i1', 1, 'open')")
	chdbExec(t, db, "INSERT INTO "+name+".incidents (incident_id, version, status) VALUES ('i1', 2, 'closed')")
	if got := chdbExec(t, db, "SELECT count(), any(entity), any(severity) FROM "+name+".alerts FINAL"); got != "1\tacc \\'1\\'\tcritical" {
		t.Errorf("alerts FINAL = %q", got)
	}
	if got := chdbExec(t, db, "SELECT count(), any(status) FROM "+name+".incidents FINAL"); got != "1\tclosed" {
		t.Errorf("incidents FINAL = %q", got)
	}
}

// TestUpgradeOnCurrentClickHouse applies the ALTER statements Migrate would
// send to an older alerts table on a current server.
func TestUpgradeOnCurrentClickHouse(t *testing.T) {
	db, v, name := chdbDatabase(t)
	chdbExec(t, db, "CREATE DATABASE "+name)
	chdbExec(t, db, "CREATE TABLE "+name+`.alerts (alert_id String, fired_at DateTime, entity_type String, entity String)
		ENGINE = ReplacingMergeTree() ORDER BY (entity_type, entity, fired_at, alert_id)`)
	alerts := schema()[0]
	have := map[string]bool{"alert_id": true, "fired_at": true, "entity_type": true, "entity": true}
	stmts := addColumnStatements(v, name, alerts, have)
	if len(stmts) != len(alerts.columns)-len(have) {
		t.Fatalf("%d ALTER statements, want %d", len(stmts), len(alerts.columns)-len(have))
	}
	for _, stmt := range stmts {
		chdbExec(t, db, stmt)
	}
	var want []string
	for _, c := range alerts.columns {
		if have[c.name] {
			want = append(want, c.name+" "+c.typ)
		} else {
			want = append(want, c.name+" "+c.chType(v))
		}
	}
	got := strings.ReplaceAll(chdbExec(t, db, "SELECT name, type FROM system.columns WHERE database = '"+name+"' AND table = 'alerts' ORDER BY position"), "\t", " ")
	if got != strings.Join(want, "\n") {
		t.Errorf("upgraded alerts:\n got %s\nwant %s", got, strings.Join(want, "\n"))
	}
}
