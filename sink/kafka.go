package sink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/spf13/pflag"
	"github.com/vigie/vigie/ingest"
)

// KafkaSinkConfig configures the Kafka alerts sink.
type KafkaSinkConfig struct {
	// Brokers defaults to the source's brokers through UseConnection.
	Brokers []string `yaml:"brokers"`
	Topic   string   `yaml:"topic"`
	// Format is the alert rendering: "native" or "ocsf".
	Format string `yaml:"format"`
	// Timeout bounds one delivery attempt of a batch.
	Timeout time.Duration `yaml:"timeout"`
	// RetryPolicy re-sends the alerts an attempt did not deliver (kafka-go
	// itself makes one attempt).
	RetryPolicy `yaml:",inline"`

	TLS  ingest.KafkaTLS  `yaml:"tls"`
	SASL ingest.KafkaSASL `yaml:"sasl"`

	// Logger receives retries; nil means silent.
	Logger *slog.Logger `yaml:"-"`
}

// Defaults of KafkaSinkConfig; the retry defaults are RetryPolicy's.
const (
	DefaultKafkaSinkTimeout    = 30 * time.Second
	DefaultKafkaSinkRetries    = DefaultRetries
	DefaultKafkaSinkBackoff    = DefaultBackoff
	DefaultKafkaSinkMaxBackoff = DefaultMaxBackoff
)

// RegisterFlags adds the --alerts-* flags. It does not add the TLS and SASL
// flags, which the Kafka source shares: a command with a Kafka source calls
// UseConnection after parsing; one without calls c.TLS.RegisterFlags and
// c.SASL.RegisterFlags too.
func (c *KafkaSinkConfig) RegisterFlags(fs *pflag.FlagSet) {
	c.setDefaults()
	fs.StringVar(&c.Topic, "alerts-topic", c.Topic, "publish alerts to this Kafka topic, keyed by entity (empty: do not publish)")
	fs.StringSliceVar(&c.Brokers, "alerts-brokers", c.Brokers, "brokers of --alerts-topic (default: --brokers)")
	fs.StringVar(&c.Format, "alerts-topic-format", c.Format, "alert rendering in --alerts-topic: native or ocsf")
	fs.DurationVar(&c.Timeout, "alerts-timeout", c.Timeout, "timeout of one attempt to publish a batch of alerts")
	c.RetryPolicy.registerFlags(fs, "alerts", "retries of undelivered alerts before the batch fails")
}

// UseConnection fills the brokers (when unset), TLS and SASL options from
// the Kafka source's configuration, so one set of flags serves both.
func (c *KafkaSinkConfig) UseConnection(src ingest.KafkaConfig) {
	if len(c.Brokers) == 0 {
		c.Brokers = src.Brokers
	}
	c.TLS = src.TLS
	c.SASL = src.SASL
}

func (c *KafkaSinkConfig) setDefaults() {
	if c.Format == "" {
		c.Format = "native"
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultKafkaSinkTimeout
	}
	c.RetryPolicy.setDefaults()
}

// Validate returns an error naming the first bad field.
func (c *KafkaSinkConfig) Validate() error {
	if err := ingest.ValidateBrokers("alerts-brokers", c.Brokers); err != nil {
		return err
	}
	switch {
	case c.Topic == "":
		return errors.New("alerts-topic: required")
	case c.Timeout <= 0:
		return fmt.Errorf("alerts-timeout: must be positive, got %s", c.Timeout)
	}
	if err := c.RetryPolicy.validate("alerts"); err != nil {
		return err
	}
	if _, err := lookupAlertFormat(c.Format); err != nil {
		return fmt.Errorf("alerts-topic-format: %w", err)
	}
	if err := c.TLS.Validate(); err != nil {
		return err
	}
	return c.SASL.Validate()
}

// KafkaAlerts publishes alerts to a Kafka topic as JSON, keyed by
// EntityType+":"+Entity so one entity's alerts stay in one partition, in
// order. Writes wait for all in-sync replicas (acks=all). Incidents,
// windows and dead letters are not published.
type KafkaAlerts struct {
	cfg    KafkaSinkConfig
	w      *kafka.Writer
	format AlertFormat
	retry  retrier
	sent   sentAlerts

	published, failed, retries atomic.Int64
	closed                     atomic.Bool
}

// KafkaAlertsStats counts alerts since the sink was created.
type KafkaAlertsStats struct {
	Published int64
	// Failed counts alerts still undelivered when a Write gave up.
	Failed  int64
	Retries int64
}

