package sink

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
)

// webhookServer answers with the given status codes in turn (the last one
// repeats) and records the requests.
type webhookServer struct {
	*httptest.Server
	mu       sync.Mutex
	codes    []int
	delay    time.Duration
	bodies   []string
	auths    []string
	alertIDs []string
}

func newWebhookServer(t *testing.T, delay time.Duration, codes ...int) *webhookServer {
	s := &webhookServer{codes: codes, delay: delay}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, string(body))
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.alertIDs = append(s.alertIDs, r.Header.Get("X-Vigie-Alert-Id"))
		code := s.codes[min(n, len(s.codes)-1)]
		s.mu.Unlock()
		if s.delay > 0 {
			select {
			case <-time.After(s.delay):
			case <-r.Context().Done():
			}
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *webhookServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// newTestWebhook builds a webhook whose retries wait no real time and
// record the delays they would have waited, without jitter.
func newTestWebhook(t *testing.T, cfg WebhookConfig) (*Webhook, *[]time.Duration) {
	t.Helper()
	w, err := NewWebhook(cfg)
	if err != nil {
		t.Fatalf("NewWebhook: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	var waits []time.Duration
	w.retry.jitter = func(d time.Duration) time.Duration { return d }
	w.retry.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return w, &waits
}

func TestWebhookRetriesThenSucceeds(t *testing.T) {
	srv := newWebhookServer(t, 0, 500, 502, 200)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("t0ken-xyz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, waits := newTestWebhook(t, WebhookConfig{URL: srv.URL, TokenFile: tokenFile, RetryPolicy: RetryPolicy{Retries: 3, Backoff: 100 * time.Millisecond, MaxBackoff: time.Second}})
	a := testAlert("acct-9", detector.SeverityHigh)
	if err := w.Write(context.Background(), &Batch{Alerts: []detector.Alert{a}}); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if n := srv.requests(); n != 3 {
		t.Fatalf("%d requests, want 3 (two 5xx then 200)", n)
	}
	if got := *waits; len(got) != 2 || got[0] != 100*time.Millisecond || got[1] != 200*time.Millisecond {
		t.Errorf("backoff waits = %v, want [100ms 200ms]", got)
	}
	for i, auth := range srv.auths {
		if auth != "Bearer t0ken-xyz" {
			t.Errorf("request %d: Authorization %q", i, auth)
		}
		if srv.alertIDs[i] != a.AlertID {
			t.Errorf("request %d: X-Vigie-Alert-Id %q", i, srv.alertIDs[i])
		}
	}
	var got detector.Alert
	if err := json.Unmarshal([]byte(srv.bodies[2]), &got); err != nil || got.AlertID != a.AlertID || got.Observed != a.Observed {
		t.Errorf("body %q is not the native alert: %v", srv.bodies[2], err)
	}
	if st := w.Stats(); st != (WebhookStats{Delivered: 1, Retries: 2}) {
		t.Errorf("Stats = %+v", st)
	}
}

func TestWebhookGivesUp(t *testing.T) {
	const token = "s3cret-bearer"
	tests := []struct {
		name      string
		codes     []int
		delay     time.Duration
		retries   int
		wantReqs  int
		wantError string
	}{
		{"5xx until the retries are spent", []int{503}, 0, 2, 3, "giving up after 3 attempts: POST: HTTP 503"},
		{"4xx is not retried", []int{400}, 0, 5, 1, "HTTP 400 (not retried)"},
		{"timeout", []int{200}, 2 * time.Second, 1, 2, "timed out after 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWebhookServer(t, tt.delay, tt.codes...)
			w, _ := newTestWebhook(t, WebhookConfig{URL: srv.URL, Token: token, RetryPolicy: RetryPolicy{Retries: tt.retries}, Timeout: 50 * time.Millisecond})
			b := &Batch{Alerts: []detector.Alert{testAlert("a1", "high"), testAlert("a2", "high")}}
			err := w.Write(context.Background(), b)
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Fatalf("Write = %v, want an error containing %q", err, tt.wantError)
			}
			if strings.Contains(err.Error(), token) {
				t.Fatalf("error leaks the token: %v", err)
			}
			if n := srv.requests(); n != tt.wantReqs {
				t.Errorf("%d requests, want %d (the second alert must not be sent)", n, tt.wantReqs)
			}
			if st := w.Stats(); st.Failed != 1 || st.Delivered != 0 {
				t.Errorf("Stats = %+v, want 1 failed", st)
			}
		})
	}
}

func TestWebhookOCSFFormat(t *testing.T) {
	srv := newWebhookServer(t, 0, 204)
	w, _ := newTestWebhook(t, WebhookConfig{URL: srv.URL, Format: "ocsf"})
	alerts := []detector.Alert{testAlert("a1", "low"), testAlert("a2", "critical")}
	if err := w.Write(context.Background(), &Batch{Alerts: alerts}); err != nil {
		t.Fatal(err)
	}
	if len(srv.bodies) != 2 {
		t.Fatalf("%d requests, want one per alert", len(srv.bodies))
	}
	for i, body := range srv.bodies {
		var f struct {
			ClassUID    int                  `json:"class_uid"`
			FindingInfo struct{ UID string } `json:"finding_info"`
		}
		if err := json.Unmarshal([]byte(body), &f); err != nil || f.ClassUID != 2004 || f.FindingInfo.UID != alerts[i].AlertID {
			t.Errorf("body %d = %s (%v)", i, body, err)
		}
		if srv.auths[i] != "" {
			t.Errorf("Authorization sent without a token: %q", srv.auths[i])
		}
	}
}

func TestWebhookConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  WebhookConfig
		want string
	}{
		{"ok", WebhookConfig{URL: "https://soar.example/hook"}, ""},
		{"no url", WebhookConfig{}, "webhook-url: required"},
		{"relative url", WebhookConfig{URL: "/hook"}, "webhook-url: not an absolute"},
		{"ftp", WebhookConfig{URL: "ftp://user:pw@host/x"}, "webhook-url: not an absolute"},
		{"two tokens", WebhookConfig{URL: "http://h/x", Token: "a", TokenFile: "f"}, "at most one"},
		{"format", WebhookConfig{URL: "http://h/x", Format: "cef"}, "webhook-format"},
		{"retries", WebhookConfig{URL: "http://h/x", RetryPolicy: RetryPolicy{Retries: -1}}, "webhook-retries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.setDefaults()
			err := c.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate = %v, want %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "pw@") {
				t.Fatalf("error echoes the URL credentials: %v", err)
			}
		})
	}
}

func TestRetrierBackoffIsBounded(t *testing.T) {
	r := newRetrier(10, 100*time.Millisecond, time.Second)
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := r.delay(i + 1); got != w*time.Millisecond {
			t.Errorf("delay(%d) = %s, want %s", i+1, got, w*time.Millisecond)
		}
	}
	for range 1000 {
		if d := r.jitter(time.Second); d < 500*time.Millisecond || d > time.Second {
			t.Fatalf("jitter(1s) = %s, outside [500ms, 1s]", d)
		}
	}
}
