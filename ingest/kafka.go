package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/spf13/pflag"
)

// Start positions for a consumer group that has no committed offset yet.
const (
	StartEarliest = "earliest"
	StartLatest   = "latest"
)

// KafkaConfig configures a KafkaSource. Defaults are those RegisterFlags
// installs; NewKafkaSource fills zero values with the same defaults.
type KafkaConfig struct {
	Brokers []string `yaml:"brokers"`
	Topic   string   `yaml:"topic"`
	// Group is the consumer group; offsets are committed to it, so a
	// restarted Vigie resumes where the previous one committed.
	Group string `yaml:"group"`
	// Start is where a group without committed offsets begins: "earliest"
	// (the whole retained topic) or "latest" (only new records).
	Start string `yaml:"start"`
	// MinBytes, MaxBytes and MaxWait shape each fetch request: the broker
	// answers once MinBytes are available or MaxWait elapsed.
	MinBytes int           `yaml:"min_bytes"`
	MaxBytes int           `yaml:"max_bytes"`
	MaxWait  time.Duration `yaml:"max_wait"`
	// QueueCapacity is how many fetched messages kafka-go buffers ahead.
	QueueCapacity int `yaml:"queue_capacity"`
	// SessionTimeout is how long the group coordinator keeps a member that
	// stopped heartbeating; RebalanceTimeout how long a rebalance waits
	// for members to rejoin. A consumer restarted after a crash waits
	// about the shorter of the two before it is assigned partitions.
	SessionTimeout   time.Duration `yaml:"session_timeout"`
	RebalanceTimeout time.Duration `yaml:"rebalance_timeout"`

	TLS  KafkaTLS  `yaml:"tls"`
	SASL KafkaSASL `yaml:"sasl"`

	// Logger receives the client's errors (rebalances, broken
	// connections); nil means silent.
	Logger *slog.Logger `yaml:"-"`
}

// Default values of KafkaConfig.
const (
	DefaultKafkaGroup         = "vigie"
	DefaultKafkaMinBytes      = 1
	DefaultKafkaMaxBytes      = 10 << 20
	DefaultKafkaMaxWait       = 500 * time.Millisecond
	DefaultKafkaQueueCapacity = 1000
	// kafka-go's own defaults.
	DefaultKafkaSessionTimeout   = 30 * time.Second
	DefaultKafkaRebalanceTimeout = 30 * time.Second
)

// RegisterFlags adds the source's flags, TLS and SASL included, with their
// defaults.
func (c *KafkaConfig) RegisterFlags(fs *pflag.FlagSet) {
	c.setDefaults()
	fs.StringSliceVar(&c.Brokers, "brokers", c.Brokers, "Kafka bootstrap brokers, host:port, comma-separated")
	fs.StringVar(&c.Topic, "topic", c.Topic, "Kafka topic of the access logs")
	fs.StringVar(&c.Group, "group", c.Group, "Kafka consumer group; offsets are committed to it after the sinks succeed")
	fs.StringVar(&c.Start, "start", c.Start, "where a new consumer group starts: earliest or latest")
	fs.IntVar(&c.MinBytes, "kafka-min-bytes", c.MinBytes, "minimum bytes a fetch request waits for")
	fs.IntVar(&c.MaxBytes, "kafka-max-bytes", c.MaxBytes, "maximum bytes of one fetch response")
	fs.DurationVar(&c.MaxWait, "kafka-max-wait", c.MaxWait, "longest a fetch request waits for kafka-min-bytes")
	fs.IntVar(&c.QueueCapacity, "kafka-queue-capacity", c.QueueCapacity, "messages buffered ahead of the pipeline")
	fs.DurationVar(&c.SessionTimeout, "kafka-session-timeout", c.SessionTimeout, "how long the group keeps a consumer that stopped heartbeating (a crashed one)")
	fs.DurationVar(&c.RebalanceTimeout, "kafka-rebalance-timeout", c.RebalanceTimeout, "how long a rebalance waits for the group's members to rejoin")
	c.TLS.RegisterFlags(fs)
	c.SASL.RegisterFlags(fs)
}

