package sink_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/sink"
	"github.com/vigie/vigie/sink/chtest"
	"github.com/vigie/vigie/sink/report"
)

// readerFixture writes the report fixture through the ClickHouse sink, twice
// (as at-least-once delivery may), and returns a reader on it and the
// in-memory source over the same data.
func readerFixture(t *testing.T) (*sink.ClickHouseReader, *report.Memory) {
	t.Helper()
	srv := chtest.Start(t)
	db := srv.NewDatabase(t)
	dir := "report/testdata/"
	b, err := report.ReadFiles(dir+"alerts.jsonl", dir+"windows.jsonl", dir+"incidents.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ch, err := sink.OpenClickHouse(ctx, sink.ClickHouseConfig{DSN: srv.DSN(db), Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if err := ch.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := ch.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	r, err := sink.OpenClickHouseReader(ctx, srv.DSN(db), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r, report.NewMemory(b)
}

func TestClickHouseReader(t *testing.T) {
	ch, mem := readerFixture(t)
	ctx := context.Background()
	from := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	to := from.Add(72 * time.Hour)
	const attacker, org = "svc.capemploi.03", "partner-cap-emploi"

	inc, err := ch.Incident(ctx, "inc-7d1c0e5a")
	if err != nil {
		t.Fatal(err)
	}
	if inc.Version != 4 || inc.Status != "closed" || inc.Records != 40500 || inc.Alerts != 3 {
		t.Errorf("incident = %+v, want version 4, closed, 40500 records, 3 alerts", inc)
	}
	open, err := ch.Incident(ctx, "inc-40b2f9c1")
	if err != nil {
		t.Fatal(err)
	}
	if !open.ClosedAt.IsZero() {
		t.Errorf("open incident's closed_at = %v, want the zero time", open.ClosedAt)
	}
	if _, err := ch.Incident(ctx, "inc-missing"); !errors.Is(err, sink.ErrNotFound) {
		t.Errorf("missing incident: err = %v, want ErrNotFound", err)
	}

	// Every read must agree with the in-memory source over the same data,
	// duplicates included: ClickHouse collapses them with FINAL.
	for _, tc := range []struct {
		name string
		read func(report.Source) (any, error)
		n    int
	}{
		{"incident", func(s report.Source) (any, error) { return s.Incident(ctx, "inc-7d1c0e5a") }, -1},
		{"incident alerts", func(s report.Source) (any, error) { return s.IncidentAlerts(ctx, "inc-7d1c0e5a") }, 3},
		{"entity alerts", func(s report.Source) (any, error) {
			return s.EntityAlerts(ctx, detector.EntityAccount, attacker, from, to)
		}, 3},
		{"entity incidents", func(s report.Source) (any, error) {
			return s.EntityIncidents(ctx, detector.EntityAccount, attacker, from, to)
		}, 1},
		{"entity windows", func(s report.Source) (any, error) {
			return s.EntityWindows(ctx, detector.EntityAccount, attacker, "hour", from, to)
		}, 72},
		{"day windows", func(s report.Source) (any, error) {
			return s.EntityWindows(ctx, detector.EntityAccount, attacker, "day", from, to)
		}, 3},
		{"peer windows", func(s report.Source) (any, error) {
			return s.PeerWindows(ctx, org, attacker, "hour", from, from.Add(24*time.Hour))
		}, 4 * 24},
		{"org", func(s report.Source) (any, error) { return s.EntityOrg(ctx, detector.EntityAccount, attacker) }, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(ch)
			if err != nil {
				t.Fatal(err)
			}
			want, err := tc.read(mem)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ClickHouse returned\n%+v\nmemory returned\n%+v", got, want)
			}
			if tc.n >= 0 {
				if n := reflect.ValueOf(got).Len(); n != tc.n {
					t.Errorf("%d rows, want %d", n, tc.n)
				}
			}
		})
	}
}

// TestReportFromClickHouse builds the same incident report from ClickHouse
// and from memory: the pages must be identical.
func TestReportFromClickHouse(t *testing.T) {
	ch, mem := readerFixture(t)
	now := time.Date(2024, 3, 8, 0, 0, 0, 0, time.UTC)
	var pages [2]bytes.Buffer
	for i, src := range []report.Source{ch, mem} {
		r, err := report.Build(context.Background(), src, report.Request{IncidentID: "inc-7d1c0e5a"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Render(&pages[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(pages[0].Bytes(), pages[1].Bytes()) {
		t.Error("the report from ClickHouse differs from the report from the same data in memory")
	}
}

func TestClickHouseReaderRejectsBadDatabase(t *testing.T) {
	if _, err := sink.NewClickHouseReader(nil, "vigie; DROP TABLE x"); err == nil {
		t.Error("NewClickHouseReader accepted a database name that is not an identifier")
	}
}
