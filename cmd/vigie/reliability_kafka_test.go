package main

// Kafka broker outages under `vigie run`: the broker becomes unreachable
// (every connection cut, new ones refused) in the middle of consumption and
// while an alert is being published, then comes back.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/sink/chtest"
)

// tcpProxy forwards every connection accepted on addr to target. cut
// closes the listener and every forwarded connection, as a broker that
// went away: dials are refused until restore listens on addr again.
type tcpProxy struct {
	addr   string
	target string // the broker's real address; guarded by mu

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func startProxy(tb testing.TB) *tcpProxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &tcpProxy{addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	p.serve(ln)
	tb.Cleanup(p.close)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed by cut or close
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.forward(c)
			}()
		}
	}()
}

// forward copies both ways between c and a new connection to the target
// until either side ends or cut closes them.
func (p *tcpProxy) forward(c net.Conn) {
	p.mu.Lock()
	target := p.target
	p.mu.Unlock()
	up, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // cut while dialing
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	c.Close()
	up.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

// cut makes the broker unreachable. It is safe to call from a kfake control
// function: it never calls into the cluster.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
}

// restore listens on the same address again.
func (p *tcpProxy) restore(tb testing.TB) {
	tb.Helper()
	var (
		ln  net.Listener
		err error
	)
	// The port was ours a moment ago; retry briefly in case the kernel
	// has not released it yet.
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			p.serve(ln)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("proxy: listening again on %s: %v", p.addr, err)
}

func (p *tcpProxy) close() {
	p.cut()
	p.wg.Wait()
}

// advertisedListener is a broker's real listener that reports the proxy's
// address: kfake advertises its listener's address in metadata and
// coordinator answers, so clients reconnect through the proxy too.
type advertisedListener struct {
	net.Listener
	addr net.Addr
}

func (l advertisedListener) Addr() net.Addr { return l.addr }

// proxiedBroker is a one-node kfake cluster reachable only through a
// proxy: kfake advertises the proxy's address in metadata and coordinator
// answers, so clients reconnect through it too. The cluster keeps its
// topics and the groups' offsets in a data directory, so it can be
// restarted.
type proxiedBroker struct {
	proxy  *tcpProxy
	dir    string
	topics []string
	// cluster is the running cluster; restart replaces it.
	cluster atomic.Pointer[kfake.Cluster]
}

func startProxiedBroker(tb testing.TB, topics ...string) *proxiedBroker {
	tb.Helper()
	b := &proxiedBroker{proxy: startProxy(tb), dir: filepath.Join(tb.TempDir(), "kafka"), topics: topics}
	b.start(tb)
	tb.Cleanup(func() { b.cluster.Load().Close() })
	return b
}

func (b *proxiedBroker) start(tb testing.TB) {
	tb.Helper()
	advertised, err := net.ResolveTCPAddr("tcp", b.proxy.addr)
	if err != nil {
		tb.Fatal(err)
	}
	var real string
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.SeedTopics(1, b.topics...),
		kfake.DataDir(b.dir),
		kfake.ListenFn(func(network, address string) (net.Listener, error) {
			ln, err := net.Listen(network, address)
			if err != nil {
				return nil, err
			}
			real = ln.Addr().String()
			return advertisedListener{ln, advertised}, nil
		}),
	)
	if err != nil {
		tb.Fatalf("starting kfake on %s: %v", b.dir, err)
	}
	b.proxy.mu.Lock()
	b.proxy.target = real
	b.proxy.mu.Unlock()
	b.cluster.Store(c)
}

// restart stops the broker (connections cut, data saved to its directory),
// keeps it down for down, and starts it again on the same data.
func (b *proxiedBroker) restart(tb testing.TB, down time.Duration) {
	tb.Helper()
	b.proxy.cut()
	b.cluster.Load().Close()
	time.Sleep(down)
	b.start(tb)
	b.proxy.restore(tb)
}

// committed is the offset group committed on partition 0 of topic, -1 when
// none; read in process, so it works while the proxy is cut.
func (b *proxiedBroker) committed(group, topic string) int64 {
	gi := b.cluster.Load().GroupInfo(group)
	if gi == nil {
		return -1
	}
	if gc, ok := gi.Commits[topic][0]; ok {
		return gc.Offset
	}
	return -1
}