func (c *KafkaConfig) setDefaults() {
	if c.Group == "" {
		c.Group = DefaultKafkaGroup
	}
	if c.Start == "" {
		c.Start = StartEarliest
	}
	if c.MinBytes == 0 {
		c.MinBytes = DefaultKafkaMinBytes
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultKafkaMaxBytes
	}
	if c.MaxWait == 0 {
		c.MaxWait = DefaultKafkaMaxWait
	}
	if c.QueueCapacity == 0 {
		c.QueueCapacity = DefaultKafkaQueueCapacity
	}
	if c.SessionTimeout == 0 {
		c.SessionTimeout = DefaultKafkaSessionTimeout
	}
	if c.RebalanceTimeout == 0 {
		c.RebalanceTimeout = DefaultKafkaRebalanceTimeout
	}
}

// Validate returns an error naming the first bad field. It runs before
// kafka-go sees the configuration, because kafka-go panics on a bad one.
func (c *KafkaConfig) Validate() error {
	if err := ValidateBrokers("brokers", c.Brokers); err != nil {
		return err
	}
	switch {
	case c.Topic == "":
		return errors.New("topic: required")
	case c.Group == "":
		return errors.New("group: required (offsets are committed to a consumer group)")
	case c.Start != StartEarliest && c.Start != StartLatest:
		return fmt.Errorf("start: %q is not earliest or latest", c.Start)
	case c.MinBytes < 1:
		return fmt.Errorf("kafka-min-bytes: must be at least 1, got %d", c.MinBytes)
	case c.MaxBytes < c.MinBytes:
		return fmt.Errorf("kafka-max-bytes: %d is less than kafka-min-bytes %d", c.MaxBytes, c.MinBytes)
	case c.MaxWait <= 0:
		return fmt.Errorf("kafka-max-wait: must be positive, got %s", c.MaxWait)
	case c.QueueCapacity < 1:
		return fmt.Errorf("kafka-queue-capacity: must be at least 1, got %d", c.QueueCapacity)
	}
	if err := c.TLS.Validate(); err != nil {
		return err
	}
	return c.SASL.Validate()
}

// KafkaSource reads raw records from one topic through a consumer group.
// Records are fetched without committing; Commit moves the group's offsets
// once the caller has made the outputs durable (at-least-once).
//
// Commit covers every record that Fetch returned before it, so a caller
// that fetches and processes on one goroutine calls them in sequence. A
// caller that fetches ahead on another goroutine commits what it has
// processed with CommitOffsets instead.
type KafkaSource struct {
	r     *kafka.Reader
	topic string
	log   *slog.Logger // nil: silent

	// parts is the per-partition progress, touched by Fetch and Commit
	// (one goroutine) and read by Stats (any goroutine).
	mu     sync.Mutex
	parts  map[int32]*partitionProgress
	totals KafkaStats
}

// partitionProgress is what Fetch saw of one partition.
type partitionProgress struct {
	// fetched is the offset of the last record returned by Fetch.
	fetched int64
	// committed is the offset of the last record covered by a commit.
	committed int64
	// highWater is the partition's high-water mark in the last fetch.
	highWater int64
}

// KafkaStats is a cumulative snapshot of a source's activity, for metrics.
type KafkaStats struct {
	// Counters since the source was created.
	Messages   int64
	Bytes      int64
	Fetches    int64
	Errors     int64
	Rebalances int64
	Timeouts   int64
	Dials      int64
	// Commits counts successful Commit calls that committed something;
	// CommitErrors the failed ones.
	Commits      int64
	CommitErrors int64
	// FetchRetries counts the errors Fetch waited out while kafka-go
	// reconnected (broker unreachable or restarting).
	FetchRetries int64
	// Lag is the number of records behind the high-water mark, summed over
	// the partitions this source fetched from, as of their last fetch.
	Lag int64
	// Uncommitted is the number of fetched records not yet committed.
	Uncommitted int64
	// QueueLength is how many messages kafka-go has buffered.
	QueueLength int64
}

