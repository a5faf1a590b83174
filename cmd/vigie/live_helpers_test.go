package main

// Helpers of the live_*_test.go integration tests: `vigie run` against the
// embedded Kafka-protocol broker over TCP and a real ClickHouse server.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/spf13/pflag"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink/chtest"
)

const liveTopic = "access"

// liveScenario is a small generated month: 100 accounts over 14 days, about
// 49,000 events holding the five labelled attacks.
type liveScenario struct {
	lines  [][]byte
	data   []byte
	labels *synth.Labels
	// bulk lists the accounts of the bulk_extraction attack.
	bulk []string
}

var (
	scenarioOnce sync.Once
	scenario     *liveScenario
	scenarioErr  error
)

// smallScenario generates the scenario once per test binary.
func smallScenario(tb testing.TB) *liveScenario {
	tb.Helper()
	scenarioOnce.Do(func() {
		cfg := synth.DefaultConfig()
		cfg.Accounts, cfg.Orgs, cfg.Days = 100, 10, 14
		var buf bytes.Buffer
		labels, err := synth.Generate(cfg, &buf)
		if err != nil {
			scenarioErr = err
			return
		}
		s := &liveScenario{data: buf.Bytes(), labels: labels}
		for _, l := range bytes.Split(bytes.TrimSuffix(s.data, []byte("\n")), []byte("\n")) {
			s.lines = append(s.lines, l)
		}
		for _, a := range labels.Attacks {
			if a.Shape == synth.ShapeBulkExtraction {
				s.bulk = append(s.bulk, a.Accounts...)
			}
		}
		scenario = s
	})
	if scenarioErr != nil {
		tb.Fatalf("generating the scenario: %v", scenarioErr)
	}
	if len(scenario.bulk) == 0 {
		tb.Fatal("the scenario has no bulk_extraction attack")
	}
	return scenario
}

// startLiveBroker starts an embedded broker with the given one-partition
// topics, closed when the test ends.
func startLiveBroker(tb testing.TB, topics ...string) *ingest.EmbeddedBroker {
	tb.Helper()
	m := map[string]int{}
	for _, t := range topics {
		m[t] = 1
	}
	b, err := ingest.StartEmbeddedBroker(context.Background(), m)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return b
}

// produceLines writes lines to topic in order, in chunks that stay under the
// producer's batch limits.
func produceLines(tb testing.TB, addrs []string, topic string, lines [][]byte) {
	tb.Helper()
	p := ingest.NewProducer(addrs, topic)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for len(lines) > 0 {
		n := min(len(lines), 5000)
		if err := p.Produce(ctx, nil, lines[:n]...); err != nil {
			tb.Fatal(err)
		}
		lines = lines[n:]
	}
}

// liveFlags returns the flags of a `vigie run` consuming topic as group,
// with test-sized batches, stopping after 1.5 s without records.
func liveFlags(addrs []string, topic, group string) *runFlags {
	f := &runFlags{fields: ingest.DefaultFieldMap(), det: detector.DefaultConfig()}
	f.kafka = ingest.KafkaConfig{Brokers: addrs, Topic: topic, Group: group, Start: ingest.StartEarliest,
		MaxWait: 100 * time.Millisecond}
	f.out.jsonl.AlertFormat = "native"
	f.out.jsonl.Truncate = true
	f.out.migrate = true
	f.logs = logFlags{level: "warn", format: "text"}
	// The flag defaults first, so settings added later keep valid values.
	f.live.register(pflag.NewFlagSet("run", pflag.ContinueOnError))
	f.live.MetricsAddr = ""
	f.live.BatchSize, f.live.BatchWait = 5000, 50*time.Millisecond
	f.live.IdleTimeout, f.live.ExitWhenIdle = time.Minute, 1500*time.Millisecond
	f.live.RetryMax = time.Second
	return f
}

// withClickHouse directs f's outputs to a fresh database of the shared test
// server and returns a connection to it.
func withClickHouse(t *testing.T, f *runFlags) (*chtest.Server, string) {
	t.Helper()
	s := chtest.Start(t)
	db := s.NewDatabase(t)
	f.out.clickhouse.DSN = s.DSN(db)
	f.out.clickhouse.Database = db
	return s, db
}

// runLiveTimeout runs runLive, failing the test if it does not return within
// d.
func runLiveTimeout(t *testing.T, ctx context.Context, f *runFlags, d time.Duration, onAlert func(*detector.Alert)) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	err := runLive(ctx, f, onAlert)
	if ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("runLive did not stop by itself within %s", d)
	}
	return err
}

// committedOffset returns the group's committed offset of partition 0 of
// topic, -1 when none.
func committedOffset(tb testing.TB, addrs []string, group, topic string) int64 {
	tb.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addrs...), Timeout: 10 * time.Second}
	resp, err := c.OffsetFetch(context.Background(), &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: {0}}})
	if err != nil {
		tb.Fatalf("fetching the committed offset of %s: %v", group, err)
	}
	if errors.Is(resp.Error, kafka.GroupIdNotFound) {
		return -1 // the group has not joined yet
	}
	if resp.Error != nil {
		tb.Fatalf("fetching the committed offset of %s: %v", group, resp.Error)
	}
	for _, p := range resp.Topics[topic] {
		if p.Partition == 0 {
			if p.Error != nil {
				tb.Fatalf("committed offset of %s: %v", group, p.Error)
			}
			return p.CommittedOffset
		}
	}
	return -1
}

