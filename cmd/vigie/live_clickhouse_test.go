package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
)

// sumEvents adds up the events of the windows of one entity type and
// resolution: every decoded event is in exactly one of them.
func sumEvents(ws map[windowKey]int64, entityType, resolution string) int64 {
	var n int64
	for k, v := range ws {
		if k.EntityType == entityType && k.Resolution == resolution {
			n += v
		}
	}
	return n
}

// TestLiveClickHouseCommit consumes a generated scenario over TCP, writes
// to the real ClickHouse and commits: ClickHouse then holds exactly the
// alerts of an in-process run, the bulk extraction among them, every good
// record is counted once in the windows, the bad ones are dead letters, and
// the group's offset covers every record.
func TestLiveClickHouseCommit(t *testing.T) {
	sc := smallScenario(t)
	b := startLiveBroker(t, liveTopic)
	// Two undecodable records in the middle of the stream.
	bad := [][]byte{[]byte(`not json`), []byte(`{"ts":"yesterday","account":"x"}`)}
	mid := len(sc.lines) / 2
	input := slices.Concat(sc.lines[:mid], bad[:1], sc.lines[mid:mid+10], bad[1:], sc.lines[mid+10:])
	produceLines(t, b.Addrs(), liveTopic, input)

	f := liveFlags(b.Addrs(), liveTopic, "commit")
	s, db := withClickHouse(t, f)
	var durable []chAlert
	if err := runLiveTimeout(t, context.Background(), f, 20*time.Second, func(a *detector.Alert) {
		durable = append(durable, alertKey(a))
	}); err != nil {
		t.Fatalf("runLive: %v", err)
	}

	ref := referenceRun(t, f.det, sc.lines, true)
	want := ref.alertKeys()
	got := readAlerts(t, s, db)
	if missing, extra := diffAlerts(want, got); len(missing)+len(extra) > 0 {
		t.Errorf("ClickHouse alerts differ from the in-process run\nmissing:\n  %s\nextra:\n  %s", joinAlerts(missing), joinAlerts(extra))
	}
	if len(durable) != len(want) {
		t.Errorf("onAlert saw %d alerts, want %d", len(durable), len(want))
	}
	var bulk []chAlert
	for _, a := range got {
		if slices.Contains(sc.bulk, a.Entity) {
			bulk = append(bulk, a)
		}
	}
	if len(bulk) == 0 {
		t.Errorf("no alert on the bulk extraction accounts %v; alerts:\n  %s", sc.bulk, joinAlerts(got))
	}
	if n := countRows(t, s, db, "SELECT count() FROM "+db+".alerts"); n != uint64(len(got)) {
		t.Errorf("%d alert rows before FINAL, %d after: one uninterrupted run wrote some twice", n, len(got))
	}

	ws := readWindows(t, s, db)
	for _, res := range []string{"hour", "day"} {
		if n := sumEvents(ws, "account", res); n != int64(len(sc.lines)) {
			t.Errorf("account %s windows hold %d events, want the %d good records", res, n, len(sc.lines))
		}
	}
	if n := countRows(t, s, db, "SELECT count() FROM "+db+".dead_letters"); n != uint64(len(bad)) {
		t.Errorf("%d dead letters, want %d", n, len(bad))
	}

	if off := committedOffset(t, b.Addrs(), "commit", liveTopic); off != int64(len(input)) {
		t.Errorf("committed offset = %d, want %d (every record)", off, len(input))
	}
	if left := remaining(t, b.Addrs(), liveTopic, "commit", time.Second); len(left) != 0 {
		t.Errorf("the group still has %d records to consume, from offset %d", len(left), left[0].Offset)
	}
}

// TestLiveGracefulShutdown cancels the run mid-stream, as SIGTERM does: it
// returns nil after writing and committing what it had consumed, so the
// group resumes exactly after the last processed record and ClickHouse holds
// the outputs of exactly those records.
func TestLiveGracefulShutdown(t *testing.T) {
	sc := smallScenario(t)
	b := startLiveBroker(t, liveTopic)
	produceLines(t, b.Addrs(), liveTopic, sc.lines)

	f := liveFlags(b.Addrs(), liveTopic, "graceful")
	f.live.ExitWhenIdle = 0 // only the cancellation stops it
	s, db := withClickHouse(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Stop at the first durable alert: a few days into the stream.
	if err := runLiveTimeout(t, ctx, f, 20*time.Second, func(*detector.Alert) { cancel() }); err != nil {
		t.Fatalf("runLive after cancellation: %v, want nil", err)
	}
	if ctx.Err() == nil {
		t.Fatal("runLive returned before it was cancelled")
	}

	c := committedOffset(t, b.Addrs(), "graceful", liveTopic)
	if c <= 0 || c >= int64(len(sc.lines)) {
		t.Fatalf("committed offset = %d, want one strictly inside (0, %d)", c, len(sc.lines))
	}
	left := remaining(t, b.Addrs(), liveTopic, "graceful", 2*time.Second)
	if len(left) != len(sc.lines)-int(c) {
		t.Errorf("a new consumer of the group found %d records, want the %d after the committed offset", len(left), len(sc.lines)-int(c))
	}
	if len(left) > 0 && left[0].Offset != c {
		t.Errorf("a new consumer of the group starts at offset %d, want %d", left[0].Offset, c)
	}

	// Without a state directory a stop closes every window, as the end of
	// a replay does: ClickHouse holds the outputs of the first c records.
	ref := referenceRun(t, f.det, sc.lines[:c], true)
	got := readAlerts(t, s, db)
	if missing, extra := diffAlerts(ref.alertKeys(), got); len(missing)+len(extra) > 0 {
		t.Errorf("ClickHouse alerts after the stop differ from the first %d records'\nmissing:\n  %s\nextra:\n  %s", c, joinAlerts(missing), joinAlerts(extra))
	}
	if len(got) == 0 {
		t.Error("no alert in ClickHouse")
	}
	ws := readWindows(t, s, db)
	if n := sumEvents(ws, "account", "day"); n != c {
		t.Errorf("account day windows hold %d events, want the %d consumed records", n, c)
	}
}