// NewKafkaSource validates cfg and connects lazily: the group is joined on
// the first Fetch. Errors name the field and never contain secrets.
func NewKafkaSource(cfg KafkaConfig) (*KafkaSource, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("kafka source: %w", err)
	}
	dialer, err := kafkaDialer(&cfg.TLS, &cfg.SASL)
	if err != nil {
		return nil, fmt.Errorf("kafka source: %w", err)
	}
	start := kafka.FirstOffset
	if cfg.Start == StartLatest {
		start = kafka.LastOffset
	}
	rc := kafka.ReaderConfig{
		Brokers:          cfg.Brokers,
		GroupID:          cfg.Group,
		Topic:            cfg.Topic,
		Dialer:           dialer,
		MinBytes:         cfg.MinBytes,
		MaxBytes:         cfg.MaxBytes,
		MaxWait:          cfg.MaxWait,
		QueueCapacity:    cfg.QueueCapacity,
		StartOffset:      start,
		SessionTimeout:   cfg.SessionTimeout,
		RebalanceTimeout: cfg.RebalanceTimeout,
		// Zero means synchronous commits: Commit returns once the broker
		// has acknowledged, which is what makes it a durability point.
		CommitInterval: 0,
	}
	if cfg.Logger != nil {
		log := cfg.Logger.With("topic", cfg.Topic, "group", cfg.Group)
		rc.ErrorLogger = kafka.LoggerFunc(func(msg string, args ...any) {
			log.Warn("kafka reader", "err", fmt.Sprintf(msg, args...))
		})
	}
	if err := rc.Validate(); err != nil {
		return nil, fmt.Errorf("kafka source: %w", err)
	}
	return &KafkaSource{
		r:     kafka.NewReader(rc),
		topic: cfg.Topic,
		log:   cfg.Logger,
		parts: map[int32]*partitionProgress{},
	}, nil
}

// Fetch appends to dst up to max records and returns the extended slice.
// It blocks until a first record arrives (or ctx ends), then keeps adding
// records until max is reached or wait has elapsed since the first one;
// wait <= 0 returns right after the first. Each Raw has Source = topic,
// Partition and Offset set; its Data belongs to the caller.
//
// Fetch never commits. If ctx ends after at least one record was fetched,
// Fetch returns those records and a nil error; the next call reports
// ctx.Err(). A closed source returns io.EOF.
//
// Once the source has returned a record, the errors kafka-go reports while
// it reconnects (a broker unreachable or restarting) are logged, counted in
// FetchRetries and waited out: kafka-go keeps retrying, and a consumer that
// stopped would close windows early. Before the first record they are
// returned, so a wrong address, topic or credential fails the start.
func (s *KafkaSource) Fetch(ctx context.Context, dst []Raw, max int, wait time.Duration) ([]Raw, error) {
	if max <= 0 {
		return dst, nil
	}
	m, err := s.fetchMessage(ctx)
	if err != nil {
		return dst, s.fetchErr(err)
	}
	dst = s.add(dst, &m)
	if max == 1 || wait <= 0 {
		return dst, nil
	}
	bctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for n := 1; n < max; n++ {
		m, err = s.r.FetchMessage(bctx)
		if err != nil {
			if bctx.Err() != nil {
				// The wait elapsed or ctx ended: return what we have.
				return dst, nil
			}
			if errors.Is(err, io.EOF) {
				return dst, s.fetchErr(err)
			}
			// A broker error: return what we have; the next Fetch
			// waits it out.
			s.retried(err)
			return dst, nil
		}
		dst = s.add(dst, &m)
	}
	return dst, nil
}

// fetchMessage is FetchMessage, waiting out broker errors once the source
// has returned a record (see Fetch).
func (s *KafkaSource) fetchMessage(ctx context.Context) (kafka.Message, error) {
	for {
		m, err := s.r.FetchMessage(ctx)
		if err == nil || ctx.Err() != nil || errors.Is(err, io.EOF) {
			return m, err
		}
		s.mu.Lock()
		started := len(s.parts) > 0
		s.mu.Unlock()
		if !started {
			return m, err
		}
		s.retried(err)
		// kafka-go backs off between its own attempts; this only bounds
		// a loop on an error reported at once.
		t := time.NewTimer(100 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return m, ctx.Err()
		case <-t.C:
		}
	}
}

// retried counts and logs a broker error that Fetch waits out.
func (s *KafkaSource) retried(err error) {
	s.mu.Lock()
	s.totals.FetchRetries++
	s.mu.Unlock()
	if s.log != nil {
		s.log.Warn("kafka fetch failed; waiting for the broker", "topic", s.topic, "err", err)
	}
}

func (s *KafkaSource) fetchErr(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("fetching from kafka topic %s: %w", s.topic, err)
}

