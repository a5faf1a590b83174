package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
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
	// infer maps fields the topic names its own way (--infer-fields).
	infer bool
}

// liveConfig shapes the consume loop.
type liveConfig struct {
	// MetricsAddr serves /metrics, /healthz and /readyz ("" disables).
	MetricsAddr string
	// BatchSize and BatchWait bound one fetch. The sinks are written
	// (and the offsets committed) after each batch that did not fill up,
	// when the consumer has caught up with the topic, and after each
	// batch that raised an alert. While it catches up (full batches
	// without alerts), the windows and incidents of several batches go
	// into one write, at least every BatchWait: far fewer, larger
	// inserts, which is what ClickHouse wants. BatchWait thus bounds how
	// long an alert waits before it is written, besides the processing
	// of one batch.
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
	// StateDir, when set, holds the detector snapshot and the Kafka
	// offsets it reflects (see DESIGN.md, commit and snapshot semantics).
	// Offsets are then committed only right after a snapshot.
	StateDir string
	// SnapshotInterval is how often the state is snapshotted (and the
	// offsets committed) when StateDir is set.
	SnapshotInterval time.Duration
}

func (c *liveConfig) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "127.0.0.1:9464", "address of /metrics, /healthz and /readyz (empty disables)")
	fs.IntVar(&c.BatchSize, "batch-size", 20000, "most records per fetch-detect-write-commit cycle")
	fs.DurationVar(&c.BatchWait, "batch-wait", 500*time.Millisecond, "longest a fetch waits to fill a batch, and longest outputs wait between writes while catching up (bounds alert latency)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 30*time.Second, "after this long without records, advance event time by the wall clock")
	fs.DurationVar(&c.ExitWhenIdle, "exit-when-idle", 0, "once records were seen, stop after this long without new ones, closing every window (0: run forever)")
	fs.DurationVar(&c.RetryMax, "retry-max", 30*time.Second, "longest backoff between retries of a failed sink write")
	fs.StringVar(&c.StateDir, "state-dir", "", "directory of the detector snapshot: baselines and open windows survive restarts (empty: start from scratch every time)")
	fs.DurationVar(&c.SnapshotInterval, "snapshot-interval", 30*time.Second, "how often the detector state is snapshotted to --state-dir and the Kafka offsets committed")
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
	case c.SnapshotInterval <= 0:
		return errors.New("snapshot-interval: must be positive")
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
	fs.BoolVar(&f.infer, "infer-fields", true, "read fields that the topic names its own way (@timestamp, user, organisation, nb_records...), judged on the first batch, when it lacks the --field-* default names; a name set with --field-* is kept")
	return cmd
}

