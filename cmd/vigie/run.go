package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

func init() { subcommands = append(subcommands, newRunCmd) }

type runFlags struct {
	kafka  ingest.KafkaConfig
	fields ingest.FieldMap
	det    detector.Config
	out    outputFlags
	feed   feedFlags
	logs   logFlags
	live   liveConfig
}

// liveConfig shapes the consume loop.
type liveConfig struct {
	// MetricsAddr serves /metrics, /healthz and /readyz ("" disables).
	MetricsAddr string
	// BatchSize and BatchWait bound one fetch: the sinks are written and
	// the offsets committed after each batch, so BatchWait is also the
	// longest an alert waits before it is written.
	BatchSize int
	BatchWait time.Duration
	// IdleTimeout: when no record arrived for this long, event time is
	// advanced by the wall clock so quiet streams still close windows.
	IdleTimeout time.Duration
	// ExitWhenIdle stops the consumer (closing every window, as at the end
	// of a replay) after this long without records; 0 runs forever. Used
	// by the demo and tests.
	ExitWhenIdle time.Duration
	// RetryMax bounds the backoff between retries of a failed sink write.
	RetryMax time.Duration
}

func (c *liveConfig) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "127.0.0.1:9464", "address of /metrics, /healthz and /readyz (empty disables)")
	fs.IntVar(&c.BatchSize, "batch-size", 20000, "most records per fetch-detect-write-commit cycle")
	fs.DurationVar(&c.BatchWait, "batch-wait", 500*time.Millisecond, "longest a cycle waits to fill a batch (bounds alert latency)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 30*time.Second, "after this long without records, advance event time by the wall clock")
	fs.DurationVar(&c.ExitWhenIdle, "exit-when-idle", 0, "once records were seen, stop after this long without new ones, closing every window (0: run forever)")
	fs.DurationVar(&c.RetryMax, "retry-max", 30*time.Second, "longest backoff between retries of a failed sink write")
}

func (c *liveConfig) Validate() error {
	switch {
	case c.BatchSize < 1:
		return errors.New("batch-size: must be at least 1")
	case c.BatchWait < 0:
		return errors.New("batch-wait: must not be negative")
	case c.IdleTimeout <= 0:
		return errors.New("idle-timeout: must be positive")
	case c.ExitWhenIdle < 0:
		return errors.New("exit-when-idle: must not be negative")
	case c.RetryMax <= 0:
		return errors.New("retry-max: must be positive")
	}
	return nil
}

func newRunCmd() *cobra.Command {
	f := &runFlags{fields: ingest.DefaultFieldMap(), det: detector.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "run [flags]",
		Short: "Consume access-log events from Kafka and detect anomalies continuously",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLive(cmd.Context(), f, nil)
		},
	}
	fs := cmd.Flags()
	f.kafka.RegisterFlags(fs)
	f.fields.RegisterFlags(fs)
	f.det.RegisterFlags(fs)
	f.out.register(fs, false)
	f.feed.register(fs)
	f.logs.register(fs)
	f.live.register(fs)
	return cmd
}

