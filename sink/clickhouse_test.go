package sink

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/sink/chtest"
)

// openTestClickHouse returns a sink on a fresh database of the test server,
// migrated unless migrate is false.
func openTestClickHouse(tb testing.TB, migrate bool, edit ...func(*ClickHouseConfig)) (*ClickHouse, *chtest.Server, string) {
	tb.Helper()
	s := chtest.Start(tb)
	db := s.NewDatabase(tb)
	cfg := ClickHouseConfig{DSN: s.DSN(db), Database: db, DeadLetterTTLDays: 30}
	for _, e := range edit {
		e(&cfg)
	}
	ctx := context.Background()
	ch, err := OpenClickHouse(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ch.Close() })
	if migrate {
		if err := ch.Migrate(ctx); err != nil {
			tb.Fatal(err)
		}
	}
	return ch, s, db
}

// tableColumns reads name and type of every column of db.table in order.
func tableColumns(tb testing.TB, s *chtest.Server, db, table string) []string {
	tb.Helper()
	rows, err := s.Conn(tb, db).Query(context.Background(),
		"SELECT name, type FROM system.columns WHERE database = ? AND table = ? ORDER BY position", db, table)
	if err != nil {
		// 18.16's system.columns has no position column; its rows come in
		// table order anyway.
		rows, err = s.Conn(tb, db).Query(context.Background(),
			"SELECT name, type FROM system.columns WHERE database = ? AND table = ?", db, table)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			tb.Fatal(err)
		}
		out = append(out, name+" "+typ)
	}
	return out
}

func wantColumns(v Version, t tableSpec) []string {
	var out []string
	for _, c := range t.columns {
		out = append(out, c.name+" "+c.chType(v))
	}
	return out
}

func TestClickHouseMigrateIdempotent(t *testing.T) {
	ch, s, db := openTestClickHouse(t, true)
	if err := ch.Migrate(context.Background()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	t.Logf("server %s: LowCardinality=%v TTL=%v", ch.Version(), ch.Version().LowCardinality(), ch.Version().TTL())
	for _, table := range schema() {
		got, want := tableColumns(t, s, db, table.name), wantColumns(ch.Version(), table)
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s columns:\n got %v\nwant %v", table.name, got, want)
		}
	}
	var engine, createSQL string
	conn := s.Conn(t, db)
	if err := conn.QueryRow(context.Background(),
		"SELECT engine, create_table_query FROM system.tables WHERE database = ? AND name = 'incidents'", db,
	).Scan(&engine, &createSQL); err != nil {
		t.Fatal(err)
	}
	if engine != "ReplacingMergeTree" || !strings.Contains(createSQL, "ReplacingMergeTree(version)") {
		t.Errorf("incidents engine = %s (%s)", engine, createSQL)
	}
	if err := conn.QueryRow(context.Background(),
		"SELECT create_table_query FROM system.tables WHERE database = ? AND name = 'dead_letters'", db,
	).Scan(&createSQL); err != nil {
		t.Fatal(err)
	}
	if got := strings.Contains(createSQL, "TTL"); got != ch.Version().TTL() {
		t.Errorf("dead_letters has TTL = %v on %s: %s", got, ch.Version(), createSQL)
	}
}

func TestClickHouseMigrateAddsMissingColumns(t *testing.T) {
	ch, s, db := openTestClickHouse(t, false)
	ctx := context.Background()
	conn := s.Conn(t, db)
	// The alerts table of an older Vigie: no severity nor explanation, and
	// no role in the middle.
	if err := conn.Exec(ctx, "CREATE TABLE "+db+`.alerts (
		alert_id String, incident_id String, kind String, fired_at DateTime,
		entity_type String, entity String, org String, detector String,
		resolution String, window_start DateTime, window_end DateTime,
		observed Float64, expected Float64, threshold Float64, score Float64
	) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(fired_at)
	ORDER BY (entity_type, entity, fired_at, alert_id)`); err != nil {
		t.Fatal(err)
	}
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+db+".alerts (alert_id, entity, fired_at)")
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.Append("old-1", "acc-1", time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	if err := batch.Send(); err != nil {
		t.Fatal(err)
	}

	if err := ch.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	alerts := schema()[0]
	// Existing columns keep their old types; added ones follow the schema,
	// each after its predecessor.
	var want []string
	for _, c := range alerts.columns {
		typ := c.typ
		if c.name == "severity" {
			typ = c.chType(ch.Version())
		}
		want = append(want, c.name+" "+typ)
	}
	if got := tableColumns(t, s, db, "alerts"); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("alerts columns after upgrade:\n got %v\nwant %v", got, want)
	}
	// The old row survived and the new sink can write next to it.
	if err := ch.Write(ctx, &Batch{Alerts: sampleBatch().Alerts}); err != nil {
		t.Fatal(err)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+db+".alerts WHERE alert_id IN ('old-1', 'a1b2c3') AND role IN ('', 'conseiller')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("rows after upgrade = %d, want 2", n)
	}
}