// runLive consumes until ctx ends (SIGTERM/SIGINT: stop fetching, flush,
// commit, return nil) or, with ExitWhenIdle, until the topic stays quiet.
// onAlert, when set, sees every alert once it is durable.
//
// Without a state directory, any stop closes every open window (as the end
// of a replay does) and the next start begins with empty baselines. With
// one, a stop snapshots the open windows instead, and only the end of input
// (ExitWhenIdle) closes them.
func runLive(ctx context.Context, f *runFlags, onAlert func(*detector.Alert)) error {
	log := f.logs.logger()
	f.kafka.Logger = log
	// NewKafkaSource validates the Kafka settings after filling defaults.
	for _, v := range []interface{ Validate() error }{&f.fields, &f.det, &f.live} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	f.fields.SetLocal(f.det.Location())
	det, err := detector.New(f.det)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)
	cp, err := newCheckpointer(&f.live, &f.kafka, &f.det, det, reg, log)
	if err != nil {
		return err
	}
	// A consumer restarted after a crash may wait for the group to evict
	// its dead predecessor before it is assigned partitions.
	cp.joinGrace = max(orDefault(f.kafka.SessionTimeout, ingest.DefaultKafkaSessionTimeout),
		orDefault(f.kafka.RebalanceTimeout, ingest.DefaultKafkaRebalanceTimeout))
	ops, err := startOps(f.live.MetricsAddr, reg, log)
	if err != nil {
		return fmt.Errorf("metrics-addr: %w", err)
	}
	defer ops.Close()

	sinks, err := f.out.open(ctx, log)
	if err != nil {
		return err
	}
	feeds, err := f.feed.open(&f.kafka, log)
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
	cp.restored(p)
	var dec ingest.Decoder = ingest.NewDecoder(ingest.FormatJSON, f.fields)
	if f.infer {
		dec = &inferringDecoder{fields: f.fields, dec: dec, log: log}
	}
	ops.setReady(true)
	log.Info("consuming", "topic", f.kafka.Topic, "group", f.kafka.Group)
	start := time.Now()
	done := map[int32]int64{}
	endOfInput, err := consume(ctx, p, src, dec, &f.live, m, cp, done, log)
	// Whatever stopped the loop, write what was detected, snapshot and
	// commit it: a graceful stop loses nothing, and re-reads only the
	// batches that were fetched ahead, never observed. The shutdown gets
	// its own context since ctx may be the cancelled one.
	sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if endOfInput || !cp.enabled() {
		p.det.Close()
	}
	cerr := writeWithRetry(sctx, p, f.live.RetryMax, log)
	if cerr == nil && cp.enabled() {
		cerr = cp.save(p)
	}
	if cerr == nil {
		cerr = src.CommitOffsets(sctx, done)
	}
	for _, s := range p.sinks {
		if e := s.w.Close(); e != nil && cerr == nil {
			cerr = fmt.Errorf("closing %s: %w", s.name, e)
		}
	}
	err = errors.Join(err, cerr)
	p.counts.Elapsed = time.Since(start)
	log.Info("stopped", "events", p.counts.Events, "alerts", p.counts.Alerts, "dead_letters", p.counts.DeadLetters,
		"late", p.counts.Late, "redelivered_skipped", cp.skipped, "elapsed", p.counts.Elapsed.Round(time.Millisecond))
	return err
}

