package ingest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// startBroker starts an embedded broker with the given topics, closed at
// the end of the test.
func startBroker(tb testing.TB, topics map[string]int) *EmbeddedBroker {
	tb.Helper()
	b, err := StartEmbeddedBroker(context.Background(), topics)
	if err != nil {
		tb.Fatalf("StartEmbeddedBroker: %v", err)
	}
	tb.Cleanup(b.Close)
	return b
}

// produce writes values to topic with kafka-go, synchronously, keyed so
// they spread over the partitions.
func produce(tb testing.TB, addrs []string, topic string, values ...string) {
	tb.Helper()
	w := &kafka.Writer{
		Addr:         kafka.TCP(addrs...),
		Topic:        topic,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchSize:    1000,
		BatchTimeout: time.Millisecond,
	}
	defer w.Close()
	msgs := make([]kafka.Message, len(values))
	for i, v := range values {
		msgs[i] = kafka.Message{Key: []byte(fmt.Sprint(i)), Value: []byte(v)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		tb.Fatalf("producing to %s: %v", topic, err)
	}
}

func newSource(tb testing.TB, cfg KafkaConfig) *KafkaSource {
	tb.Helper()
	s, err := NewKafkaSource(cfg)
	if err != nil {
		tb.Fatalf("NewKafkaSource: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// fetchN fetches until exactly n records were returned, failing after a
// timeout. Fetch may return more than asked per call only up to max, so
// max is what is still missing.
func fetchN(tb testing.TB, s *KafkaSource, n int) []Raw {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var got []Raw
	for len(got) < n {
		var err error
		got, err = s.Fetch(ctx, got, n-len(got), 100*time.Millisecond)
		if err != nil {
			tb.Fatalf("Fetch after %d of %d records: %v", len(got), n, err)
		}
	}
	return got
}

// expectNothing fails if a record arrives within d.
func expectNothing(tb testing.TB, s *KafkaSource, d time.Duration) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	got, err := s.Fetch(ctx, nil, 10, 10*time.Millisecond)
	if len(got) > 0 {
		tb.Fatalf("unexpected records: %q", values(got))
	}
	if err != context.DeadlineExceeded {
		tb.Fatalf("Fetch on an idle topic: got error %v, want context.DeadlineExceeded", err)
	}
}

func values(raws []Raw) []string {
	out := make([]string, len(raws))
	for i, r := range raws {
		out[i] = string(r.Data)
	}
	return out
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func TestKafkaSourceCommitAndResume(t *testing.T) {
	b := startBroker(t, map[string]int{"logs": 3})
	all := numbered("rec-", 60)
	produce(t, b.Addrs(), "logs", all...)
	cfg := KafkaConfig{Brokers: b.Addrs(), Topic: "logs", Group: "resume"}

	s1 := newSource(t, cfg)
	committed := fetchN(t, s1, 30)
	for _, r := range committed {
		if r.Source != "logs" || r.Partition < 0 || r.Partition > 2 || r.Offset < 0 {
			t.Fatalf("bad position in %+v", r)
		}
	}
	if err := s1.Commit(context.Background()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	st := s1.Stats()
	if st.Commits != 1 || st.Uncommitted != 0 {
		t.Errorf("after commit: Commits=%d Uncommitted=%d, want 1 and 0", st.Commits, st.Uncommitted)
	}
	// Fetched but never committed: must come back after the restart.
	uncommitted := fetchN(t, s1, 10)
	if st := s1.Stats(); st.Uncommitted != 10 {
		t.Errorf("Uncommitted = %d, want 10", st.Uncommitted)
	}
	if err := s1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s2 := newSource(t, cfg)
	rest := fetchN(t, s2, len(all)-len(committed))
	expectNothing(t, s2, 2*time.Second)

	// Nothing committed is read again, nothing is skipped.
	want := map[string]bool{}
	for _, v := range all {
		want[v] = true
	}
	for _, v := range values(committed) {
		delete(want, v)
	}
	var wantRest []string
	for v := range want {
		wantRest = append(wantRest, v)
	}
	if got, w := sorted(values(rest)), sorted(wantRest); strings.Join(got, ",") != strings.Join(w, ",") {
		t.Fatalf("after restart got %q\nwant %q", got, w)
	}
	// The uncommitted records were re-delivered (at-least-once).
	seen := map[string]bool{}
	for _, v := range values(rest) {
		seen[v] = true
	}
	for _, v := range values(uncommitted) {
		if !seen[v] {
			t.Errorf("uncommitted record %s was not re-delivered", v)
		}
	}
	// Offsets increase within each partition.
	last := map[int32]int64{}
	for _, r := range rest {
		if prev, ok := last[r.Partition]; ok && r.Offset <= prev {
			t.Errorf("partition %d: offset %d after %d", r.Partition, r.Offset, prev)
		}
		last[r.Partition] = r.Offset
	}
	if err := s2.Commit(context.Background()); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if lag := s2.Lag(); lag != 0 {
		t.Errorf("Lag after reading everything = %d, want 0", lag)
	}
}

func TestKafkaSourceStart(t *testing.T) {
	b := startBroker(t, map[string]int{"logs": 1})
	old := numbered("old-", 5)
	produce(t, b.Addrs(), "logs", old...)

	t.Run("earliest", func(t *testing.T) {
		s := newSource(t, KafkaConfig{Brokers: b.Addrs(), Topic: "logs", Group: "new-earliest", Start: StartEarliest})
		got := values(fetchN(t, s, len(old)))
		if strings.Join(got, ",") != strings.Join(old, ",") {
			t.Fatalf("earliest: got %q, want %q", got, old)
		}
	})

	t.Run("latest", func(t *testing.T) {
		s := newSource(t, KafkaConfig{Brokers: b.Addrs(), Topic: "logs", Group: "new-latest", Start: StartLatest})
		// The group joins lazily, so keep producing until the source
		// sees something: whatever it sees must be new.
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				produce(t, b.Addrs(), "logs", fmt.Sprintf("new-%03d", i))
			}
		}()
		got := fetchN(t, s, 3)
		close(stop)
		<-done
		for _, v := range values(got) {
			if !strings.HasPrefix(v, "new-") {
				t.Fatalf("latest: read old record %q", v)
			}
		}
	})
}

func TestKafkaSourceFetchBounds(t *testing.T) {
	b := startBroker(t, map[string]int{"logs": 1})
	produce(t, b.Addrs(), "logs", numbered("r", 20)...)
	s := newSource(t, KafkaConfig{Brokers: b.Addrs(), Topic: "logs", Group: "bounds"})
	ctx := context.Background()

	got := fetchN(t, s, 1) // wait for the group join
	got, err := s.Fetch(ctx, got, 5, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("Fetch max 5 appended %d records, want 5 (total 6)", len(got)-1)
	}
	start := time.Now()
	got, err = s.Fetch(ctx, got[:0], 100, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); len(got) != 14 || elapsed < 300*time.Millisecond || elapsed > 5*time.Second {
		t.Fatalf("Fetch of the last 14 with wait 300ms: %d records in %s", len(got), elapsed)
	}
	if got[13].Offset != 19 || string(got[13].Data) != "r019" {
		t.Fatalf("last record %+v, want offset 19 r019", got[13])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestKafkaConfigValidate(t *testing.T) {
	dir := t.TempDir()
	good := func() KafkaConfig {
		c := KafkaConfig{Brokers: []string{"localhost:9092"}, Topic: "logs"}
		c.setDefaults()
		return c
	}
	tests := []struct {
		name string
		edit func(*KafkaConfig)
		want string // substring of the error, "" for valid
	}{
		{"defaults", func(*KafkaConfig) {}, ""},
		{"no brokers", func(c *KafkaConfig) { c.Brokers = nil }, "brokers: at least one"},
		{"broker without port", func(c *KafkaConfig) { c.Brokers = []string{"kafka1"} }, `brokers: "kafka1" is not host:port`},
		{"no topic", func(c *KafkaConfig) { c.Topic = "" }, "topic: required"},
		{"no group", func(c *KafkaConfig) { c.Group = "" }, "group: required"},
		{"bad start", func(c *KafkaConfig) { c.Start = "beginning" }, `start: "beginning"`},
		{"min bytes", func(c *KafkaConfig) { c.MinBytes = 0 }, "kafka-min-bytes"},
		{"max below min", func(c *KafkaConfig) { c.MinBytes, c.MaxBytes = 100, 10 }, "kafka-max-bytes"},
		{"max wait", func(c *KafkaConfig) { c.MaxWait = -time.Second }, "kafka-max-wait"},
		{"cert without key", func(c *KafkaConfig) { c.TLS.CertFile = "c.pem" }, "kafka-cert and kafka-key"},
		{"unknown mechanism", func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: "GSSAPI", Username: "u", Password: "p"} }, "kafka-sasl-mechanism"},
		{"user without mechanism", func(c *KafkaConfig) { c.SASL.Username = "u" }, "kafka-sasl-mechanism: required"},
		{"no username", func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: SASLPlain, Password: "p"} }, "kafka-username"},
		{"no password", func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: SASLPlain, Username: "u"} }, "kafka-password"},
		{"two passwords", func(c *KafkaConfig) {
			c.SASL = KafkaSASL{Mechanism: SASLScramSHA512, Username: "u", Password: "p", PasswordFile: filepath.Join(dir, "pw")}
		}, "exactly one"},
		{"scram", func(c *KafkaConfig) { c.SASL = KafkaSASL{Mechanism: SASLScramSHA256, Username: "u", Password: "p"} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestKafkaSecretsRedacted checks that a password reaches neither
// formatted configuration, nor errors, nor the flag help.
func TestKafkaSecretsRedacted(t *testing.T) {
	const secret = "hunter2-s3cret"
	c := KafkaConfig{
		Brokers: []string{"localhost:9092"}, Topic: "logs",
		SASL: KafkaSASL{Mechanism: SASLPlain, Username: "alice", Password: secret},
	}
	for _, s := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), c.SASL.String()} {
		if strings.Contains(s, secret) {
			t.Errorf("formatted config leaks the password: %s", s)
		}
	}
	// A password file that cannot be read: the error names the file only.
	c.SASL.Password = ""
	c.SASL.PasswordFile = filepath.Join(t.TempDir(), "missing")
	if _, err := NewKafkaSource(c); err == nil || !strings.Contains(err.Error(), "kafka-password-file") {
		t.Fatalf("NewKafkaSource with a missing password file: %v", err)
	}
	// A wrong password against a SASL broker: the error must not echo it.
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(),
		kfake.Superuser(SASLPlain, "alice", "right"), kfake.SeedTopics(1, "logs"))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	c.Brokers = cluster.ListenAddrs()
	c.SASL.PasswordFile = ""
	c.SASL.Password = secret
	var logs syncBuffer
	c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s := newSource(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = s.Fetch(ctx, nil, 1, 0)
	if err == nil {
		t.Fatal("Fetch with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("error leaks the password: %v", err)
	}
	s.Close()
	log := logs.String()
	if !strings.Contains(log, "SASL") {
		t.Errorf("the authentication failure was not logged:\n%s", log)
	}
	if strings.Contains(log, secret) {
		t.Errorf("log leaks the password:\n%s", log)
	}
}

// syncBuffer is a bytes.Buffer safe for the client's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestKafkaSourceSASL consumes through SASL/PLAIN and SCRAM from a broker
// that requires it, reading the password from a file.
func TestKafkaSourceSASL(t *testing.T) {
	for _, mech := range []string{SASLPlain, SASLScramSHA256, SASLScramSHA512} {
		t.Run(mech, func(t *testing.T) {
			cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(),
				kfake.Superuser(mech, "vigie", "pa55word"), kfake.SeedTopics(1, "logs"))
			if err != nil {
				t.Fatal(err)
			}
			defer cluster.Close()
			pw := filepath.Join(t.TempDir(), "pw")
			if err := os.WriteFile(pw, []byte("pa55word\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			sasl := KafkaSASL{Mechanism: mech, Username: "vigie", PasswordFile: pw}
			tr, err := KafkaTransport(&KafkaTLS{}, &sasl)
			if err != nil {
				t.Fatal(err)
			}
			w := &kafka.Writer{Addr: kafka.TCP(cluster.ListenAddrs()...), Topic: "logs", Transport: tr, BatchTimeout: time.Millisecond}
			if err := w.WriteMessages(context.Background(), kafka.Message{Value: []byte("authenticated")}); err != nil {
				t.Fatalf("producing with %s: %v", mech, err)
			}
			w.Close()
			s := newSource(t, KafkaConfig{Brokers: cluster.ListenAddrs(), Topic: "logs", SASL: sasl})
			if got := values(fetchN(t, s, 1)); got[0] != "authenticated" {
				t.Fatalf("got %q", got)
			}
		})
	}
}

// requireKcat returns the kcat binary, skipping the test when it is
// missing, except in CI where a missing kcat is a failure.
func requireKcat(tb testing.TB) string {
	tb.Helper()
	path, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("kcat is required in CI (apt-get install kcat): %v", err)
		}
		tb.Skipf("kcat not installed: %v", err)
	}
	return path
}

// TestKafkaSourceKcatInterop has an independent client, kcat (librdkafka),
// produce the lines that KafkaSource consumes.
func TestKafkaSourceKcatInterop(t *testing.T) {
	kcat := requireKcat(t)
	b := startBroker(t, map[string]int{"kcat-logs": 2})
	lines := numbered(`{"account":"a","n":`, 50)
	for i := range lines {
		lines[i] += "}"
	}
	file := filepath.Join(t.TempDir(), "lines")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, kcat, "-b", strings.Join(b.Addrs(), ","), "-t", "kcat-logs", "-P", "-l", file).CombinedOutput()
	if err != nil {
		t.Fatalf("kcat -P: %v\n%s", err, out)
	}
	s := newSource(t, KafkaConfig{Brokers: b.Addrs(), Topic: "kcat-logs", Group: "kcat"})
	got := values(fetchN(t, s, len(lines)))
	if g, w := sorted(got), sorted(lines); strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Fatalf("consumed %q\nwant %q", g, w)
	}
}

