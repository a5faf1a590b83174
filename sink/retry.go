package sink

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/spf13/pflag"
)

// RetryPolicy is how a sink re-sends what an attempt could not deliver: up
// to Retries more attempts, the first after Backoff, each next one after
// twice the previous delay up to MaxBackoff, with random jitter in [d/2, d].
// The Kafka alerts sink and the webhook embed it.
type RetryPolicy struct {
	// Retries is the number of attempts after the first. Zero means no
	// retry; RegisterFlags defaults it to DefaultRetries.
	Retries    int           `yaml:"retries"`
	Backoff    time.Duration `yaml:"backoff"`
	MaxBackoff time.Duration `yaml:"max_backoff"`
}

// Defaults of RetryPolicy.
const (
	DefaultRetries    = 5
	DefaultBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// registerFlags adds --PREFIX-retries, --PREFIX-backoff and
// --PREFIX-max-backoff, defaulting Retries to DefaultRetries when zero.
func (r *RetryPolicy) registerFlags(fs *pflag.FlagSet, prefix, retriesUsage string) {
	r.setDefaults()
	if r.Retries == 0 {
		r.Retries = DefaultRetries
	}
	fs.IntVar(&r.Retries, prefix+"-retries", r.Retries, retriesUsage)
	fs.DurationVar(&r.Backoff, prefix+"-backoff", r.Backoff, "first retry delay, doubled on each retry")
	fs.DurationVar(&r.MaxBackoff, prefix+"-max-backoff", r.MaxBackoff, "longest retry delay")
}

// setDefaults fills a zero Backoff or MaxBackoff. A zero Retries stays
// zero: no retry.
func (r *RetryPolicy) setDefaults() {
	if r.Backoff == 0 {
		r.Backoff = DefaultBackoff
	}
	if r.MaxBackoff == 0 {
		r.MaxBackoff = DefaultMaxBackoff
	}
}

// validate returns an error naming the first bad field by its flag.
func (r *RetryPolicy) validate(prefix string) error {
	switch {
	case r.Retries < 0:
		return fmt.Errorf("%s-retries: must not be negative, got %d", prefix, r.Retries)
	case r.Backoff <= 0 || r.MaxBackoff < r.Backoff:
		return fmt.Errorf("%s-backoff: must be positive and at most %s-max-backoff, got %s and %s", prefix, prefix, r.Backoff, r.MaxBackoff)
	}
	return nil
}

// DeliveryStats counts what a feed (the Kafka alerts sink, the webhook) did
// with the alerts it was given, since it was created.
type DeliveryStats struct {
	Delivered int64
	// Failed counts alerts still undelivered when a Write gave up; the
	// caller's next Write of the batch sends them again.
	Failed int64
	// Retries counts attempts after the first.
	Retries int64
}

// sentAlerts remembers the alerts a feed delivered since its last Write
// that delivered everything. The caller retries a failed batch, so the
// alerts delivered before the failure are not sent again.
type sentAlerts struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

func (s *sentAlerts) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.ids[id]
	return ok
}

func (s *sentAlerts) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]struct{}{}
	}
	s.ids[id] = struct{}{}
}

// reset forgets everything: the last Write delivered all its alerts.
func (s *sentAlerts) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.ids)
}

// retrier runs an operation with the bounded exponential backoff and jitter
// of a RetryPolicy.
type retrier struct {
	retries         int
	backoff, maxOff time.Duration
	// jitter maps a delay d to the actual wait, in [d/2, d]; tests replace
	// it to be deterministic.
	jitter func(d time.Duration) time.Duration
	// sleep waits d or until ctx ends; tests replace it to run instantly.
	sleep func(ctx context.Context, d time.Duration) error
}

func (r RetryPolicy) retrier() retrier {
	return newRetrier(r.Retries, r.Backoff, r.MaxBackoff)
}

func newRetrier(retries int, backoff, maxBackoff time.Duration) retrier {
	return retrier{
		retries: max(retries, 0),
		backoff: backoff,
		maxOff:  maxBackoff,
		jitter: func(d time.Duration) time.Duration {
			return d/2 + rand.N(d/2+1)
		},
		sleep: func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				return nil
			}
		},
	}
}

// delay is the wait before retry number attempt (1-based), before jitter.
func (r *retrier) delay(attempt int) time.Duration {
	d := r.backoff
	for i := 1; i < attempt && d < r.maxOff; i++ {
		d *= 2
	}
	return min(d, r.maxOff)
}

// do calls op until it succeeds, returns a non-retryable error, or the
// retries are spent; onRetry is called before each wait. The error of the
// last attempt is returned, with the number of attempts.
func (r *retrier) do(ctx context.Context, op func(attempt int) (retryable bool, err error), onRetry func(attempt int, err error)) error {
	for attempt := 0; ; attempt++ {
		retryable, err := op(attempt)
		if err == nil {
			return nil
		}
		if !retryable {
			return err
		}
		if attempt >= r.retries {
			return fmt.Errorf("giving up after %d attempts: %w", attempt+1, err)
		}
		if onRetry != nil {
			onRetry(attempt, err)
		}
		if serr := r.sleep(ctx, r.jitter(r.delay(attempt+1))); serr != nil {
			return fmt.Errorf("waiting to retry after %v: %w", err, serr)
		}
	}
}