// consume is the fetch → detect → write → (snapshot →) commit loop. It
// returns when ctx ends, with endOfInput set when the stream stayed idle
// for ExitWhenIdle instead. A goroutine fetches and decodes the next
// batches (fetchBatches) while this one detects, writes and commits: the
// detector still sees every record once, in fetch order, on one goroutine.
//
// done receives, per partition, the offset of the last record observed.
// The commits here and the caller's final one cover exactly those records,
// never the ones fetched ahead: their outputs are not written yet.
func consume(ctx context.Context, p *pipeline, src *ingest.KafkaSource, dec ingest.Decoder, cfg *liveConfig, m *metrics, cp *checkpointer, done map[int32]int64, log *slog.Logger) (endOfInput bool, err error) {
	// poll bounds one blocking fetch so idle streams are noticed.
	poll := min(cfg.IdleTimeout, time.Second)
	if cfg.ExitWhenIdle > 0 {
		poll = min(poll, cfg.ExitWhenIdle)
	}
	free := make(chan *fetchedBatch, batchesInFlight)
	for range batchesInFlight {
		free <- &fetchedBatch{}
	}
	// Every batch comes from free, so sends on batches never block.
	batches := make(chan *fetchedBatch, batchesInFlight)
	fctx, stopFetching := context.WithCancel(ctx)
	go fetchBatches(fctx, src, dec, cfg, poll, free, batches)
	defer func() {
		stopFetching()
		for range batches { // until fetchBatches has returned
		}
	}()

	var (
		quiet     = idleClock{since: time.Now()}
		lastWrite = time.Now()
		// alertsWritten is how many alerts the detector had emitted at
		// the last write.
		alertsWritten = alertCount(p.det.Stats())
		// deferred fires when outputs whose write was deferred (see
		// below) have waited BatchWait; nil when none are waiting.
		deferred <-chan time.Time
	)
	for {
		var (
			b  *fetchedBatch
			ok bool
		)
		select {
		case b, ok = <-batches:
			if !ok {
				return false, nil
			}
		case <-deferred:
		}
		deferred = nil
		if ctx.Err() != nil {
			// The caller writes, snapshots and commits what was
			// observed. The batches fetched ahead are dropped: the
			// group's next consumer reads them again.
			return false, nil
		}
		n := 0
		if b != nil {
			switch {
			case b.err == nil, errors.Is(b.err, context.DeadlineExceeded), errors.Is(b.err, context.Canceled), errors.Is(b.err, io.EOF):
				// A full batch, a poll without records, or the last one.
			default:
				return false, b.err
			}
			for i := range b.raws {
				raw := &b.raws[i]
				// The commit never moves back: after a rebalance Kafka
				// re-delivers from the committed offset records that were
				// already observed (admit skips them).
				if cur, ok := done[raw.Partition]; raw.Partition >= 0 && (!ok || raw.Offset > cur) {
					done[raw.Partition] = raw.Offset
				}
				switch {
				case !cp.admit(raw):
				case b.errs[i] != nil:
					p.deadLetter(raw, b.errs[i])
				default:
					p.observe(&b.events[i])
				}
			}
			n = len(b.raws)
			free <- b
		}
		if ctx.Err() != nil {
			return false, nil // as above
		}
		now := time.Now()
		ks := src.Stats()
		quiet.tick(now, n, ks.FetchRetries)
		if idle := quiet.idle(now); n == 0 && b != nil && idle >= cfg.IdleTimeout && p.newestTS > 0 {
			// Quiet stream: event time moves with the wall clock, so
			// open windows close and their alerts do not wait for the
			// next record.
			p.det.Advance(p.newestTS + idle.Milliseconds())
			cp.dirty = true
		}
		st := p.det.Stats()
		alerts := alertCount(st)
		if n == cfg.BatchSize && now.Sub(lastWrite) < cfg.BatchWait && alerts == alertsWritten && !cp.due(now) {
			// A full batch: catching up, more records are surely
			// waiting. One write of several batches costs the sinks far
			// less than one write each; only windows and incidents
			// wait, never an alert. Nothing is committed meanwhile.
			deferred = time.After(cfg.BatchWait - now.Sub(lastWrite))
			continue
		}
		if err := writeWithRetry(ctx, p, cfg.RetryMax, log); err != nil {
			if ctx.Err() != nil {
				return false, nil // the caller flushes and commits on the way out
			}
			return false, err
		}
		lastWrite, alertsWritten = now, alerts
		cp.observeStats(st)
		switch {
		case !cp.enabled():
			// A no-op when no record was observed since the last commit.
			if err := src.CommitOffsets(ctx, done); err != nil && ctx.Err() == nil {
				log.Warn("commit failed; offsets will be committed with the next batch", "err", err)
			}
		case cp.due(now):
			// Snapshot first, then commit the offsets it reflects: a
			// crash in between re-delivers records the snapshot already
			// holds, and admit skips them.
			records := cp.admitted
			if err := cp.save(p); err != nil {
				log.Error("snapshot failed; offsets stay uncommitted until the next one succeeds", "err", err)
			} else if afterSnapshot != nil {
				afterSnapshot(records)
			}
			if cp.dirty {
				// Not snapshotted: nothing to commit.
			} else if err := src.CommitOffsets(ctx, done); err != nil && ctx.Err() == nil {
				log.Warn("commit failed; offsets will be committed after the next snapshot", "err", err)
			}
		}
		m.lag.Set(float64(ks.Lag))
		if cfg.ExitWhenIdle > 0 && b != nil && n == 0 && cp.idleEnough(p.counts.Events+p.counts.DeadLetters+cp.skipped > 0, quiet.idle(now), cfg.ExitWhenIdle) {
			log.Info("no record for a while; stopping", "idle", cfg.ExitWhenIdle)
			return true, nil
		}
	}
}

// idleClock measures how long a stream has been quiet: no record and no
// broker error. An unreachable broker is not a quiet topic: treating it as
// one would advance event time by the wall clock (closing windows before
// the backlog arrives, late) and let --exit-when-idle stop the consumer.
type idleClock struct {
	since   time.Time
	retries int64
}

// tick records a loop turn at now that brought n records, with the
// source's running count of broker errors waited out.
func (c *idleClock) tick(now time.Time, n int, retries int64) {
	if n > 0 || retries != c.retries {
		c.since = now
	}
	c.retries = retries
}

// idle is how long the stream has been quiet at now.
func (c *idleClock) idle(now time.Time) time.Duration { return now.Sub(c.since) }

// alertCount is the number of alerts a detector has emitted.
func alertCount(st detector.Stats) int64 {
	var n int64
	for _, c := range st.AlertsBySeverity {
		n += c
	}
	return n
}

