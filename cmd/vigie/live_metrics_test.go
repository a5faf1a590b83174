package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a 127.0.0.1 address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// scrape reads /metrics into series (name with its labels, as exposed) →
// value.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func httpGet(addr, path string) (int, string, error) {
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestLiveMetrics scrapes /metrics, /healthz and /readyz of a running
// consumer: the counters match what it consumed and detected.
func TestLiveMetrics(t *testing.T) {
	sc := smallScenario(t)
	b := startLiveBroker(t, liveTopic)
	input := slices.Concat(sc.lines, [][]byte{[]byte(`{"account":`)})
	produceLines(t, b.Addrs(), liveTopic, input)

	f := liveFlags(b.Addrs(), liveTopic, "metrics")
	f.live.ExitWhenIdle = 0
	f.live.MetricsAddr = freeAddr(t)
	f.out.jsonl.Alerts = filepath.Join(t.TempDir(), "alerts.jsonl")
	f.out.jsonl.DeadLetters = filepath.Join(t.TempDir(), "dead-letters.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- runLive(ctx, f, nil) }()
	addr := f.live.MetricsAddr

	if !waitFor(10*time.Second, func() bool { code, _, _ := httpGet(addr, "/readyz"); return code == http.StatusOK }) {
		t.Fatalf("/readyz never answered 200 on %s", addr)
	}
	if code, body, err := httpGet(addr, "/healthz"); err != nil || code != http.StatusOK {
		t.Errorf("/healthz = %d %q %v, want 200", code, body, err)
	}
	n := float64(len(sc.lines))
	var m map[string]float64
	if !waitFor(15*time.Second, func() bool { m = scrape(t, addr); return m["vigie_events_total"] == n && m["vigie_kafka_lag"] == 0 }) {
		t.Fatalf("vigie_events_total = %v, vigie_kafka_lag = %v; want %v and 0", m["vigie_events_total"], m["vigie_kafka_lag"], n)
	}
	// Windows close and alerts are written batch by batch: wait for the
	// last batch's alerts, then compare with an in-process run of the
	// same events (the windows still open are not counted).
	ref := referenceRun(t, f.det, sc.lines, false)
	alerts := func(m map[string]float64) float64 {
		var s float64
		for k, v := range m {
			if strings.HasPrefix(k, "vigie_alerts_total{") {
				s += v
			}
		}
		return s
	}
	waitFor(5*time.Second, func() bool { m = scrape(t, addr); return alerts(m) == float64(len(ref.alerts)) })
	if got := alerts(m); got != float64(len(ref.alerts)) || got == 0 {
		t.Errorf("vigie_alerts_total sums to %v, want %d", got, len(ref.alerts))
	}
	for _, a := range ref.alerts {
		k := fmt.Sprintf(`vigie_alerts_total{detector=%q,severity=%q}`, a.Detector, a.Severity)
		if m[k] == 0 {
			t.Errorf("no series %s", k)
		}
	}
	want := map[string]float64{
		`vigie_decode_errors_total{reason="malformed_json"}`: 1,
		`vigie_dead_letters_total`:                           1,
		`vigie_late_events_total`:                            0,
		`vigie_excused_tests_total`:                          float64(ref.excused),
		`vigie_tracked_entities{type="account"}`:             float64(sc.labels.AccountCount),
		`vigie_tracked_entities{type="org"}`:                 10,
		`vigie_last_event_timestamp_seconds`:                 float64(ref.lastTS) / 1000,
	}
	for k, v := range want {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("%s = %v (present: %v), want %v", k, got, ok, v)
		}
	}
	for _, k := range []string{`vigie_sink_write_seconds_count{sink="jsonl"}`, `vigie_window_close_delay_seconds_count`, `go_goroutines`, `process_cpu_seconds_total`} {
		if m[k] == 0 {
			t.Errorf("%s missing or zero", k)
		}
	}
	if m[`vigie_sink_errors_total{sink="jsonl"}`] != 0 {
		t.Errorf("vigie_sink_errors_total = %v", m[`vigie_sink_errors_total{sink="jsonl"}`])
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("runLive: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("runLive did not stop after cancellation")
	}
	if _, _, err := httpGet(addr, "/healthz"); err == nil {
		t.Error("the metrics server still answers after runLive returned")
	}
}
