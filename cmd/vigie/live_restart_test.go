package main

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/sink/chtest"
)

// TestLiveKillAndRestart SIGKILLs a `vigie run` process mid-stream and
// restarts it in the same consumer group, without a state directory:
//
//   - at the kill, ClickHouse holds every output the detector had produced
//     from the records up to the committed offset (offsets are committed
//     only after the sinks wrote);
//   - after the restart, the group has consumed everything, no alert is
//     duplicated under FINAL, the bulk extraction alert survived, and every
//     window holds exactly its records from the committed offset on, so
//     none was skipped or counted twice.
//
// What is lost is only the detector's memory at the kill: the records of
// the windows still open, and the baselines (the restarted detector is in
// warmup again). The test logs that loss; restoring state from a snapshot
// (--state-dir) is what removes it.
//
// With --state-dir the snapshot restores that memory, and the outputs must
// be exactly an uninterrupted run's.
func TestLiveKillAndRestart(t *testing.T) {
	bin := buildVigie(t)
	t.Run("no state", func(t *testing.T) { testKillAndRestart(t, bin, false) })
	t.Run("state dir", func(t *testing.T) { testKillAndRestart(t, bin, true) })
}

func testKillAndRestart(t *testing.T, bin string, state bool) {
	sc := smallScenario(t)
	b := startLiveBroker(t, liveTopic)
	s := chtest.Start(t)
	db := s.NewDatabase(t)
	cfg := detector.DefaultConfig()
	full := referenceRun(t, cfg, sc.lines, true)

	// Phase 1 ends an hour after the first bulk extraction alert fired.
	var firstBulk time.Time
	for _, a := range full.alerts {
		if slices.Contains(sc.bulk, a.Entity) && (firstBulk.IsZero() || a.FiredAt.Before(firstBulk)) {
			firstBulk = a.FiredAt
		}
	}
	if firstBulk.IsZero() {
		t.Fatal("the in-process run raised no bulk extraction alert")
	}
	recs := decodeAll(t, sc.lines)
	k := slices.IndexFunc(recs, func(r ingest.Event) bool { return r.TS > firstBulk.Add(time.Hour).UnixMilli() })
	n := len(sc.lines)

	args := []string{"run", "--brokers", strings.Join(b.Addrs(), ","), "--topic", liveTopic, "--group", "crash",
		"--clickhouse", s.DSN(db), "--clickhouse-database", db, "--metrics-addr", "",
		"--batch-size", "500", "--batch-wait", "20ms", "--kafka-max-wait", "100ms", "--idle-timeout", "1m",
		"--kafka-session-timeout", "6s", "--kafka-rebalance-timeout", "6s",
		"--log-level", "warn"}
	if state {
		args = append(args, "--state-dir", t.TempDir(), "--snapshot-interval", "100ms")
	}
	var stderr bytes.Buffer
	first := exec.Command(bin, args...)
	first.Stderr = &stderr
	produceLines(t, b.Addrs(), liveTopic, sc.lines[:k])
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = first.Process.Kill(); _ = first.Wait() })
	if !waitFor(15*time.Second, func() bool { return committedOffset(t, b.Addrs(), "crash", liveTopic) == int64(k) }) {
		t.Fatalf("the first process did not commit the %d records of phase 1; stderr:\n%s", k, stderr.String())
	}
	// Phase 2: the rest, and SIGKILL as soon as a commit moved past phase 1.
	produceLines(t, b.Addrs(), liveTopic, sc.lines[k:])
	if !waitFor(15*time.Second, func() bool { return committedOffset(t, b.Addrs(), "crash", liveTopic) > int64(k) }) {
		t.Fatalf("the first process committed nothing of phase 2; stderr:\n%s", stderr.String())
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	c := int(committedOffset(t, b.Addrs(), "crash", liveTopic))
	if c >= n {
		t.Fatalf("the first process had committed all %d records before it was killed: not mid-stream", n)
	}
	t.Logf("killed at committed offset %d of %d (phase 1: %d)", c, n, k)

	// Offsets are committed only after the sinks wrote: everything the
	// detector had emitted from the first c records is in ClickHouse.
	atKill := referenceRun(t, cfg, sc.lines[:c], false)
	gotAlerts := readAlerts(t, s, db)
	if missing, _ := diffAlerts(atKill.alertKeys(), gotAlerts); len(missing) > 0 {
		t.Errorf("alerts of committed records missing from ClickHouse after the kill:\n  %s", joinAlerts(missing))
	}
	gotWindows := readWindows(t, s, db)
	for w, events := range atKill.windows {
		if gotWindows[w] != events {
			t.Errorf("window %v closed by committed records holds %d events in ClickHouse after the kill, want %d", w, gotWindows[w], events)
		}
	}

	// Restart in the same group; it stops once the topic is drained.
	second := exec.Command(bin, append(args, "--exit-when-idle", "1500ms")...)
	stderr.Reset()
	second.Stderr = &stderr
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- second.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("restarted process: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(25 * time.Second):
		_ = second.Process.Kill()
		<-exited
		t.Fatalf("the restarted process did not stop when idle; stderr:\n%s", stderr.String())
	}
	if off := committedOffset(t, b.Addrs(), "crash", liveTopic); off != int64(n) {
		t.Errorf("after the restart the committed offset is %d, want %d", off, n)
	}

	// Alerts: nothing duplicated, nothing committed lost, the bulk
	// extraction alert kept.
	gotAlerts = readAlerts(t, s, db)
	if u := countRows(t, s, db, "SELECT uniqExact(alert_id) FROM "+db+".alerts FINAL"); u != uint64(len(gotAlerts)) {
		t.Errorf("%d alert rows under FINAL for %d alert ids: duplicated", len(gotAlerts), u)
	}
	if missing, _ := diffAlerts(atKill.alertKeys(), gotAlerts); len(missing) > 0 {
		t.Errorf("alerts of committed records lost after the restart:\n  %s", joinAlerts(missing))
	}
	if !slices.ContainsFunc(gotAlerts, func(a chAlert) bool { return slices.Contains(sc.bulk, a.Entity) }) {
		t.Errorf("no bulk extraction alert (accounts %v) in ClickHouse", sc.bulk)
	}
	if missing, extra := diffAlerts(full.alertKeys(), gotAlerts); len(missing)+len(extra) > 0 && state {
		t.Errorf("with --state-dir, the alerts differ from an uninterrupted run's\nmissing:\n  %s\nextra:\n  %s", joinAlerts(missing), joinAlerts(extra))
	} else if len(missing)+len(extra) > 0 {
		t.Logf("KNOWN GAP without --state-dir: the restarted detector lost its baselines (warmup again), so the alerts differ from an uninterrupted run's\nmissing:\n  %s\nextra:\n  %s",
			joinAlerts(missing), joinAlerts(extra))
	}

	// Windows: with a state directory each holds all its records. Without,
	// each holds exactly its records from offset c on, unless the first
	// process had closed and committed it; the records before c of the
	// windows still open at the kill are the detector memory lost.
	before := recordsPerWindow(t, cfg, recs[:c])
	gotWindows = readWindows(t, s, db)
	var lost int64
	for w, events := range full.windows {
		want := events
		if _, closed := atKill.windows[w]; !closed && !state {
			want -= before[w]
			if w.EntityType == detector.EntityAccount && w.Resolution == "hour" {
				lost += before[w]
			}
		}
		if gotWindows[w] != want {
			// Without state a window closed by records the first
			// process observed and wrote after its last commit (sinks
			// write before the commit; the kill can fall in between)
			// holds all its records from that write.
			if !state && gotWindows[w] == events {
				t.Logf("window %v written whole by the first process after its last commit", w)
				continue
			}
			t.Errorf("window %v holds %d events, want %d (of %d; %d before the committed offset)", w, gotWindows[w], want, events, before[w])
		}
	}
	for w := range gotWindows {
		if _, ok := full.windows[w]; !ok {
			t.Errorf("window %v in ClickHouse is not one of an uninterrupted run", w)
		}
	}
	if lost > 0 {
		t.Logf("KNOWN GAP without --state-dir: %d committed records were only in open hour windows at the kill and are missing from the account hour totals (%d of %d)",
			lost, sumEvents(gotWindows, detector.EntityAccount, "hour"), n)
	}
}

// decodeAll decodes every line.
func decodeAll(t *testing.T, lines [][]byte) []ingest.Event {
	t.Helper()
	dec := ingest.NewDecoder(ingest.FormatJSON, ingest.DefaultFieldMap())
	out := make([]ingest.Event, len(lines))
	for i, l := range lines {
		if err := dec.Decode(l, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// recordsPerWindow counts records per account and org window, hour and
// day, in cfg's time zone (whole-hour offsets, so hours start on UTC hours).
func recordsPerWindow(t *testing.T, cfg detector.Config, recs []ingest.Event) map[windowKey]int64 {
	t.Helper()
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	out := map[windowKey]int64{}
	for _, r := range recs {
		ts := time.UnixMilli(r.TS).In(loc)
		hour := ts.Truncate(time.Hour).Unix()
		day := time.Date(ts.Year(), ts.Month(), ts.Day(), 0, 0, 0, 0, loc).Unix()
		for _, e := range [][2]string{{detector.EntityAccount, r.Account}, {detector.EntityOrg, r.Org}} {
			if e[1] == "" {
				continue
			}
			out[windowKey{e[0], e[1], "hour", hour}]++
			out[windowKey{e[0], e[1], "day", day}]++
		}
	}
	return out
}
