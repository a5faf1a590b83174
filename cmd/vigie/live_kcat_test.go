package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector/eval"
	"github.com/vigie/vigie/sink"
)

// liveKcat returns the kcat binary: a missing kcat skips the test, except
// in CI where it fails it.
func liveKcat(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("kcat is required in CI (apt-get install kcat): %v", err)
		}
		t.Skipf("kcat not installed: %v", err)
	}
	return path
}

// TestLiveKcatInterop has kcat (librdkafka, an independent client) produce
// the access logs that `vigie run` consumes; when the SOC feed is wired, kcat
// also reads the alerts topic back and the alerts parse as JSON.
func TestLiveKcatInterop(t *testing.T) {
	kcat := liveKcat(t)
	sc := smallScenario(t)
	const alertsTopic = "alerts"
	b := startLiveBroker(t, liveTopic, alertsTopic)
	brokers := strings.Join(b.Addrs(), ",")
	events := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(events, sc.data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, kcat, "-b", brokers, "-t", liveTopic, "-P", "-l", events).CombinedOutput(); err != nil {
		t.Fatalf("kcat -P: %v\n%s", err, out)
	}

	f := liveFlags(b.Addrs(), liveTopic, "kcat")
	f.out.jsonl.Alerts = filepath.Join(t.TempDir(), "alerts.jsonl")
	f.feed.kafka = sink.KafkaSinkConfig{Topic: alertsTopic, Format: "native", Timeout: 10 * time.Second,
		RetryPolicy: sink.RetryPolicy{Retries: 3, Backoff: 100 * time.Millisecond, MaxBackoff: time.Second}}
	if err := runLiveTimeout(t, ctx, f, 20*time.Second, nil); err != nil {
		t.Fatalf("runLive: %v", err)
	}
	if off := committedOffset(t, b.Addrs(), "kcat", liveTopic); off != int64(len(sc.lines)) {
		t.Errorf("committed offset = %d, want the %d records kcat produced", off, len(sc.lines))
	}
	af, err := os.Open(f.out.jsonl.Alerts)
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	got, err := eval.ReadAlerts(af)
	if err != nil {
		t.Fatal(err)
	}
	ref := referenceRun(t, f.det, sc.lines, true)
	keys := make([]chAlert, len(got))
	for i := range got {
		keys[i] = alertKey(&got[i])
	}
	slices.SortFunc(keys, func(a, b chAlert) int { return strings.Compare(a.AlertID, b.AlertID) })
	if missing, extra := diffAlerts(ref.alertKeys(), keys); len(missing)+len(extra) > 0 {
		t.Errorf("alerts of the kcat-produced stream differ from the in-process run\nmissing:\n  %s\nextra:\n  %s", joinAlerts(missing), joinAlerts(extra))
	}

	// The SOC feed: alerts published to a topic that kcat reads back.
	out, err := exec.CommandContext(ctx, kcat, "-b", brokers, "-t", alertsTopic, "-C", "-e", "-q", "-o", "beginning").Output()
	if err != nil {
		t.Fatalf("kcat -C: %v", err)
	}
	msgs := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	if len(bytes.TrimSpace(out)) == 0 {
		msgs = nil
	}
	if len(msgs) != len(ref.alerts) {
		t.Errorf("kcat read %d messages from %s, want %d alerts", len(msgs), alertsTopic, len(ref.alerts))
	}
	for _, m := range msgs {
		var v map[string]any
		if err := json.Unmarshal(m, &v); err != nil {
			t.Errorf("alert message %q is not a JSON object: %v", m, err)
		}
	}
	if !slices.ContainsFunc(sc.bulk, func(acct string) bool { return bytes.Contains(out, []byte(`"`+acct+`"`)) }) {
		t.Errorf("no alert of the alerts topic names a bulk extraction account %v", sc.bulk)
	}
}