// batchesInFlight bounds the memory of the live loop: one batch being
// observed, one fetched ahead and waiting, one being fetched.
const batchesInFlight = 3

// fetchedBatch is the records of one Fetch, decoded. Its buffers are
// reused: the consume loop hands it back once the records are observed.
type fetchedBatch struct {
	raws   []ingest.Raw
	events []ingest.Event
	// errs[i] is the decode error of raws[i]; events[i] holds the event
	// when it is nil.
	errs []error
	// err is what ended the Fetch: nil (the batch is full or its wait
	// elapsed), context.DeadlineExceeded (no record within the poll),
	// ctx's error or io.EOF (the last batch), or a fetch failure.
	err error
}

// fetchBatches fetches and decodes batches of records into the buffers
// taken from free, and sends them in fetch order to out, until ctx ends or
// a fetch fails; then it closes out. dec is used on this goroutine only.
func fetchBatches(ctx context.Context, src *ingest.KafkaSource, dec ingest.Decoder, cfg *liveConfig, poll time.Duration, free <-chan *fetchedBatch, out chan<- *fetchedBatch) {
	defer close(out)
	for {
		var b *fetchedBatch
		select {
		case b = <-free:
		case <-ctx.Done():
			return
		}
		pctx, cancel := context.WithTimeout(ctx, poll)
		b.raws, b.err = src.Fetch(pctx, b.raws[:0], cfg.BatchSize, cfg.BatchWait)
		cancel()
		if ctx.Err() != nil && b.err == nil {
			b.err = ctx.Err()
		}
		if p, ok := dec.(*inferringDecoder); ok {
			p.prime(b.raws)
		}
		b.decode(dec)
		out <- b
		if b.err != nil && !errors.Is(b.err, context.DeadlineExceeded) || ctx.Err() != nil {
			return
		}
	}
}

// inferringDecoder reads a topic whose fields have names of their own:
// before the first batch is decoded, its records (at most inferLines)
// map the fields as replay's first lines do (ingest.FieldMap.Infer).
type inferringDecoder struct {
	fields ingest.FieldMap
	dec    ingest.Decoder
	log    *slog.Logger
	primed bool
}

// prime infers the fields from the first batch with records.
func (d *inferringDecoder) prime(raws []ingest.Raw) {
	if d.primed || len(raws) == 0 {
		return
	}
	d.primed = true
	lines := make([][]byte, 0, min(len(raws), inferLines))
	for _, r := range raws[:min(len(raws), inferLines)] {
		lines = append(lines, r.Data)
	}
	m := d.fields
	if notes := m.Infer(ingest.KeysOf(lines)); len(notes) > 0 {
		d.log.Info("the topic names its fields its own way; reading them as with "+strings.Join(notes, " "),
			"disable", "--infer-fields=false")
		d.dec = ingest.NewDecoder(ingest.FormatJSON, m)
	}
}

func (d *inferringDecoder) Decode(line []byte, ev *ingest.Event) error { return d.dec.Decode(line, ev) }

// decode decodes every record of b; a record that does not decode keeps
// its error and becomes a dead letter in the consume loop.
func (b *fetchedBatch) decode(dec ingest.Decoder) {
	n := len(b.raws)
	if cap(b.events) < n {
		b.events = make([]ingest.Event, n)
		b.errs = make([]error, n)
	}
	b.events, b.errs = b.events[:n], b.errs[:n]
	for i := range b.raws {
		ev := &b.events[i]
		ev.Reset()
		b.errs[i] = dec.Decode(b.raws[i].Data, ev)
	}
}

// afterSnapshot, when set (by tests), runs between a snapshot and the
// commit of its offsets: the window where a crash makes Kafka re-deliver
// records the snapshot already holds. It is told whether records were
// observed since the previous snapshot: a quiet stream's snapshots hold
// only the advance of event time, and nothing is re-delivered after them.
var afterSnapshot func(records bool)

// writeWithRetry writes the pending outputs, retrying with exponential
// backoff while a sink is down. Fetching pauses meanwhile once the batches
// in flight are fetched (backpressure): memory stays bounded by
// batchesInFlight batches and nothing is committed.
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