func BenchmarkKafkaSourceFetch(b *testing.B) {
	const batch = 1000
	broker := startBroker(b, map[string]int{"bench": 1})
	value := []byte(`{"ts":"2024-03-01T10:00:00Z","account":"partner-0042","org":"org-7","action":"read","records":25,"subject":"0123456789"}`)
	// Produce enough for the whole run up front, outside the timer.
	w := &kafka.Writer{Addr: kafka.TCP(broker.Addrs()...), Topic: "bench", BatchSize: 1000, BatchTimeout: time.Millisecond}
	msgs := make([]kafka.Message, 10000)
	for i := range msgs {
		msgs[i].Value = value
	}
	for n := 0; n < b.N+1; n += len(msgs) { // +1 for the join below
		if err := w.WriteMessages(context.Background(), msgs...); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	s, err := NewKafkaSource(KafkaConfig{Brokers: broker.Addrs(), Topic: "bench", Group: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	// Join the group before timing.
	buf, err := s.Fetch(ctx, make([]Raw, 0, batch), 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(value)))
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		max := min(batch, b.N-n)
		fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		buf, err = s.Fetch(fctx, buf[:0], max, 100*time.Millisecond)
		cancel()
		if err != nil {
			b.Logf("after %d of %d records: %+v", n, b.N, s.Stats())
			b.Fatal(err)
		}
		n += len(buf)
		if err := s.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func TestEmbeddedBroker(t *testing.T) {
	if _, err := StartEmbeddedBroker(context.Background(), map[string]int{"bad": 0}); err == nil || !strings.Contains(err.Error(), `topic "bad"`) {
		t.Fatalf("zero partitions: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b, err := StartEmbeddedBroker(ctx, map[string]int{"three": 3})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := kafka.Dial("tcp", b.Addrs()[0])
	if err != nil {
		t.Fatalf("dialing the broker over TCP: %v", err)
	}
	parts, err := conn.ReadPartitions("three")
	conn.Close()
	if err != nil || len(parts) != 3 {
		t.Fatalf("topic three has %d partitions (%v), want 3", len(parts), err)
	}
	cancel() // ends the broker
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", b.Addrs()[0], time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("broker still listening after its context ended")
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Close() // safe after the context closed it
}
