package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigie/vigie/sink/chtest"
)

// TestLiveIdleTimeoutClosesWindow sends events up to two seconds before the
// end of an hour, then nothing: with a short idle timeout the wall clock
// advances event time, so the hour window reaches ClickHouse while the
// consumer still runs and no further record came; the day window, still
// open, does not.
func TestLiveIdleTimeoutClosesWindow(t *testing.T) {
	b := startLiveBroker(t, liveTopic)
	// 2024-03-04 10:10:00 to 10:59:58 in Europe/Paris (UTC+1).
	hour := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	const events = 20
	var lines [][]byte
	for i := range events {
		ts := hour.Add(10*time.Minute + time.Duration(i)*(49*time.Minute+58*time.Second)/(events-1))
		lines = append(lines, fmt.Appendf(nil, `{"ts":%q,"account":"idle-a","org":"org-i","role":"advisor","action":"read","records":3}`, ts.Format(time.RFC3339)))
	}

	f := liveFlags(b.Addrs(), liveTopic, "idle")
	f.live.ExitWhenIdle = 0
	f.live.IdleTimeout = 500 * time.Millisecond
	f.det.Lateness = time.Second
	s, db := withClickHouse(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runLive(ctx, f, nil) }()
	produceLines(t, b.Addrs(), liveTopic, lines)
	produced := time.Now()

	hourKey := windowKey{"account", "idle-a", "hour", hour.Unix()}
	dayKey := windowKey{"account", "idle-a", "day", time.Date(2024, 3, 3, 23, 0, 0, 0, time.UTC).Unix()}
	var ws map[windowKey]int64
	// The hour ends 2 s after the last event and the lateness is 1 s: the
	// window may close once the stream was idle for 3 s.
	if !waitFor(15*time.Second, func() bool {
		if !tableExists(t, s, db, "windows") {
			return false
		}
		ws = readWindows(t, s, db)
		return ws[hourKey] > 0
	}) {
		t.Fatalf("the hour window of the idle stream was not written while the consumer ran; windows: %v", ws)
	}
	if since := time.Since(produced); since < 2500*time.Millisecond {
		t.Errorf("the hour window closed %s after the last record was produced: before event time could pass its end plus the lateness", since)
	}
	if ws[hourKey] != events {
		t.Errorf("hour window holds %d events, want %d", ws[hourKey], events)
	}
	if _, ok := ws[dayKey]; ok {
		t.Errorf("the day window was written while the day is not over")
	}
	if off := committedOffset(t, b.Addrs(), "idle", liveTopic); off != events {
		t.Errorf("committed offset = %d, want %d", off, events)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("runLive: %v", err)
	}
	// A stop without a state directory closes the day too.
	if ws = readWindows(t, s, db); ws[dayKey] != events {
		t.Errorf("after the stop, the day window holds %d events, want %d", ws[dayKey], events)
	}
}

// tableExists reports whether db.table exists yet (runLive creates it).
func tableExists(t *testing.T, s *chtest.Server, db, table string) bool {
	t.Helper()
	return countRows(t, s, db, fmt.Sprintf("SELECT count() FROM system.tables WHERE database = '%s' AND name = '%s'", db, table)) == 1
}