// readTopicValues reads every record of partition 0 of topic.
func readTopicValues(tb testing.TB, b *proxiedBroker, topic string) [][]byte {
	tb.Helper()
	pi := b.cluster.Load().PartitionInfo(topic, 0)
	if pi == nil {
		tb.Fatalf("no partition 0 in %s", topic)
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{b.proxy.addr}, Topic: topic, Partition: 0, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out [][]byte
	for int64(len(out)) < pi.HighWatermark {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			tb.Fatalf("reading %s: %v after %d of %d records", topic, err, len(out), pi.HighWatermark)
		}
		out = append(out, m.Value)
	}
	return out
}

// replayReference replays lines in process into a new database of s: the
// outputs of an uninterrupted run that closes every window at the end.
func replayReference(t *testing.T, s *chtest.Server, lines [][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "input.jsonl")
	if err := os.WriteFile(path, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return replayFileReference(t, s, path)
}

// replayFileReference replays the file at path into a new database of s
// and returns the database: the outputs of an uninterrupted run.
func replayFileReference(t *testing.T, s *chtest.Server, path string) string {
	t.Helper()
	ref := s.NewDatabase(t)
	f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig()}
	f.out.clickhouse.DSN, f.out.clickhouse.Database, f.out.migrate = s.DSN(ref), ref, true
	f.logs.level = "error"
	if err := runReplay(context.Background(), f, []string{path}); err != nil {
		t.Fatal(err)
	}
	return ref
}

