package sink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/pflag"
	"github.com/vigie/vigie/detector"
)

// WebhookConfig configures the webhook sink, which POSTs each alert as one
// JSON object (one request per alert: what chat, SOAR and ticketing
// endpoints expect). Incidents, windows and dead letters are not sent.
type WebhookConfig struct {
	URL string `yaml:"url"`
	// Token, if set, is sent as "Authorization: Bearer <token>". Give it
	// through VIGIE_WEBHOOK_TOKEN or TokenFile rather than the command
	// line. It never appears in errors or logs.
	Token     string `yaml:"-" json:"-"`
	TokenFile string `yaml:"token_file"`
	// Timeout bounds each request.
	Timeout time.Duration `yaml:"timeout"`
	// RetryPolicy applies to each request that failed with 5xx, 408, 429
	// or a network error; other 4xx answers fail at once.
	RetryPolicy `yaml:",inline"`
	// Format is the alert rendering: "native" or "ocsf".
	Format string `yaml:"format"`

	// Client is the HTTP client; nil means a new one (Timeout applies per
	// request either way).
	Client *http.Client `yaml:"-"`
	// Logger receives retries and failures; nil means silent.
	Logger *slog.Logger `yaml:"-"`
}

// Defaults of WebhookConfig; the retry defaults are RetryPolicy's.
const (
	DefaultWebhookTimeout    = 10 * time.Second
	DefaultWebhookRetries    = DefaultRetries
	DefaultWebhookBackoff    = DefaultBackoff
	DefaultWebhookMaxBackoff = DefaultMaxBackoff
)

// RegisterFlags adds the --webhook-* flags with their defaults.
func (c *WebhookConfig) RegisterFlags(fs *pflag.FlagSet) {
	c.setDefaults()
	fs.StringVar(&c.URL, "webhook-url", c.URL, "POST each alert as JSON to this http(s) URL (empty: no webhook)")
	fs.Var((*secretFlag)(&c.Token), "webhook-token", "bearer token for the webhook; prefer VIGIE_WEBHOOK_TOKEN or --webhook-token-file")
	fs.StringVar(&c.TokenFile, "webhook-token-file", c.TokenFile, "file holding the webhook bearer token (trailing newline ignored)")
	fs.DurationVar(&c.Timeout, "webhook-timeout", c.Timeout, "timeout of each webhook request")
	c.RetryPolicy.registerFlags(fs, "webhook", "retries of a failed webhook request (5xx, 408, 429, network errors) before the batch fails")
	fs.StringVar(&c.Format, "webhook-format", c.Format, "alert rendering for the webhook: native or ocsf")
}

func (c *WebhookConfig) setDefaults() {
	if c.Timeout == 0 {
		c.Timeout = DefaultWebhookTimeout
	}
	c.RetryPolicy.setDefaults()
	if c.Format == "" {
		c.Format = "native"
	}
}

// Validate returns an error naming the first bad field.
func (c *WebhookConfig) Validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		return errors.New("webhook-url: required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		// The URL may carry credentials: do not echo it.
		return errors.New("webhook-url: not an absolute http or https URL")
	case c.Token != "" && c.TokenFile != "":
		return errors.New("webhook-token and webhook-token-file: give at most one")
	case c.Timeout <= 0:
		return fmt.Errorf("webhook-timeout: must be positive, got %s", c.Timeout)
	}
	if err := c.RetryPolicy.validate("webhook"); err != nil {
		return err
	}
	if _, err := lookupAlertFormat(c.Format); err != nil {
		return fmt.Errorf("webhook-format: %w", err)
	}
	return nil
}

// Webhook is the webhook sink. Write is safe for concurrent use.
type Webhook struct {
	cfg    WebhookConfig
	url    string
	auth   string // "Bearer <token>" or ""
	format AlertFormat
	client *http.Client
	retry  retrier
	sent   sentAlerts

	delivered, failed, retries atomic.Int64
}

// WebhookStats counts alerts since the sink was created.
type WebhookStats struct {
	Delivered int64
	// Failed counts alerts given up on after the retries; each made a
	// Write return an error.
	Failed  int64
	Retries int64
}

