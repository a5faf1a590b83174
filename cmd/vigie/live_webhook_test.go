package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/sink"
)

// TestLiveWebhookFeed runs vigie run with --webhook-url pointing at a server
// that fails its first requests: every alert the detector raised must
// arrive (retries, not drops), with the bearer token, and the consumer
// commits everything once delivered.
func TestLiveWebhookFeed(t *testing.T) {
	sc := smallScenario(t)
	b := startLiveBroker(t, "logs-webhook")
	produceLines(t, b.Addrs(), "logs-webhook", sc.lines)

	var (
		mu       sync.Mutex
		failures = 3
		got      []string
		badAuth  int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer t0ken" {
			badAuth++
		}
		if failures > 0 {
			failures--
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var a struct {
			AlertID string `json:"alert_id"`
		}
		if err := json.Unmarshal(body, &a); err != nil || a.AlertID == "" {
			t.Errorf("webhook body %q is not an alert: %v", body, err)
		}
		got = append(got, a.AlertID)
	}))
	defer srv.Close()

	f := liveFlags(b.Addrs(), "logs-webhook", "webhook")
	f.out.jsonl.Alerts = filepath.Join(t.TempDir(), "alerts.jsonl")
	f.feed.webhook = sink.WebhookConfig{URL: srv.URL, Token: "t0ken", Timeout: 5 * time.Second,
		RetryPolicy: sink.RetryPolicy{Retries: 5, Backoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}, Format: "native"}
	var want []string
	if err := runLiveTimeout(t, context.Background(), f, 30*time.Second, nil); err != nil {
		t.Fatalf("runLive: %v", err)
	}
	ref := referenceRun(t, f.det, sc.lines, true)
	for _, a := range ref.alerts {
		want = append(want, a.AlertID)
	}
	if len(want) == 0 {
		t.Fatal("the scenario raised no alert: nothing to deliver")
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(got)
	got = slices.Compact(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("webhook received %d distinct alerts, want the %d the detector raised", len(got), len(want))
	}
	if badAuth > 0 {
		t.Errorf("%d requests lacked the bearer token", badAuth)
	}
	if off := committedOffset(t, b.Addrs(), "webhook", "logs-webhook"); off != int64(len(sc.lines)) {
		t.Errorf("committed offset = %d, want %d", off, len(sc.lines))
	}
}