// add records m's position and appends it to dst as a Raw.
func (s *KafkaSource) add(dst []Raw, m *kafka.Message) []Raw {
	s.mu.Lock()
	p := s.parts[int32(m.Partition)]
	if p == nil {
		// Everything before the first record seen here was committed
		// by someone else (or never existed).
		p = &partitionProgress{committed: m.Offset - 1}
		s.parts[int32(m.Partition)] = p
	}
	p.fetched = m.Offset
	p.highWater = m.HighWaterMark
	s.mu.Unlock()
	return append(dst, Raw{
		Data:      m.Value,
		Source:    m.Topic,
		Partition: int32(m.Partition),
		Offset:    m.Offset,
	})
}

// Commit commits, for each partition, the offset after the last record
// Fetch returned. It is the at-least-once contract: call it only after
// every sink has durably written the outputs of all records fetched so far
// (sink Write returned nil). A crash before Commit re-delivers those
// records to the next consumer of the group; a crash after it loses
// nothing, since their outputs are already stored. Commit is synchronous
// and a no-op when nothing new was fetched. On error nothing is forgotten:
// the next Commit retries the same offsets.
//
// After a rebalance moved a partition to another consumer, the offsets of
// records fetched from it before the move are still committed here, which
// can only re-deliver records, never skip them.
func (s *KafkaSource) Commit(ctx context.Context) error {
	s.mu.Lock()
	var msgs []kafka.Message
	for part, p := range s.parts {
		if p.fetched > p.committed {
			msgs = append(msgs, kafka.Message{Topic: s.topic, Partition: int(part), Offset: p.fetched})
		}
	}
	s.mu.Unlock()
	return s.commit(ctx, msgs)
}

// CommitOffsets is Commit for a caller that fetches ahead of what it has
// processed: for each partition in last, it commits the offset after
// last[partition], the last record whose outputs are durable. Records
// fetched after those stay uncommitted. It may run while another goroutine
// is in Fetch. Partitions Fetch never returned, offsets not past what was
// already committed and offsets past the last record fetched are ignored.
func (s *KafkaSource) CommitOffsets(ctx context.Context, last map[int32]int64) error {
	s.mu.Lock()
	var msgs []kafka.Message
	for part, off := range last {
		if p := s.parts[part]; p != nil && off > p.committed && off <= p.fetched {
			msgs = append(msgs, kafka.Message{Topic: s.topic, Partition: int(part), Offset: off})
		}
	}
	s.mu.Unlock()
	return s.commit(ctx, msgs)
}

func (s *KafkaSource) commit(ctx context.Context, msgs []kafka.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if err := s.r.CommitMessages(ctx, msgs...); err != nil {
		s.mu.Lock()
		s.totals.CommitErrors++
		s.mu.Unlock()
		return fmt.Errorf("committing offsets of kafka topic %s: %w", s.topic, err)
	}
	s.mu.Lock()
	for _, m := range msgs {
		if p := s.parts[int32(m.Partition)]; m.Offset > p.committed {
			p.committed = m.Offset
		}
	}
	s.totals.Commits++
	s.mu.Unlock()
	return nil
}

// Stats returns cumulative counters and current gauges. It is safe to call
// from any goroutine, e.g. a metrics collector.
func (s *KafkaSource) Stats() KafkaStats {
	rs := s.r.Stats() // counters in rs are deltas since the previous call
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.totals
	t.Messages += rs.Messages
	t.Bytes += rs.Bytes
	t.Fetches += rs.Fetches
	t.Errors += rs.Errors
	t.Rebalances += rs.Rebalances
	t.Timeouts += rs.Timeouts
	t.Dials += rs.Dials
	t.QueueLength = rs.QueueLength
	t.Lag, t.Uncommitted = 0, 0
	for _, p := range s.parts {
		if lag := p.highWater - (p.fetched + 1); lag > 0 {
			t.Lag += lag
		}
		if p.committed < p.fetched {
			t.Uncommitted += p.fetched - p.committed
		}
	}
	return *t
}

// Lag is the number of records behind the high-water mark, summed over
// partitions; see KafkaStats.Lag.
func (s *KafkaSource) Lag() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lag int64
	for _, p := range s.parts {
		if l := p.highWater - (p.fetched + 1); l > 0 {
			lag += l
		}
	}
	return lag
}

// Close leaves the consumer group without committing. Commit first what
// must be kept. Close is safe to call twice.
func (s *KafkaSource) Close() error {
	if err := s.r.Close(); err != nil {
		return fmt.Errorf("closing kafka source: %w", err)
	}
	return nil
}