func TestClickHouseWriteReadBack(t *testing.T) {
	ch, s, db := openTestClickHouse(t, true)
	ctx := context.Background()
	in := sampleBatch()
	in.DeadLetters = append(in.DeadLetters, in.DeadLetters[0])
	in.DeadLetters[1].Offset, in.DeadLetters[1].Partition, in.DeadLetters[1].Source = 1<<40, 7, "topic-a"
	if err := ch.Write(ctx, in); err != nil {
		t.Fatal(err)
	}
	conn := s.Conn(t, db)

	want := in.Alerts[0]
	var a detector.Alert
	if err := conn.QueryRow(ctx, `SELECT alert_id, incident_id, kind, fired_at, entity_type, entity, org, role,
		detector, resolution, window_start, window_end, observed, expected, threshold, score, severity, explanation
		FROM `+db+`.alerts FINAL`).Scan(&a.AlertID, &a.IncidentID, &a.Kind, &a.FiredAt, &a.EntityType, &a.Entity,
		&a.Org, &a.Role, &a.Detector, &a.Resolution, &a.WindowStart, &a.WindowEnd, &a.Observed, &a.Expected,
		&a.Threshold, &a.Score, &a.Severity, &a.Explanation); err != nil {
		t.Fatal(err)
	}
	checkTimes(t, "alert", []time.Time{a.FiredAt, a.WindowStart, a.WindowEnd}, []time.Time{want.FiredAt, want.WindowStart, want.WindowEnd})
	a.FiredAt, a.WindowStart, a.WindowEnd = want.FiredAt, want.WindowStart, want.WindowEnd
	if a != want {
		t.Errorf("alert:\n got %+v\nwant %+v", a, want)
	}

	wantI := in.Incidents[0]
	var inc detector.Incident
	var alerts uint32
	if err := conn.QueryRow(ctx, `SELECT incident_id, version, status, entity_type, entity, org, role, detector,
		opened_at, updated_at, closed_at, records, expected, peak_score, peak_ratio, peak_window_start, severity,
		alerts, explanation FROM `+db+`.incidents FINAL`).Scan(&inc.IncidentID, &inc.Version, &inc.Status,
		&inc.EntityType, &inc.Entity, &inc.Org, &inc.Role, &inc.Detector, &inc.OpenedAt, &inc.UpdatedAt, &inc.ClosedAt,
		&inc.Records, &inc.Expected, &inc.PeakScore, &inc.PeakRatio, &inc.PeakWindowStart, &inc.Severity, &alerts,
		&inc.Explanation); err != nil {
		t.Fatal(err)
	}
	inc.Alerts = int(alerts)
	checkTimes(t, "incident", []time.Time{inc.OpenedAt, inc.UpdatedAt, inc.PeakWindowStart},
		[]time.Time{wantI.OpenedAt, wantI.UpdatedAt, wantI.PeakWindowStart})
	if inc.ClosedAt.Unix() != 0 {
		t.Errorf("closed_at of an open incident = %v, want the epoch", inc.ClosedAt)
	}
	inc.OpenedAt, inc.UpdatedAt, inc.ClosedAt, inc.PeakWindowStart = wantI.OpenedAt, wantI.UpdatedAt, wantI.ClosedAt, wantI.PeakWindowStart
	if inc != wantI {
		t.Errorf("incident:\n got %+v\nwant %+v", inc, wantI)
	}

	wantW := in.Windows[0]
	var w detector.Window
	var events uint64
	var alerted uint8
	if err := conn.QueryRow(ctx, "SELECT entity_type, entity, org, resolution, window_start, window_end, events, observed, expected, threshold, score, `distinct`, alerted FROM "+db+".windows FINAL").Scan(
		&w.EntityType, &w.Entity, &w.Org, &w.Resolution, &w.WindowStart, &w.WindowEnd, &events, &w.Observed,
		&w.Expected, &w.Threshold, &w.Score, &w.Distinct, &alerted); err != nil {
		t.Fatal(err)
	}
	w.Events, w.Alerted = int64(events), alerted == 1
	checkTimes(t, "window", []time.Time{w.WindowStart, w.WindowEnd}, []time.Time{wantW.WindowStart, wantW.WindowEnd})
	w.WindowStart, w.WindowEnd = wantW.WindowStart, wantW.WindowEnd
	if w != wantW {
		t.Errorf("window:\n got %+v\nwant %+v", w, wantW)
	}

	rows, err := conn.Query(ctx, "SELECT received_at, source, `partition`, `offset`, reason, error, raw FROM "+db+".dead_letters ORDER BY `offset`")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var d = in.DeadLetters[0]
		var got = d
		if err := rows.Scan(&got.ReceivedAt, &got.Source, &got.Partition, &got.Offset, &got.Reason, &got.Error, &got.Raw); err != nil {
			t.Fatal(err)
		}
		d = in.DeadLetters[i]
		checkTimes(t, "dead letter", []time.Time{got.ReceivedAt}, []time.Time{d.ReceivedAt})
		got.ReceivedAt = d.ReceivedAt
		if got != d {
			t.Errorf("dead letter %d:\n got %+v\nwant %+v", i, got, d)
		}
	}
	if i != 2 {
		t.Errorf("read %d dead letters, want 2", i)
	}
}