// TestKafkaBrokerOutage takes the broker away twice while `vigie run`
// consumes, and checks that vigie keeps running, retries, resumes by
// itself and ends with the outputs of an uninterrupted run: every event
// counted once, every alert in ClickHouse and on the alerts topic.
//
//  1. Unreachable: every connection is cut and new ones refused for 12 s,
//     longer than the consumer's 6 s session timeout, starting at the
//     moment vigie publishes an alert a quarter of the way through the
//     input (consumer and alerts sink both in flight).
//  2. Restart: two thirds of the way through, the broker stops (its data
//     saved to disk), stays down 3 s and starts again on the same data.
func TestKafkaBrokerOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("a vigie process and two broker outages; not in -short")
	}
	const (
		alertsTopic = "alerts"
		group       = "outage"
		outage      = 12 * time.Second
		down        = 3 * time.Second
	)
	s := chtest.Start(t)
	lines := smallScenario(t).lines
	total := int64(len(lines))
	b := startProxiedBroker(t, liveTopic, alertsTopic)
	produceLines(t, []string{b.proxy.addr}, liveTopic, lines)

	// The produce request that starts outage 1 is answered by a closed
	// connection, as from a broker dying mid-request.
	var armed atomic.Bool
	cutAt := make(chan time.Time, 1)
	b.cluster.Load().ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		pr := req.(*kmsg.ProduceRequest)
		if !armed.Load() || len(pr.Topics) == 0 || pr.Topics[0].Topic != alertsTopic {
			return nil, nil, false
		}
		armed.Store(false)
		b.proxy.cut()
		cutAt <- time.Now()
		return nil, errors.New("broker unreachable"), true
	})

	db := s.NewDatabase(t)
	metricsAddr := freeAddr(t)
	p := startVigie(t, runArgs([]string{b.proxy.addr}, liveTopic, group, s, db,
		// The run ends with SIGTERM once everything is committed: an idle
		// exit cannot tell an outage from the end of the input.
		"--exit-when-idle", "0", "--batch-size", "250", "--batch-wait", "20ms",
		"--metrics-addr", metricsAddr,
		"--alerts-topic", alertsTopic, "--alerts-timeout", "5s",
		"--alerts-retries", "3", "--alerts-backoff", "200ms", "--alerts-max-backoff", "1s")...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("vigie output:\n%s", tailString(p.out.String(), 8000))
		}
	})
	committedAtLeast := func(n int64, d time.Duration) {
		t.Helper()
		if !waitFor(d, func() bool { return b.committed(group, liveTopic) >= n || p.exited() }) {
			t.Fatalf("vigie committed %d of %d records, not %d, within %s", b.committed(group, liveTopic), total, n, d)
		}
		if p.exited() {
			t.Fatal("vigie exited")
		}
	}

	// Outage 1: unreachable.
	committedAtLeast(total/4, time.Minute)
	armed.Store(true)
	var cut time.Time
	select {
	case cut = <-cutAt:
	case <-time.After(time.Minute):
		t.Fatal("vigie published no alert after a quarter of the input")
	}
	t.Logf("broker unreachable at committed offset %d of %d", b.committed(group, liveTopic), total)
	time.Sleep(outage - time.Since(cut))
	if p.exited() {
		t.Fatal("vigie exited while the broker was unreachable")
	}
	during := scrape(t, metricsAddr)
	b.proxy.restore(t)

	// Outage 2: restart.
	committedAtLeast(2*total/3, time.Minute)
	t.Logf("broker restarting at committed offset %d of %d", b.committed(group, liveTopic), total)
	b.restart(t, down)
	if p.exited() {
		t.Fatal("vigie exited while the broker restarted")
	}
	if got := b.committed(group, liveTopic); got < 2*total/3 {
		t.Fatalf("the restarted broker lost the group's offsets: %d, want at least %d", got, 2*total/3)
	}
	restarted := time.Now()
	committedAtLeast(total, 2*time.Minute)
	t.Logf("everything committed %s after the restart", time.Since(restarted).Round(100*time.Millisecond))
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.wait(t, time.Minute)

	// The outages are visible: the alerts sink retried and gave up on its
	// batch (metrics and log) and the consumer logged its broken
	// connections.
	for _, series := range []string{`vigie_sink_errors_total{sink="kafka_alerts"}`,
		`vigie_feed_alerts_total{result="failed",sink="kafka_alerts"}`, `vigie_feed_alerts_total{result="retried",sink="kafka_alerts"}`} {
		if n := during[series]; n < 1 {
			t.Errorf("%s = %v during the outage, want at least 1", series, n)
		}
	}
	out := p.out.String()
	for _, want := range []string{"kafka alerts publish failed, retrying", "sink write failed; retrying", "kafka reader"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the log", want)
		}
	}

	// Every event counted once, outputs equal to an uninterrupted run.
	if got := countRows(t, s, db, "SELECT sum(events) FROM "+db+".windows FINAL WHERE entity_type = 'account' AND resolution = 'day'"); got != uint64(total) {
		t.Errorf("day windows count %d events, want %d", got, total)
	}
	ref := replayReference(t, s, lines)
	alerts := compareOutputs(t, s, ref, db)

	// Every alert reached the alerts topic, at least once.
	ids := map[string]int{}
	for _, v := range readTopicValues(t, b, alertsTopic) {
		var a struct {
			AlertID string `json:"alert_id"`
		}
		if err := json.Unmarshal(v, &a); err != nil {
			t.Fatalf("alerts topic: %v: %s", err, v)
		}
		ids[a.AlertID]++
	}
	dups := 0
	for _, r := range queryRows(t, s, db, "SELECT alert_id FROM alerts FINAL") {
		switch n := ids[r]; {
		case n == 0:
			t.Errorf("alert %s is not on the alerts topic", r)
		case n > 1:
			dups += n - 1
		}
		delete(ids, r)
	}
	if len(ids) > 0 {
		t.Errorf("%d alert ids on the topic are not in ClickHouse", len(ids))
	}
	t.Logf("%d alerts, %d published twice (at-least-once: alert_id deduplicates); %d broken-connection logs, %d re-delivered records skipped",
		alerts, dups, strings.Count(out, "kafka reader"), redeliveredSkipped(out))
}

// redeliveredSkipped reads redelivered_skipped from vigie's "stopped" log
// line.
func redeliveredSkipped(out string) int {
	_, after, ok := strings.Cut(out, "redelivered_skipped=")
	if !ok {
		return -1
	}
	n, _ := strconv.Atoi(strings.Fields(after)[0])
	return n
}