// NewKafkaAlerts validates cfg and prepares the writer; it connects on the
// first Write.
func NewKafkaAlerts(cfg KafkaSinkConfig) (*KafkaAlerts, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("kafka alerts sink: %w", err)
	}
	transport, err := ingest.KafkaTransport(&cfg.TLS, &cfg.SASL)
	if err != nil {
		return nil, fmt.Errorf("kafka alerts sink: %w", err)
	}
	format, _ := lookupAlertFormat(cfg.Format)
	w := &kafka.Writer{
		Addr:         kafka.TCP(cfg.Brokers...),
		Topic:        cfg.Topic,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		// Our own retries, with backoff, replace kafka-go's.
		MaxAttempts:  1,
		BatchSize:    1000,
		BatchTimeout: 5 * time.Millisecond,
		WriteTimeout: cfg.Timeout,
		ReadTimeout:  cfg.Timeout,
		Transport:    transport,
	}
	return &KafkaAlerts{
		cfg:    cfg,
		w:      w,
		format: format,
		retry:  cfg.RetryPolicy.retrier(),
	}, nil
}

// Write publishes every alert of b and returns once the broker acknowledged
// them all. Alerts that fail are re-sent with exponential backoff; when the
// retries are spent, Write returns an error (nothing is dropped silently)
// and the caller must not commit, and retry the batch. The alerts
// delivered before the failure are not published again by that retry;
// delivery is still at least once (a crash, an acknowledgement lost), so
// consumers deduplicate on alert_id.
func (k *KafkaAlerts) Write(ctx context.Context, b *Batch) error {
	if len(b.Alerts) == 0 {
		return nil
	}
	if k.closed.Load() {
		return errors.New("kafka alerts sink: write after Close")
	}
	// pending[i] is the message of the alert ids[i].
	pending := make([]kafka.Message, 0, len(b.Alerts))
	ids := make([]string, 0, len(b.Alerts))
	for i := range b.Alerts {
		a := &b.Alerts[i]
		if k.sent.has(a.AlertID) {
			continue
		}
		value, err := k.format(a)
		if err != nil {
			k.failed.Add(int64(len(b.Alerts)))
			return fmt.Errorf("kafka alerts sink: %w", err)
		}
		pending = append(pending, kafka.Message{Key: []byte(a.EntityType + ":" + a.Entity), Value: value})
		ids = append(ids, a.AlertID)
	}
	err := k.retry.do(ctx, func(attempt int) (bool, error) {
		if len(pending) == 0 {
			return false, nil
		}
		if attempt > 0 {
			k.retries.Add(1)
		}
		actx, cancel := context.WithTimeout(ctx, k.cfg.Timeout)
		defer cancel()
		err := k.w.WriteMessages(actx, pending...)
		if err == nil {
			k.published.Add(int64(len(pending)))
			pending, ids = pending[:0], ids[:0]
			return false, nil
		}
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		// Keep only the messages that failed.
		var werrs kafka.WriteErrors
		if errors.As(err, &werrs) && len(werrs) == len(pending) {
			failed, failedIDs := pending[:0], ids[:0]
			for i, m := range pending {
				if werrs[i] != nil {
					failed, failedIDs = append(failed, m), append(failedIDs, ids[i])
				} else {
					k.sent.add(ids[i])
				}
			}
			k.published.Add(int64(len(pending) - len(failed)))
			pending, ids = failed, failedIDs
		}
		return true, fmt.Errorf("publishing %d alerts to %s: %w", len(pending), k.cfg.Topic, err)
	}, func(attempt int, err error) {
		if k.cfg.Logger != nil {
			k.cfg.Logger.Warn("kafka alerts publish failed, retrying", "attempt", attempt+1, "err", err)
		}
	})
	if err != nil {
		k.failed.Add(int64(len(pending)))
		return fmt.Errorf("kafka alerts sink: %w", err)
	}
	k.sent.reset()
	return nil
}

// Stats returns the delivery counters.
func (k *KafkaAlerts) Stats() KafkaAlertsStats {
	return KafkaAlertsStats{Published: k.published.Load(), Failed: k.failed.Load(), Retries: k.retries.Load()}
}

// Delivery returns the delivery counters in the form every feed shares.
func (k *KafkaAlerts) Delivery() DeliveryStats {
	return DeliveryStats{Delivered: k.published.Load(), Failed: k.failed.Load(), Retries: k.retries.Load()}
}

// Close flushes and closes the writer. Close is safe to call twice.
func (k *KafkaAlerts) Close() error {
	if k.closed.Swap(true) {
		return nil
	}
	if err := k.w.Close(); err != nil {
		return fmt.Errorf("closing kafka alerts sink: %w", err)
	}
	return nil
}