func checkTimes(tb testing.TB, what string, got, want []time.Time) {
	tb.Helper()
	for i := range got {
		if !got[i].Equal(want[i]) {
			tb.Errorf("%s time %d = %v, want %v", what, i, got[i].UTC(), want[i].UTC())
		}
	}
}

func TestClickHouseDedup(t *testing.T) {
	ch, s, db := openTestClickHouse(t, true)
	ctx := context.Background()
	b := sampleBatch()
	if err := ch.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	// The same alert and window again (a redelivery), and a newer version of
	// the incident.
	b.Incidents[0].Version, b.Incidents[0].Status = 4, "closed"
	if err := ch.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	conn := s.Conn(t, db)
	for _, table := range []string{"alerts", "windows", "incidents"} {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM "+db+"."+table+" FINAL").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s FINAL has %d rows, want 1", table, n)
		}
	}
	var version uint64
	var status string
	if err := conn.QueryRow(ctx, "SELECT version, status FROM "+db+".incidents FINAL").Scan(&version, &status); err != nil {
		t.Fatal(err)
	}
	if version != 4 || status != "closed" {
		t.Errorf("incident after update = version %d %s, want 4 closed", version, status)
	}
}

func TestClickHouseWriteSplitsBatches(t *testing.T) {
	ch, s, db := openTestClickHouse(t, true, func(c *ClickHouseConfig) { c.BatchRows = 10 })
	ctx := context.Background()
	b := &Batch{Windows: benchWindows(25)}
	if err := ch.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	var n, sum uint64
	if err := s.Conn(t, db).QueryRow(ctx, "SELECT count(), sum(events) FROM "+db+".windows FINAL").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 25 || sum != 25*24/2 {
		t.Errorf("windows = %d (sum of events %d), want 25 (300)", n, sum)
	}
	if err := ch.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ch.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := ch.Write(ctx, b); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// closedPort returns a loopback address where nothing listens.
func closedPort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestClickHouseUnreachable(t *testing.T) {
	addr := closedPort(t)
	const secret = "s3cr3t-Pa55"
	for name, cfg := range map[string]ClickHouseConfig{
		"password in DSN":   {DSN: "clickhouse://vigie:" + secret + "@" + addr + "/vigie?dial_timeout=1s"},
		"password in field": {DSN: "clickhouse://" + addr, Username: "vigie", Password: secret, DialTimeout: time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := OpenClickHouse(context.Background(), cfg)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "clickhouse at "+addr+" unreachable") {
				t.Errorf("error %q does not say that %s is unreachable", msg, addr)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error %q leaks the password", msg)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestClickHouseWrongPassword(t *testing.T) {
	s := chtest.Start(t)
	const secret = "not-the-password"
	_, err := OpenClickHouse(context.Background(), ClickHouseConfig{
		DSN: fmt.Sprintf("clickhouse://default:%s@%s", secret, s.Addr),
	})
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), "refused the connection") || strings.Contains(err.Error(), secret) {
		t.Errorf("error = %q", err)
	}
}

func TestClickHouseConfigValidate(t *testing.T) {
	const secret = "hunter2-secret"
	for _, tc := range []struct {
		name string
		cfg  ClickHouseConfig
		want string
	}{
		{"no DSN", ClickHouseConfig{}, "a DSN is required"},
		{"injection in database", ClickHouseConfig{DSN: "clickhouse://h:9000", Database: "vigie; DROP TABLE x"}, `clickhouse-database "vigie; DROP TABLE x"`},
		{"database with a dot", ClickHouseConfig{DSN: "clickhouse://h:9000", Database: "a.b"}, `clickhouse-database "a.b"`},
		{"injection in DSN database", ClickHouseConfig{DSN: "clickhouse://h:9000/x%60y"}, "clickhouse-database"},
		{"negative batch", ClickHouseConfig{DSN: "clickhouse://h:9000", BatchRows: -1}, "clickhouse-batch-rows"},
		{"negative TTL", ClickHouseConfig{DSN: "clickhouse://h:9000", DeadLetterTTLDays: -1}, "clickhouse-dead-letter-ttl-days"},
		{"bad DSN", ClickHouseConfig{DSN: "clickhouse://u:" + secret + "@h:port/"}, "parsing DSN"},
		{"valid", ClickHouseConfig{DSN: "clickhouse://h:9000", Database: "vigie_prod"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one containing %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), secret):
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
	if _, err := DDL(Version{24, 8, 0}, ClickHouseConfig{Database: "x`; DROP DATABASE y; --"}); err == nil {
		t.Error("DDL accepted a bad database name")
	}
}

func TestParseVersion(t *testing.T) {
	f := func(in string, want Version, lc, ttl bool) {
		t.Helper()
		v, err := ParseVersion(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if v != want || v.LowCardinality() != lc || v.TTL() != ttl {
			t.Errorf("%q = %v lc=%v ttl=%v", in, v, v.LowCardinality(), v.TTL())
		}
	}
	f("18.16.1", Version{18, 16, 1}, false, false)
	f("19.3.4", Version{19, 3, 4}, true, false)
	f("19.6.2.11", Version{19, 6, 2}, true, true)
	f("24.8.4.13", Version{24, 8, 4}, true, true)
	f("26.1.1.1-testing", Version{26, 1, 1}, true, true)
	if _, err := ParseVersion("garbage"); err == nil {
		t.Error("ParseVersion(garbage) succeeded")
	}
}

// TestDDLVariants pins the feature gating without a server: 18.16 gets the
// portable subset, a current server LowCardinality and TTL.
func TestDDLVariants(t *testing.T) {
	old, err := DDL(Version{18, 16, 1}, ClickHouseConfig{DeadLetterTTLDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(old, "\n")
	if strings.Contains(all, "LowCardinality") || strings.Contains(all, "TTL") {
		t.Errorf("18.16 DDL uses newer features:\n%s", all)
	}
	if !strings.Contains(old[0], "`vigie`") {
		t.Errorf("default database not vigie: %s", old[0])
	}
	cur, err := DDL(Version{26, 1, 0}, ClickHouseConfig{Database: "v", DeadLetterTTLDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	all = strings.Join(cur, "\n")
	for _, want := range []string{"`severity` LowCardinality(String)", "TTL `received_at` + INTERVAL 30 DAY", "`explanation` String"} {
		if !strings.Contains(all, want) {
			t.Errorf("current DDL lacks %q:\n%s", want, all)
		}
	}
	noTTL, _ := DDL(Version{26, 1, 0}, ClickHouseConfig{Database: "v"})
	if strings.Contains(strings.Join(noTTL, "\n"), "TTL") {
		t.Error("TTL set although DeadLetterTTLDays is 0")
	}
}

func benchWindows(n int) []detector.Window {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]detector.Window, n)
	for i := range out {
		out[i] = detector.Window{
			EntityType: detector.EntityAccount, Entity: fmt.Sprintf("acc-%06d", i), Org: fmt.Sprintf("org-%03d", i%300),
			Resolution: "hour", WindowStart: start, WindowEnd: start.Add(time.Hour), Events: int64(i),
			Observed: float64(i) * 1.5, Expected: 40, Threshold: 97.5, Score: 0.5, Distinct: uint64(i / 2),
			Alerted: i%1000 == 0,
		}
	}
	return out
}

// BenchmarkClickHouseWriteWindows writes batches of 10000 windows and
// reports rows per second end to end (the server's acknowledgement
// included): "columnar" is the sink's Write, "rowwise" the same INSERT
// appending row by row, kept as the baseline that justifies the columnar
// code.
func BenchmarkClickHouseWriteWindows(b *testing.B) {
	ch, _, _ := openTestClickHouse(b, true)
	ctx := context.Background()
	const rows = 10000
	batch := &Batch{Windows: benchWindows(rows)}
	// Move the windows so that each batch is new data, not a rewrite.
	next := func() {
		for j := range batch.Windows {
			batch.Windows[j].WindowStart = batch.Windows[j].WindowStart.Add(time.Hour)
		}
	}
	b.Run("columnar", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			next()
			if err := ch.Write(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("rowwise", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			next()
			ins, err := ch.conn.PrepareBatch(ctx, ch.windows.query)
			if err != nil {
				b.Fatal(err)
			}
			for _, w := range batch.Windows {
				if err := ins.Append(w.EntityType, w.Entity, w.Org, w.Resolution, w.WindowStart, w.WindowEnd,
					uint64(w.Events), w.Observed, w.Expected, w.Threshold, w.Score, w.Distinct, boolUint8(w.Alerted)); err != nil {
					b.Fatal(err)
				}
			}
			if err := ins.Send(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
	})
}
