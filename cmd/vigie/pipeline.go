package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/sink"
)

// writer is one output of the pipeline (JSON lines, ClickHouse, Kafka,
// webhook). Write returning nil means the batch is durable.
type writer interface {
	Write(ctx context.Context, b *sink.Batch) error
	Close() error
}

// deliveryReporter is a writer that counts the alerts it delivered, retried
// and gave up on (the Kafka and webhook feeds).
type deliveryReporter interface {
	Delivery() sink.DeliveryStats
}

// namedWriter labels a writer for metrics and errors.
type namedWriter struct {
	name string
	w    writer
}

// pipeline is the one code path shared by replay, run and demo: decode,
// observe, drain the detector, write every sink. It is not safe for
// concurrent use.
type pipeline struct {
	det     *detector.Detector
	sinks   []namedWriter
	metrics *metrics
	log     *slog.Logger
	// onAlert, when set, sees each alert after it was durably written.
	onAlert func(*detector.Alert)

	ev    ingest.Event
	batch sink.Batch
	// deferred holds the sinks' writes back (replay's --sort): an input
	// found out of time order is replayed again, sorted, before anything
	// is written (resorted). With holdAll (--sort always) the writes wait
	// for the end of the input, else for a tenth of it.
	deferred, holdAll bool
	// accepted[i] is how much of batch sinks[i] has already accepted: when
	// a later sink fails, the retry sends each sink only what it has not
	// accepted yet, so a JSON lines file or a feed gets no duplicates.
	accepted []batchMark
	// delivered[i] is what sinks[i] had reported through Delivery when
	// vigie_feed_alerts_total was last brought up to date.
	delivered []sink.DeliveryStats
	out       detector.Output
	counts    summary
	// newestTS is the newest event time seen, for the close-delay metric.
	newestTS int64
}

// summary is what a run reports at the end.
type summary struct {
	Events      int64
	DeadLetters int64
	Alerts      int64
	Incidents   int64
	Windows     int64
	Late        int64
	Excused     int64
	Accounts    int
	Orgs        int
	Elapsed     time.Duration
	// DeadByReason counts the dead letters by reason; FirstDead describes
	// the first (where, why, and the keys of its JSON object).
	DeadByReason map[string]int64
	FirstDead    string
}

func newPipeline(det *detector.Detector, sinks []namedWriter, m *metrics, log *slog.Logger) *pipeline {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &pipeline{det: det, sinks: sinks, metrics: m, log: log}
}

// handle decodes one raw record and feeds it to the detector; a record that
// does not decode becomes a dead letter and the stream goes on.
func (p *pipeline) handle(raw *ingest.Raw, dec ingest.Decoder) {
	p.ev.Reset()
	if err := dec.Decode(raw.Data, &p.ev); err != nil {
		p.deadLetter(raw, err)
		return
	}
	p.observe(&p.ev)
}

// observe feeds one decoded event to the detector.
func (p *pipeline) observe(ev *ingest.Event) {
	p.det.Observe(ev)
	p.counts.Events++
	p.metrics.events.Inc()
	if ev.TS > p.newestTS {
		p.newestTS = ev.TS
	}
}

// deadLetter keeps a rejected record with its reason.
func (p *pipeline) deadLetter(raw *ingest.Raw, err error) {
	reason := "decode_error"
	var de *ingest.DecodeError
	if errors.As(err, &de) && de.Reason != "" {
		reason = de.Reason
	}
	// A line too long to decode is kept only in part, as the file reader
	// does: the dead letter identifies it without storing megabytes.
	data := raw.Data
	if len(data) > ingest.TruncatedLineBytes {
		data = data[:ingest.TruncatedLineBytes]
	}
	p.batch.DeadLetters = append(p.batch.DeadLetters, ingest.DeadLetter{
		ReceivedAt: time.Now().UTC().Truncate(time.Second),
		Source:     raw.Source,
		Partition:  raw.Partition,
		Offset:     raw.Offset,
		Reason:     reason,
		Error:      err.Error(),
		Raw:        string(data),
	})
	p.counts.DeadLetters++
	if p.counts.DeadByReason == nil {
		p.counts.DeadByReason = map[string]int64{}
		p.counts.FirstDead = describeDead(raw, err)
	}
	p.counts.DeadByReason[reason]++
	p.metrics.decodeErrors.WithLabelValues(reason).Inc()
	p.metrics.deadLetters.Inc()
}

// describeDead says where a dead letter came from and why and, for a
// JSON object, which keys it has: a log whose fields are named otherwise
// ("timestamp", "user") shows at once what to pass to --field-ts and
// --field-account.
func describeDead(raw *ingest.Raw, err error) string {
	where := raw.Source
	if raw.Partition >= 0 {
		where += fmt.Sprintf(" partition %d offset %d", raw.Partition, raw.Offset)
	} else {
		where += fmt.Sprintf(" line %d", raw.Offset)
	}
	d := where + ": " + err.Error()
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw.Data, &obj) == nil && len(obj) > 0 {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) > 12 {
			keys = append(keys[:12], "...")
		}
		d += "; its keys: " + strings.Join(keys, ", ") + " (map them with --field-ts, --field-account...)"
	}
	return d
}

