package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/detector/eval"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink"
	"github.com/vigie/vigie/sink/chtest"
)

func init() { subcommands = append(subcommands, newDemoCmd) }

const (
	demoTopic       = "vigie.access"
	demoAlertsTopic = "vigie.alerts"
)

type demoFlags struct {
	gen        synth.Config
	eval       eval.Config
	outDir     string
	clickhouse string
	database   string
	shown      int
	logLevel   string
}

func newDemoCmd() *cobra.Command {
	f := &demoFlags{gen: synth.DefaultConfig(), eval: eval.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "demo [flags]",
		Short: "Generate a month with injected attacks, stream it through an embedded Kafka broker into the live detector, and score the alerts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), f, cmd.OutOrStdout())
		},
	}
	fs := cmd.Flags()
	f.gen.RegisterFlags(fs)
	f.eval.RegisterFlags(fs)
	fs.StringVar(&f.outDir, "out-dir", "out/demo", "directory for the events, labels, alerts, incidents and windows")
	fs.StringVar(&f.clickhouse, "clickhouse", "auto", `ClickHouse DSN; "auto" starts a throwaway local clickhouse-server when one is installed; "" for none`)
	fs.StringVar(&f.database, "clickhouse-database", "vigie", "ClickHouse database")
	fs.StringVar(&f.logLevel, "log-level", "warn", "log level of the live detector")
	fs.IntVar(&f.shown, "show", 25, "alerts printed as they fire before the rest are only counted")
	return cmd
}

