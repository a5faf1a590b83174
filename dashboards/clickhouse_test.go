package dashboards

import (
	"bytes"
	"context"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink"
	"github.com/vigie/vigie/sink/chtest"
	"github.com/vigie/vigie/sink/report"
)

// fixtureDir holds replay-like outputs (see sink/report/fixture_test.go):
// three days of windows for two organisations, a compromised partner
// account's incident with its alerts, and an organisation incident still
// open.
const fixtureDir = "../sink/report/testdata/"

// fixtureVars are the values the tests give the dashboards' variables.
var fixtureVars = map[string]string{"entity": "svc.capemploi.03", "resolution": "hour"}

// fixtureRange covers the fixture.
var fixtureRange = timeRange{
	From:     time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC),
	To:       time.Date(2024, 3, 7, 0, 0, 0, 0, time.UTC),
	Interval: 10 * time.Minute,
}

// loadFixture writes the fixture through the ClickHouse sink (Migrate, then
// Write, as `vigie replay --clickhouse` does) into a fresh database and
// returns a connection to it.
func loadFixture(t *testing.T) (*chtest.Server, string) {
	t.Helper()
	srv := chtest.Start(t)
	db := srv.NewDatabase(t)
	b, err := report.ReadFiles(fixtureDir+"alerts.jsonl", fixtureDir+"windows.jsonl", fixtureDir+"incidents.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	writeBatch(t, srv, db, b)
	return srv, db
}

// writeBatch writes b to database db through the ClickHouse sink, Migrate
// then Write, as `vigie replay --clickhouse` does.
func writeBatch(t *testing.T, srv *chtest.Server, db string, b *sink.Batch) {
	t.Helper()
	ctx := context.Background()
	ch, err := sink.OpenClickHouse(ctx, sink.ClickHouseConfig{DSN: srv.DSN(db), Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if err := ch.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ch.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
}

var (
	numericType = regexp.MustCompile(`^(Nullable\()?(U?Int(8|16|32|64)|Float(32|64)|Decimal.*)\)?$`)
	stringType  = regexp.MustCompile(`^(Nullable\()?(LowCardinality\()?String\)?\)?$`)
	timeType    = regexp.MustCompile(`^(Nullable\()?DateTime(\('[^']*'\))?\)?$`)
	plainName   = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
)

// columnProblems says what a result with these column names and types lacks
// for a panel of type use.
func columnProblems(use string, names, types []string) []string {
	var out []string
	if len(names) == 0 {
		return []string{"no columns"}
	}
	for _, n := range names {
		if !plainName.MatchString(n) {
			out = append(out, "column "+n+" has no plain name: give it an alias")
		}
	}
	switch use {
	case "timeseries":
		if !timeType.MatchString(types[0]) {
			out = append(out, "first column "+names[0]+" is "+types[0]+", want DateTime")
		}
		numeric := 0
		for i := 1; i < len(types); i++ {
			switch {
			case numericType.MatchString(types[i]):
				numeric++
			case stringType.MatchString(types[i]):
				// A label column: the plugin turns long results into one
				// series per label value.
			default:
				out = append(out, "column "+names[i]+" is "+types[i]+", want a number or a label")
			}
		}
		if numeric == 0 {
			out = append(out, "no numeric column to plot")
		}
	case "annotation":
		if names[0] != "time" || !timeType.MatchString(types[0]) {
			out = append(out, "annotation's first column must be time (DateTime)")
		}
		if i := indexOf(names, "text"); i < 0 || !stringType.MatchString(types[i]) {
			out = append(out, "annotation needs a text column (String)")
		}
	case "variable":
		if len(names) != 1 || !stringType.MatchString(types[0]) {
			out = append(out, "variable query must return one String column")
		}
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestColumnProblems(t *testing.T) {
	for _, tc := range []struct {
		name         string
		use          string
		names, types []string
		want         string
	}{
		{"good series", "timeseries", []string{"time", "org", "records"}, []string{"DateTime", "String", "Float64"}, ""},
		{"series without time", "timeseries", []string{"records"}, []string{"Float64"}, "want DateTime"},
		{"series of strings", "timeseries", []string{"time", "org"}, []string{"DateTime('UTC')", "String"}, "no numeric"},
		{"unnamed column", "table", []string{"sum(observed)"}, []string{"Float64"}, "alias"},
		{"annotation without text", "annotation", []string{"time", "tags"}, []string{"DateTime", "String"}, "text column"},
		{"variable of numbers", "variable", []string{"n"}, []string{"UInt64"}, "one String"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(columnProblems(tc.use, tc.names, tc.types), "; ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("columnProblems = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestClickHouseQueriesRun runs every ClickHouse query of every dashboard,
// macros and variables expanded, on a real server holding the fixture, and
// checks that it returns rows with the columns its panel needs. A column
// missing from the schema, a function the server lacks or a typo fails here.
func TestClickHouseQueriesRun(t *testing.T) {
	srv, db := loadFixture(t)
	conn := srv.Conn(t, db)
	runAllQueries(t, conn, fixtureVars, fixtureRange)
	// The server is what catches schema drift: a column the schema lacks
	// must fail.
	if err := conn.Exec(context.Background(), "SELECT window_start AS time, records_total FROM windows LIMIT 1"); err == nil {
		t.Error("a query naming a missing column succeeded: the check would not catch schema drift")
	}
}

// TestClickHouseQueriesRunOnReplay runs every ClickHouse query on what the
// real detector wrote for a generated scenario (not a hand-made fixture),
// so the panels are checked against the rows the pipeline really produces.
func TestClickHouseQueriesRunOnReplay(t *testing.T) {
	srv := chtest.Start(t)
	db := srv.NewDatabase(t)
	cfg := synth.DefaultConfig()
	cfg.Accounts, cfg.Orgs, cfg.Days = 200, 10, 14
	var events bytes.Buffer
	labels, err := synth.Generate(cfg, &events)
	if err != nil {
		t.Fatal(err)
	}
	det, err := detector.New(detector.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	dec := ingest.NewJSONDecoder(ingest.DefaultFieldMap())
	var ev ingest.Event
	for _, line := range bytes.Split(bytes.TrimSpace(events.Bytes()), []byte("\n")) {
		ev.Reset()
		if err := dec.Decode(line, &ev); err != nil {
			t.Fatalf("generated line does not decode: %v", err)
		}
		det.Observe(&ev)
	}
	det.Close()
	var out detector.Output
	det.Take(&out)
	if len(out.Alerts) == 0 {
		t.Fatal("the scenario raised no alert")
	}
	writeBatch(t, srv, db, &sink.Batch{Alerts: out.Alerts, Windows: out.Windows, Incidents: out.Incidents})
	vars := map[string]string{"entity": out.Alerts[0].Entity, "resolution": "hour"}
	// A finished replay closes every incident when its input ends, so the
	// open-incidents panel is rightly empty here (TestOpenIncidentsPanel
	// checks its content on the fixture).
	runAllQueries(t, srv.Conn(t, db), vars, timeRange{From: labels.Start, To: labels.End, Interval: time.Hour},
		`overview.json panel "Open incidents"`)
}

// runAllQueries runs every ClickHouse query of every dashboard with the
// given variables and time range, and checks each returns rows with the
// columns its panel needs; the queries named in mayBeEmpty may return none.
func runAllQueries(t *testing.T, conn driver.Conn, vars map[string]string, tr timeRange, mayBeEmpty ...string) {
	t.Helper()
	ctx := context.Background()
	var version string
	if err := conn.QueryRow(ctx, "SELECT version()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	t.Logf("ClickHouse %s", version)
	ran := 0
	for _, d := range loadDashboards(t) {
		for _, q := range queries(d) {
			if q.Kind != "clickhouse" {
				continue
			}
			ran++
			t.Run(q.Where, func(t *testing.T) {
				sql, err := expandVars(q.SQL, vars)
				if err != nil {
					t.Fatal(err)
				}
				if sql, err = expandMacros(sql, tr); err != nil {
					t.Fatal(err)
				}
				rows, err := conn.Query(ctx, sql)
				if err != nil {
					t.Fatalf("query failed on ClickHouse %s: %v\n%s", version, err, sql)
				}
				defer rows.Close()
				names := rows.Columns()
				var types []string
				for _, ct := range rows.ColumnTypes() {
					types = append(types, ct.DatabaseTypeName())
				}
				for _, p := range columnProblems(q.Use, names, types) {
					t.Errorf("%s (columns %v, types %v)", p, names, types)
				}
				n := 0
				for rows.Next() {
					n++
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				if n == 0 && !slices.Contains(mayBeEmpty, q.Where) {
					t.Errorf("no rows: the query filters out everything\n%s", sql)
				}
			})
		}
	}
	if ran == 0 {
		t.Fatal("no ClickHouse query found")
	}
}

// TestOpenIncidentsPanel checks one panel's content, not only its shape:
// the overview lists exactly the incidents whose latest version is open.
func TestOpenIncidentsPanel(t *testing.T) {
	srv, db := loadFixture(t)
	conn := srv.Conn(t, db)
	var sql string
	for _, d := range loadDashboards(t) {
		for _, q := range queries(d) {
			if strings.HasSuffix(q.Where, `panel "Open incidents"`) {
				sql = q.SQL
			}
		}
	}
	if sql == "" {
		t.Fatal("no Open incidents panel")
	}
	sql, err := expandMacros(sql, fixtureRange)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	entityCol := indexOf(rows.Columns(), "entity")
	var got []string
	for rows.Next() {
		vals := make([]any, len(rows.Columns()))
		for i, ct := range rows.ColumnTypes() {
			vals[i] = newScanValue(ct.ScanType())
		}
		if err := rows.Scan(vals...); err != nil {
			t.Fatal(err)
		}
		got = append(got, *(vals[entityCol].(*string)))
	}
	// The attacker's incident closed (version 4 of 4); the partner
	// organisation's is still open.
	if len(got) != 1 || got[0] != "partner-cap-emploi" {
		t.Errorf("open incidents = %v, want only partner-cap-emploi", got)
	}
}

// newScanValue returns a pointer to a new value of type t, for Scan.
func newScanValue(t reflect.Type) any { return reflect.New(t).Interface() }
