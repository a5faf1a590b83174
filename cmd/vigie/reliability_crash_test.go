package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/sink/chtest"
)

// The queries that define "the same outputs": every table read with FINAL,
// every column that the detector computes.
const (
	qAlerts = `SELECT alert_id, incident_id, kind, fired_at, entity_type, entity, detector, resolution,
		window_start, window_end, observed, expected, threshold, score, severity FROM alerts FINAL`
	qWindows = `SELECT entity_type, resolution, count(), sum(events), sum(cityHash64(entity, window_start, events, observed, expected, score, distinct, alerted))
		FROM windows FINAL GROUP BY entity_type, resolution`
	qIncidents = `SELECT incident_id, version, status, entity, opened_at, updated_at, closed_at, records, peak_score, alerts FROM incidents FINAL`
)

// compareOutputs fails the test when db's alerts, windows or incidents
// differ from ref's.
func compareOutputs(t *testing.T, s *chtest.Server, ref, db string) (alerts int) {
	t.Helper()
	for _, q := range []struct{ name, sql string }{{"alerts", qAlerts}, {"windows", qWindows}, {"incidents", qIncidents}} {
		want, got := queryRows(t, s, ref, q.sql), queryRows(t, s, db, q.sql)
		if len(want) == 0 {
			t.Fatalf("the reference run wrote no %s", q.name)
		}
		if d := diffRows(want, got); d != "" {
			t.Errorf("%s differ from the uninterrupted run: %s", q.name, d)
		}
		if q.name == "alerts" {
			alerts = len(want)
		}
	}
	return alerts
}

// TestCrashRestartSameOutputs kills `vigie run --state-dir` with SIGKILL at
// random points and restarts it; the alerts, windows and incidents in
// ClickHouse must be exactly those of an uninterrupted run.
func TestCrashRestartSameOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("several vigie processes; not in -short")
	}
	s := chtest.Start(t)
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("VIGIE_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("kill schedule seed %d (VIGIE_CRASH_SEED=%d reproduces it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	lines := relScenario(t, 150, 14, 120)
	const topic = "access"
	b := relBroker(t, topic, 1)
	relProduce(t, b.Addrs(), topic, lines)

	// The reference: one uninterrupted run, with a state directory too so
	// the same code path runs.
	ref := s.NewDatabase(t)
	p := startVigie(t, runArgs(b.Addrs(), topic, "ref", s, ref, "--state-dir", relStateDir(t))...)
	p.wait(t, 2*time.Minute)

	db := s.NewDatabase(t)
	dir := relStateDir(t)
	args := runArgs(b.Addrs(), topic, "crashy", s, db, "--state-dir", dir,
		"--snapshot-interval", "30ms", "--batch-size", "1000", "--batch-wait", "20ms")
	statePath := filepath.Join(dir, stateFile)
	kills := 0
	var outputs strings.Builder // of the runs after the first, killed between snapshot and commit
	for run := 0; ; run++ {
		started := time.Now()
		var env []string
		if run <= 1 {
			// The first two runs crash exactly between a snapshot and its
			// commit, after the first and after a random one of the next
			// few snapshots holding records: Kafka re-delivers records
			// the snapshot holds; they must be skipped. Dying at a
			// snapshot, not after a wall-clock delay, leaves records for
			// the next run however fast this machine consumes them (a
			// first run killed after a random delay had sometimes read
			// the whole topic, and nothing was re-delivered).
			env = []string{killAfterSnapshotEnv + "=" + strconv.Itoa(1+run*rng.IntN(4))}
		}
		p := startVigieEnv(t, env, args...)
		if env != nil {
			// It kills itself after its Nth snapshot.
			select {
			case err := <-p.done:
				p.done <- err
				if !p.cmd.ProcessState.Sys().(syscall.WaitStatus).Signaled() {
					t.Fatalf("run %d, meant to die after a snapshot, ended on its own (%v): too few records; output:\n%s", run, err, tailString(p.out.String(), 3000))
				}
			case <-time.After(time.Minute):
				t.Fatalf("the run meant to die after a snapshot did not; output:\n%s", tailString(p.out.String(), 3000))
			}
			if run > 0 {
				outputs.WriteString(p.out.String())
			}
			kills++
			t.Logf("run %d: killed itself between a snapshot and its commit (%v)", run, env)
			continue
		}
		if kills < 5 {
			// Kill at a random point once this process made progress
			// (wrote a snapshot), so every run consumes something.
			for !p.exited() && time.Since(started) < time.Minute {
				if st, err := os.Stat(statePath); err == nil && st.ModTime().After(started) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
			if !p.exited() {
				p.kill()
				kills++
				t.Logf("run %d: SIGKILL (env %v)", run, env)
				outputs.WriteString(p.out.String())
				if testing.Verbose() {
					t.Logf("output:\n%s", tailString(p.out.String(), 1500))
				}
				continue
			}
		}
		p.wait(t, 2*time.Minute)
		t.Logf("run %d: finished after %d kills", run, kills)
		if testing.Verbose() {
			t.Logf("output of the last run:\n%s", tailString(p.out.String(), 3000))
		}
		outputs.WriteString(p.out.String())
		break
	}
	if !strings.Contains(outputs.String(), "skipping records re-delivered") {
		t.Errorf("no run skipped re-delivered records although one was killed between snapshot and commit")
	}
	if kills < 2 {
		t.Fatalf("only %d kills landed before the run finished: the workload is too small to test anything", kills)
	}
	n := compareOutputs(t, s, ref, db)
	t.Logf("%d alerts, windows and incidents identical after %d kills", n, kills)
}