func runDemo(ctx context.Context, f *demoFlags, stdout io.Writer) error {
	if err := f.gen.Validate(); err != nil {
		return err
	}
	if err := os.MkdirAll(f.outDir, 0o755); err != nil {
		return err
	}
	started := time.Now()
	say := func(format string, args ...any) {
		fmt.Fprintf(stdout, "[%5.1fs] "+format+"\n", append([]any{time.Since(started).Seconds()}, args...)...)
	}

	// 1. A labelled month of access logs.
	var events bytes.Buffer
	labels, err := synth.Generate(f.gen, &events)
	if err != nil {
		return err
	}
	eventsPath := filepath.Join(f.outDir, "events.jsonl")
	labelsPath := filepath.Join(f.outDir, "labels.json")
	if err := os.WriteFile(eventsPath, events.Bytes(), 0o644); err != nil {
		return err
	}
	lb, _ := json.MarshalIndent(labels, "", "  ")
	if err := os.WriteFile(labelsPath, lb, 0o644); err != nil {
		return err
	}
	say("generated %d events of %d accounts over %d days, with %d labelled attacks (%s)",
		labels.Events, labels.AccountCount, labels.Days, len(labels.Attacks), eventsPath)

	// 2. An embedded Kafka-protocol broker.
	broker, err := ingest.StartEmbeddedBroker(ctx, map[string]int{demoTopic: 1, demoAlertsTopic: 1})
	if err != nil {
		return err
	}
	defer broker.Close()
	say("embedded Kafka broker on %v", broker.Addrs())

	// 3. ClickHouse, when there is one.
	dsn := f.clickhouse
	if dsn == "auto" {
		dsn = ""
		if bin, err := exec.LookPath("clickhouse-server"); err == nil {
			srv, stop, err := chtest.Launch(bin)
			if err != nil {
				say("could not start clickhouse-server (%v): alerts go to JSON lines only", err)
			} else {
				defer stop()
				dsn = srv.DSN(f.database)
				say("started a throwaway ClickHouse at %s", srv.Addr)
			}
		} else {
			say("clickhouse-server not installed: alerts go to JSON lines only (make deps installs it)")
		}
	}

	// 4. Produce the month in accelerated time while the detector consumes.
	pctx, cancelProduce := context.WithCancel(ctx)
	defer cancelProduce()
	var produced atomic.Int64
	produceErr := make(chan error, 1)
	lctx, cancelLive := context.WithCancel(ctx)
	defer cancelLive()
	go func() {
		err := produceAll(pctx, broker.Addrs(), events.Bytes(), &produced)
		if err != nil {
			cancelLive() // the consumer would otherwise wait for records that never come
		}
		produceErr <- err
	}()

	rf := &runFlags{fields: ingest.DefaultFieldMap(), det: detector.DefaultConfig()}
	rf.kafka = ingest.KafkaConfig{Brokers: broker.Addrs(), Topic: demoTopic, Group: "vigie-demo", Start: ingest.StartEarliest}
	rf.out.jsonl.Alerts = filepath.Join(f.outDir, "alerts.jsonl")
	rf.out.jsonl.Incidents = filepath.Join(f.outDir, "incidents.jsonl")
	rf.out.jsonl.Windows = filepath.Join(f.outDir, "windows.jsonl")
	rf.out.jsonl.DeadLetters = filepath.Join(f.outDir, "dead-letters.jsonl")
	rf.out.jsonl.AlertFormat = "native"
	rf.out.jsonl.Truncate = true
	rf.out.clickhouse.DSN = dsn
	rf.out.clickhouse.Database = f.database
	rf.out.migrate = true
	rf.feed.kafka = sink.KafkaSinkConfig{Topic: demoAlertsTopic, Format: "native", Timeout: 10 * time.Second,
		RetryPolicy: sink.RetryPolicy{Retries: 5, Backoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second}}
	rf.logs = logFlags{level: f.logLevel, format: "text"}
	rf.live = liveConfig{BatchSize: 20000, BatchWait: 200 * time.Millisecond, IdleTimeout: 2 * time.Second,
		ExitWhenIdle: 3 * time.Second, RetryMax: 5 * time.Second, SnapshotInterval: 30 * time.Second}

	var alerts int
	onAlert := func(a *detector.Alert) {
		alerts++
		if alerts <= f.shown {
			fmt.Fprintf(stdout, "  ALERT %-8s %s %s\n", a.Severity, a.FiredAt.Format("2006-01-02 15:04"), a.Explanation)
		} else if alerts == f.shown+1 {
			fmt.Fprintf(stdout, "  ... further alerts are counted, not printed (--show)\n")
		}
	}
	say("live detector consuming %s (alerts also published to %s)", demoTopic, demoAlertsTopic)
	liveErr := runLive(lctx, rf, onAlert)
	cancelProduce()
	if err := <-produceErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if liveErr != nil {
		return liveErr
	}
	say("consumed %d records; %d alerts", produced.Load(), alerts)

	// 5. Score the alerts against the labels.
	af, err := os.Open(rf.out.jsonl.Alerts)
	if err != nil {
		return err
	}
	got, err := eval.ReadAlerts(af)
	af.Close()
	if err != nil {
		return err
	}
	stream, err := eval.NewEventStream(bytes.NewReader(events.Bytes()), ingest.DefaultFieldMap())
	if err != nil {
		return err
	}
	res := eval.Evaluate(f.eval, labels, got, stream.All())
	if err := stream.Err(); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := res.WriteText(stdout); err != nil {
		return err
	}
	say("outputs in %s; score them again with: vigie eval --labels %s --alerts %s --events %s",
		f.outDir, labelsPath, rf.out.jsonl.Alerts, eventsPath)
	return nil
}

// produceAll writes every line of data to the demo topic in chunks.
func produceAll(ctx context.Context, brokers []string, data []byte, n *atomic.Int64) error {
	p := ingest.NewProducer(brokers, demoTopic)
	defer p.Close()
	chunk := make([][]byte, 0, 10000)
	send := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if err := p.Produce(ctx, nil, chunk...); err != nil {
			return err
		}
		n.Add(int64(len(chunk)))
		chunk = chunk[:0]
		return nil
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(line) == 0 {
			continue
		}
		chunk = append(chunk, line)
		if len(chunk) == cap(chunk) {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := send(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