// remaining joins group with a fresh source and returns what it finds left
// to consume within wait (nothing, when everything was committed).
func remaining(tb testing.TB, addrs []string, topic, group string, wait time.Duration) []ingest.Raw {
	tb.Helper()
	src, err := ingest.NewKafkaSource(ingest.KafkaConfig{Brokers: addrs, Topic: topic, Group: group})
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	var got []ingest.Raw
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		var err error
		got, err = src.Fetch(ctx, got, 100000, 200*time.Millisecond)
		cancel()
		if err != nil && ctx.Err() == nil {
			tb.Fatal(err)
		}
	}
	return got
}

// chAlert is the identity of an alert row.
type chAlert struct {
	AlertID  string
	Entity   string
	Detector string
	FiredAt  time.Time
	Observed float64
}

func (a chAlert) String() string {
	return fmt.Sprintf("%s %s %s %s %.0f", a.AlertID, a.Entity, a.Detector, a.FiredAt.UTC().Format(time.RFC3339), a.Observed)
}

func alertKey(a *detector.Alert) chAlert {
	return chAlert{a.AlertID, a.Entity, a.Detector, a.FiredAt.UTC(), a.Observed}
}

// readAlerts returns the alerts stored in db, FINAL, sorted by id.
func readAlerts(t *testing.T, s *chtest.Server, db string) []chAlert {
	t.Helper()
	rows, err := s.Conn(t, db).Query(context.Background(),
		"SELECT alert_id, entity, detector, fired_at, observed FROM "+db+".alerts FINAL ORDER BY alert_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []chAlert
	for rows.Next() {
		var a chAlert
		if err := rows.Scan(&a.AlertID, &a.Entity, &a.Detector, &a.FiredAt, &a.Observed); err != nil {
			t.Fatal(err)
		}
		a.FiredAt = a.FiredAt.UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// windowKey identifies a window row.
type windowKey struct {
	EntityType, Entity, Resolution string
	Start                          int64 // Unix seconds
}

// readWindows returns events per window stored in db (FINAL), for windows
// holding at least one event.
func readWindows(t *testing.T, s *chtest.Server, db string) map[windowKey]int64 {
	t.Helper()
	rows, err := s.Conn(t, db).Query(context.Background(),
		"SELECT entity_type, entity, resolution, window_start, events FROM "+db+".windows FINAL WHERE events > 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[windowKey]int64{}
	for rows.Next() {
		var (
			k     windowKey
			start time.Time
			n     uint64
		)
		if err := rows.Scan(&k.EntityType, &k.Entity, &k.Resolution, &start, &n); err != nil {
			t.Fatal(err)
		}
		k.Start = start.Unix()
		out[k] = int64(n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// countRows runs a SELECT count() query.
func countRows(t *testing.T, s *chtest.Server, db, query string) uint64 {
	t.Helper()
	var n uint64
	if err := s.Conn(t, db).QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// reference is what the detector produces in process from the first n
// lines, with the windows still open closed when closeAll is set: the
// outputs a live run must have made durable once it committed offset n.
type reference struct {
	alerts  []detector.Alert
	windows map[windowKey]int64
	// lastTS is the event time of line n-1 (Unix ms).
	lastTS int64
	// excused counts the tests excused as common causes.
	excused int64
}

func referenceRun(tb testing.TB, cfg detector.Config, lines [][]byte, closeAll bool) *reference {
	tb.Helper()
	det, err := detector.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	dec := ingest.NewDecoder(ingest.FormatJSON, ingest.DefaultFieldMap())
	ref := &reference{windows: map[windowKey]int64{}}
	var (
		ev  ingest.Event
		out detector.Output
	)
	take := func() {
		det.Take(&out)
		ref.alerts = append(ref.alerts, out.Alerts...)
		for _, w := range out.Windows {
			if w.Events > 0 {
				ref.windows[windowKey{w.EntityType, w.Entity, w.Resolution, w.WindowStart.Unix()}] = w.Events
			}
		}
	}
	for _, l := range lines {
		ev.Reset()
		if err := dec.Decode(l, &ev); err != nil {
			tb.Fatalf("reference decode: %v", err)
		}
		det.Observe(&ev)
		ref.lastTS = ev.TS
	}
	take()
	if closeAll {
		det.Close()
		take()
	}
	ref.excused = det.Stats().Excused
	return ref
}

func (r *reference) alertKeys() []chAlert {
	out := make([]chAlert, len(r.alerts))
	for i := range r.alerts {
		out[i] = alertKey(&r.alerts[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AlertID < out[j].AlertID })
	return out
}

// diffAlerts returns the alerts of want missing from got and those of got
// not in want.
func diffAlerts(want, got []chAlert) (missing, extra []chAlert) {
	in := func(set []chAlert, a chAlert) bool {
		return slices.ContainsFunc(set, func(b chAlert) bool {
			return b.AlertID == a.AlertID && b.Entity == a.Entity && b.Detector == a.Detector && b.FiredAt.Equal(a.FiredAt) && b.Observed == a.Observed
		})
	}
	for _, a := range want {
		if !in(got, a) {
			missing = append(missing, a)
		}
	}
	for _, a := range got {
		if !in(want, a) {
			extra = append(extra, a)
		}
	}
	return missing, extra
}

func joinAlerts(as []chAlert) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, "\n  ")
}

// buildVigie builds the vigie binary into a temporary directory of the test.
func buildVigie(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "vigie")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// waitFor polls cond every 20 ms until it holds or d elapsed.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}