// runLive consumes until ctx ends (SIGTERM/SIGINT: stop fetching, flush,
// commit, return nil) or, with ExitWhenIdle, until the topic stays quiet.
// onAlert, when set, sees every alert once it is durable.
func runLive(ctx context.Context, f *runFlags, onAlert func(*detector.Alert)) error {
	log := f.logs.logger()
	f.kafka.Logger = log
	// NewKafkaSource validates the Kafka settings after filling defaults.
	for _, v := range []interface{ Validate() error }{&f.fields, &f.det, &f.live} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	det, err := detector.New(f.det)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)
	ops, err := startOps(f.live.MetricsAddr, reg, log)
	if err != nil {
		return fmt.Errorf("metrics-addr: %w", err)
	}
	defer ops.Close()

	sinks, err := f.out.open(ctx, log)
	if err != nil {
		return err
	}
	feeds, err := f.feed.open(log)
	if err != nil {
		closeAll(sinks)
		return err
	}
	sinks = append(sinks, feeds...)
	src, err := ingest.NewKafkaSource(f.kafka)
	if err != nil {
		closeAll(sinks)
		return err
	}
	defer src.Close()

	p := newPipeline(det, sinks, m, log)
	p.onAlert = onAlert
	dec := ingest.NewDecoder(ingest.FormatJSON, f.fields)
	ops.setReady(true)
	log.Info("consuming", "topic", f.kafka.Topic, "group", f.kafka.Group)
	start := time.Now()
	err = consume(ctx, p, src, dec, &f.live, m, log)
	// Whatever stopped the loop, write what was detected and commit it:
	// a graceful stop loses nothing and re-reads nothing. The shutdown
	// gets its own context since ctx may be the cancelled one.
	sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if cerr := p.close(sctx); cerr != nil {
		err = errors.Join(err, cerr)
	} else if cerr := src.Commit(sctx); cerr != nil {
		err = errors.Join(err, cerr)
	}
	p.counts.Elapsed = time.Since(start)
	log.Info("stopped", "events", p.counts.Events, "alerts", p.counts.Alerts, "dead_letters", p.counts.DeadLetters,
		"late", p.counts.Late, "elapsed", p.counts.Elapsed.Round(time.Millisecond))
	return err
}

// consume is the fetch → detect → write → commit loop. It returns nil when
// ctx ends or the stream stayed idle for ExitWhenIdle.
func consume(ctx context.Context, p *pipeline, src *ingest.KafkaSource, dec ingest.Decoder, cfg *liveConfig, m *metrics, log *slog.Logger) error {
	var (
		buf        []ingest.Raw
		lastRecord = time.Now()
	)
	// poll bounds one blocking fetch so idle streams are noticed.
	poll := min(cfg.IdleTimeout, time.Second)
	if cfg.ExitWhenIdle > 0 {
		poll = min(poll, cfg.ExitWhenIdle)
	}
	for ctx.Err() == nil {
		fctx, cancel := context.WithTimeout(ctx, poll)
		var err error
		buf, err = src.Fetch(fctx, buf[:0], cfg.BatchSize, cfg.BatchWait)
		cancel()
		switch {
		case errors.Is(err, io.EOF) || ctx.Err() != nil:
			if len(buf) == 0 {
				return nil
			}
		case errors.Is(err, context.DeadlineExceeded):
			// No record within poll.
		case err != nil:
			return err
		}
		for i := range buf {
			p.handle(&buf[i], dec)
		}
		now := time.Now()
		if len(buf) > 0 {
			lastRecord = now
		} else if idle := now.Sub(lastRecord); idle >= cfg.IdleTimeout && p.newestTS > 0 {
			// Quiet stream: event time moves with the wall clock, so
			// open windows close and their alerts do not wait for the
			// next record.
			p.det.Advance(p.newestTS + idle.Milliseconds())
		}
		if err := writeWithRetry(ctx, p, cfg.RetryMax, log); err != nil {
			if ctx.Err() != nil {
				return nil // the caller flushes and commits on the way out
			}
			return err
		}
		if len(buf) > 0 {
			if err := src.Commit(ctx); err != nil && ctx.Err() == nil {
				log.Warn("commit failed; offsets will be committed with the next batch", "err", err)
			}
		}
		m.lag.Set(float64(src.Stats().Lag))
		if cfg.ExitWhenIdle > 0 && len(buf) == 0 && p.counts.Events+p.counts.DeadLetters > 0 && now.Sub(lastRecord) >= cfg.ExitWhenIdle {
			log.Info("no record for a while; stopping", "idle", cfg.ExitWhenIdle)
			return nil
		}
	}
	return nil
}

// writeWithRetry writes the pending outputs, retrying with exponential
// backoff while a sink is down. Fetching pauses meanwhile (backpressure):
// memory stays bounded by one batch and nothing is committed.
func writeWithRetry(ctx context.Context, p *pipeline, maxBackoff time.Duration, log *slog.Logger) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := p.flush(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		log.Warn("sink write failed; retrying", "attempt", attempt, "backoff", backoff, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}
