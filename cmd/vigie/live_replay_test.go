package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// TestLiveMatchesReplay runs the same events through `vigie replay` (a file)
// and `vigie run` (one Kafka partition): the alerts, incidents and windows
// must be the same, byte for byte.
func TestLiveMatchesReplay(t *testing.T) {
	sc := smallScenario(t)
	dir := t.TempDir()
	events := filepath.Join(dir, "events.jsonl")
	if err := os.WriteFile(events, sc.data, 0o644); err != nil {
		t.Fatal(err)
	}
	outputs := []string{"alerts", "incidents", "windows"}
	setPaths := func(o *outputFlags, prefix string) {
		o.jsonl.Alerts = filepath.Join(dir, prefix+".alerts.jsonl")
		o.jsonl.Incidents = filepath.Join(dir, prefix+".incidents.jsonl")
		o.jsonl.Windows = filepath.Join(dir, prefix+".windows.jsonl")
		o.jsonl.AlertFormat = "native"
		o.jsonl.Truncate = true
	}

	rf := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig()}
	rf.logs = logFlags{level: "warn", format: "text"}
	setPaths(&rf.out, "replay")
	if err := runReplay(context.Background(), rf, []string{events}); err != nil {
		t.Fatalf("replay: %v", err)
	}

	b := startLiveBroker(t, liveTopic)
	produceLines(t, b.Addrs(), liveTopic, sc.lines)
	lf := liveFlags(b.Addrs(), liveTopic, "same-as-replay")
	// The run stops before the idle timeout would advance event time by
	// the wall clock, which a replay never does.
	if lf.live.ExitWhenIdle >= lf.live.IdleTimeout {
		t.Fatalf("exit-when-idle %s must be shorter than idle-timeout %s", lf.live.ExitWhenIdle, lf.live.IdleTimeout)
	}
	setPaths(&lf.out, "live")
	if err := runLiveTimeout(t, context.Background(), lf, 20*time.Second, nil); err != nil {
		t.Fatalf("run: %v", err)
	}

	for _, name := range outputs {
		replay, err := os.ReadFile(filepath.Join(dir, "replay."+name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		live, err := os.ReadFile(filepath.Join(dir, "live."+name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if len(replay) == 0 {
			t.Errorf("replay wrote no %s", name)
		}
		if !bytes.Equal(replay, live) {
			t.Errorf("%s differ between replay (%d lines) and run (%d lines); first difference:\n%s",
				name, bytes.Count(replay, []byte("\n")), bytes.Count(live, []byte("\n")), firstDiff(string(replay), string(live)))
		}
	}
}

// firstDiff shows the first differing line of two JSON lines documents.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  replay: %s\n  run:    %s", i+1, x, y)
		}
	}
	return "(none)"
}

// TestLiveInfersFieldNames runs a topic whose records name their fields
// their own way through `vigie run`: the first batch maps them, and the
// alerts and windows are those of replay on Vigie's own names.
func TestLiveInfersFieldNames(t *testing.T) {
	sc := smallScenario(t)
	want := replayOne(t, sc.data, func(*replayFlags) {})
	lines := make([][]byte, len(sc.lines))
	for i, l := range sc.lines {
		lines[i] = []byte(foreignNames.Replace(string(l)))
	}
	b := startLiveBroker(t, liveTopic)
	produceLines(t, b.Addrs(), liveTopic, lines)
	lf := liveFlags(b.Addrs(), liveTopic, "renamed")
	lf.infer = true
	dir := t.TempDir()
	lf.out.jsonl.Alerts, lf.out.jsonl.Windows = filepath.Join(dir, "live.alerts.jsonl"), filepath.Join(dir, "live.windows.jsonl")
	lf.out.jsonl.DeadLetters = filepath.Join(dir, "live.dead.jsonl")
	if err := runLiveTimeout(t, context.Background(), lf, 20*time.Second, nil); err != nil {
		t.Fatalf("run: %v", err)
	}
	if dead, _ := os.ReadFile(lf.out.jsonl.DeadLetters); len(dead) > 0 {
		t.Fatalf("dead letters from the renamed topic:\n%.300s", dead)
	}
	for _, name := range []string{"alerts", "windows"} {
		got, err := os.ReadFile(filepath.Join(dir, "live."+name+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if len(want[name]) == 0 || !bytes.Equal(got, want[name]) {
			t.Errorf("%s of the renamed topic differ from replay's (%d bytes, want %d)", name, len(got), len(want[name]))
		}
	}
}