// NewWebhook validates cfg and reads the token file.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("webhook sink: %w", err)
	}
	token := cfg.Token
	if cfg.TokenFile != "" {
		data, err := os.ReadFile(cfg.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("webhook sink: webhook-token-file: %w", err)
		}
		token = strings.TrimRight(string(data), "\r\n")
	}
	format, _ := lookupAlertFormat(cfg.Format)
	client := cfg.Client
	if client == nil {
		client = &http.Client{}
	}
	w := &Webhook{
		cfg:    cfg,
		url:    cfg.URL,
		format: format,
		client: client,
		retry:  cfg.RetryPolicy.retrier(),
	}
	if token != "" {
		w.auth = "Bearer " + token
	}
	return w, nil
}

// Write POSTs every alert of b, in order, each retried with backoff. It
// returns nil once every alert was accepted (2xx), and an error as soon as
// one cannot be delivered: the caller must then not commit, and retry the
// batch. The alerts delivered before the failure are not POSTed again by
// that retry; delivery is still at least once (a crash, an answer lost),
// so receivers deduplicate on alert_id, also sent as the X-Vigie-Alert-Id
// header.
func (w *Webhook) Write(ctx context.Context, b *Batch) error {
	for i := range b.Alerts {
		a := &b.Alerts[i]
		if w.sent.has(a.AlertID) {
			continue
		}
		body, err := w.format(a)
		if err != nil {
			w.failed.Add(1)
			return fmt.Errorf("webhook sink: %w", err)
		}
		err = w.retry.do(ctx, func(attempt int) (bool, error) {
			if attempt > 0 {
				w.retries.Add(1)
			}
			return w.post(ctx, a, body)
		}, func(attempt int, err error) {
			if w.cfg.Logger != nil {
				w.cfg.Logger.Warn("webhook delivery failed, retrying", "alert_id", a.AlertID, "attempt", attempt+1, "err", err)
			}
		})
		if err != nil {
			w.failed.Add(1)
			return fmt.Errorf("webhook sink: delivering alert %s: %w", a.AlertID, err)
		}
		w.delivered.Add(1)
		w.sent.add(a.AlertID)
	}
	w.sent.reset()
	return nil
}

// post sends one alert; it reports whether a failure is worth retrying.
func (w *Webhook) post(ctx context.Context, a *detector.Alert, body []byte) (retryable bool, err error) {
	rctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return false, errors.New("building request: invalid webhook URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "vigie")
	req.Header.Set("X-Vigie-Alert-Id", a.AlertID)
	if w.auth != "" {
		req.Header.Set("Authorization", w.auth)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		// *url.Error repeats the URL, which may hold credentials: keep
		// only the cause.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return true, fmt.Errorf("POST: timed out after %s", w.cfg.Timeout)
		}
		return true, fmt.Errorf("POST: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return false, nil
	case code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout:
		return true, fmt.Errorf("POST: HTTP %d", code)
	default:
		return false, fmt.Errorf("POST: HTTP %d (not retried)", code)
	}
}

// Stats returns the delivery counters.
func (w *Webhook) Stats() WebhookStats {
	return WebhookStats{Delivered: w.delivered.Load(), Failed: w.failed.Load(), Retries: w.retries.Load()}
}

// Delivery returns the delivery counters in the form every feed shares.
func (w *Webhook) Delivery() DeliveryStats {
	return DeliveryStats{Delivered: w.delivered.Load(), Failed: w.failed.Load(), Retries: w.retries.Load()}
}

// Close releases idle connections. Close is safe to call twice.
func (w *Webhook) Close() error {
	w.client.CloseIdleConnections()
	return nil
}

// secretFlag is a pflag.Value that never prints its content.
type secretFlag string

func (s *secretFlag) Set(v string) error { *s = secretFlag(v); return nil }
func (s *secretFlag) Type() string       { return "secret" }
func (s *secretFlag) String() string {
	if *s == "" {
		return ""
	}
	return "[REDACTED]"
}