// flush drains the detector and writes everything to every sink. It returns
// nil only when every sink accepted the batch: the caller may then commit the
// input offsets. After an error, the next flush writes each sink only what
// it has not accepted yet.
func (p *pipeline) flush(ctx context.Context) error {
	p.det.Take(&p.out)
	p.batch.Alerts = append(p.batch.Alerts, p.out.Alerts...)
	p.batch.Incidents = append(p.batch.Incidents, p.out.Incidents...)
	p.batch.Windows = append(p.batch.Windows, p.out.Windows...)
	st := p.det.Stats()
	p.metrics.tracked.WithLabelValues("account").Set(float64(st.TrackedAccounts))
	p.metrics.tracked.WithLabelValues("org").Set(float64(st.TrackedOrgs))
	if late := st.Late - p.counts.Late; late > 0 {
		p.metrics.lateEvents.Add(float64(late))
	}
	if ex := st.Excused - p.counts.Excused; ex > 0 {
		p.metrics.excused.Add(float64(ex))
	}
	p.counts.Late, p.counts.Excused, p.counts.Accounts, p.counts.Orgs = st.Late, st.Excused, st.TrackedAccounts, st.TrackedOrgs
	if p.batch.Len() == 0 {
		return nil
	}
	if len(p.accepted) != len(p.sinks) {
		p.accepted = make([]batchMark, len(p.sinks))
		p.delivered = make([]sink.DeliveryStats, len(p.sinks))
	}
	all := markOf(&p.batch)
	for i, s := range p.sinks {
		if p.accepted[i] == all {
			continue // accepted before another sink failed
		}
		rest := p.accepted[i].rest(&p.batch)
		start := time.Now()
		err := s.w.Write(ctx, &rest)
		p.metrics.sinkSeconds.WithLabelValues(s.name).Observe(time.Since(start).Seconds())
		p.countDelivery(i)
		if err != nil {
			p.metrics.sinkErrors.WithLabelValues(s.name).Inc()
			return fmt.Errorf("writing to %s: %w", s.name, err)
		}
		p.accepted[i] = all
	}
	if p.newestTS > 0 {
		p.metrics.closeDelay.Observe(time.Since(time.UnixMilli(p.newestTS)).Seconds())
		p.metrics.lastEventTime.Set(float64(p.newestTS) / 1000)
	}
	for i := range p.batch.Alerts {
		a := &p.batch.Alerts[i]
		p.metrics.alerts.WithLabelValues(a.Severity, a.Detector).Inc()
		if p.onAlert != nil {
			p.onAlert(a)
		}
	}
	p.counts.Alerts += int64(len(p.batch.Alerts))
	p.counts.Incidents += int64(len(p.batch.Incidents))
	p.counts.Windows += int64(len(p.batch.Windows))
	p.batch.Reset()
	clear(p.accepted)
	return nil
}

// countDelivery adds to vigie_feed_alerts_total what sinks[i] delivered,
// retried and gave up on since the last call, when it counts them.
func (p *pipeline) countDelivery(i int) {
	r, ok := p.sinks[i].w.(deliveryReporter)
	if !ok {
		return
	}
	now, last := r.Delivery(), p.delivered[i]
	name := p.sinks[i].name
	p.metrics.feedAlerts.WithLabelValues(name, "delivered").Add(float64(now.Delivered - last.Delivered))
	p.metrics.feedAlerts.WithLabelValues(name, "retried").Add(float64(now.Retries - last.Retries))
	p.metrics.feedAlerts.WithLabelValues(name, "failed").Add(float64(now.Failed - last.Failed))
	p.delivered[i] = now
}

// batchMark is a prefix of a batch: how many of each kind of output.
type batchMark struct {
	alerts, incidents, windows, deadLetters int
}

func markOf(b *sink.Batch) batchMark {
	return batchMark{len(b.Alerts), len(b.Incidents), len(b.Windows), len(b.DeadLetters)}
}

// rest is what b holds beyond the prefix m (all of b when m is empty).
func (m batchMark) rest(b *sink.Batch) sink.Batch {
	return sink.Batch{
		Alerts:      b.Alerts[m.alerts:],
		Incidents:   b.Incidents[m.incidents:],
		Windows:     b.Windows[m.windows:],
		DeadLetters: b.DeadLetters[m.deadLetters:],
	}
}

// close flushes the detector's remaining windows and closes the sinks.
func (p *pipeline) close(ctx context.Context) error {
	p.det.Close()
	err := p.flush(ctx)
	for _, s := range p.sinks {
		if cerr := s.w.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing %s: %w", s.name, cerr)
		}
	}
	return err
}
