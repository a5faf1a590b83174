package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/spf13/pflag"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink/chtest"
)

// BenchmarkLive measures `vigie run` end to end: a generated fortnight
// (default accounts and orgs, 14 days, about 600k events) is produced into
// the embedded Kafka-protocol broker, then each iteration consumes the whole
// topic as a new group through the detector into a fresh database of the
// real ClickHouse test server (alerts, incidents, windows), committing the
// offsets. The idle wait that ends the run is not timed. Bytes are the JSON
// consumed. cpu-s/op is the CPU time of this process per run (Vigie, the
// broker and the test), server-cpu-s/op that of the ClickHouse server when
// it is a child process (Linux): on a small machine they share the cores.
func BenchmarkLive(b *testing.B) {
	cfg := synth.DefaultConfig()
	cfg.Days = 14
	var buf bytes.Buffer
	labels, err := synth.Generate(cfg, &buf)
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	const topic = "access"
	broker, err := ingest.StartEmbeddedBroker(context.Background(), map[string]int{topic: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer broker.Close()
	prod := ingest.NewProducer(broker.Addrs(), topic)
	for rest := lines; len(rest) > 0; {
		n := min(len(rest), 5000)
		if err := prod.Produce(context.Background(), nil, rest[:n]...); err != nil {
			b.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := prod.Close(); err != nil {
		b.Fatal(err)
	}
	ch := chtest.Start(b)

	const idle = time.Second
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	var timed, cpu, serverCPU time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := ch.NewDatabase(b)
		group := fmt.Sprintf("bench-%d", i)
		f := &runFlags{fields: ingest.DefaultFieldMap(), det: detector.DefaultConfig()}
		f.kafka = ingest.KafkaConfig{Brokers: broker.Addrs(), Topic: topic, Group: group, Start: ingest.StartEarliest}
		f.out.clickhouse.DSN, f.out.clickhouse.Database = ch.DSN(db), db
		f.out.migrate = true
		f.logs = logFlags{level: "error", format: "text"}
		f.live.register(pflag.NewFlagSet("run", pflag.ContinueOnError))
		f.live.MetricsAddr = ""
		f.live.ExitWhenIdle = idle
		b.StartTimer()
		start, cpu0, server0 := time.Now(), processCPU(b), childrenCPU()
		if err := runLive(context.Background(), f, nil); err != nil {
			b.Fatal(err)
		}
		timed += time.Since(start) - idle
		cpu += processCPU(b) - cpu0
		serverCPU += childrenCPU() - server0
		b.StopTimer()
		if off := committedOffset0(b, broker.Addrs(), group, topic); off != int64(len(lines)) {
			b.Fatalf("committed offset %d, want %d", off, len(lines))
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(labels.Events)*float64(b.N)/timed.Seconds(), "events/s")
	b.ReportMetric(timed.Seconds()/float64(b.N), "s/run")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	if serverCPU > 0 {
		b.ReportMetric(serverCPU.Seconds()/float64(b.N), "server-cpu-s/op")
	}
}

// childrenCPU returns the CPU time used so far by the running child
// processes of this one (the ClickHouse test server), from /proc; 0 where
// there is no /proc.
func childrenCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	ppid := strconv.Itoa(os.Getpid())
	var ticks int64
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // the process ended meanwhile
		}
		// pid (comm) state ppid ... utime stime: fields 4, 14 and 15;
		// comm may hold spaces, hence the split after the last ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 || f[1] != ppid {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += utime + stime
	}
	// /proc counts in USER_HZ, 100 on every Linux architecture Go runs on.
	return time.Duration(ticks) * (time.Second / 100)
}

// committedOffset0 returns the committed offset of group on partition 0 of
// topic, -1 when none.
func committedOffset0(tb testing.TB, addrs []string, group, topic string) int64 {
	tb.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addrs...), Timeout: 10 * time.Second}
	resp, err := c.OffsetFetch(context.Background(), &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: {0}}})
	if err == nil && !errors.Is(resp.Error, kafka.GroupIdNotFound) {
		err = resp.Error
	}
	if err != nil {
		tb.Fatalf("fetching the committed offset of %s: %v", group, err)
	}
	for _, p := range resp.Topics[topic] {
		if p.Partition == 0 && p.Error == nil {
			return p.CommittedOffset
		}
	}
	return -1
}
