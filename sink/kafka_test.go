package sink

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

func startAlertsBroker(t *testing.T) *ingest.EmbeddedBroker {
	t.Helper()
	b, err := ingest.StartEmbeddedBroker(context.Background(), map[string]int{"alerts": 2, "alerts-native": 2, "alerts-ocsf": 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// readAlerts reads n messages of topic from the beginning, key and value.
func readAlerts(t *testing.T, addrs []string, topic string, n int) []kafka.Message {
	t.Helper()
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: addrs, Topic: topic, GroupID: "readback-" + t.Name(), StartOffset: kafka.FirstOffset, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []kafka.Message
	for len(out) < n {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("reading alerts back after %d of %d: %v", len(out), n, err)
		}
		out = append(out, m)
	}
	return out
}

func TestKafkaAlertsPublishes(t *testing.T) {
	b := startAlertsBroker(t)
	alerts := []detector.Alert{testAlert("acct-1", "high"), testAlert("acct-2", "medium"), testAlert("acct-1", "critical")}
	alerts[1].EntityType = detector.EntityOrg
	for _, format := range []string{"native", "ocsf"} {
		t.Run(format, func(t *testing.T) {
			topic := "alerts-" + format
			k, err := NewKafkaAlerts(KafkaSinkConfig{Brokers: b.Addrs(), Topic: topic, Format: format})
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if err := k.Write(context.Background(), &Batch{Alerts: alerts}); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if st := k.Stats(); st.Published != 3 || st.Failed != 0 {
				t.Errorf("Stats = %+v", st)
			}
			msgs := readAlerts(t, b.Addrs(), topic, len(alerts))
			byID := map[string]kafka.Message{}
			partitionOf := map[string]int{}
			for _, m := range msgs {
				var id string
				if format == "native" {
					var a detector.Alert
					if err := json.Unmarshal(m.Value, &a); err != nil {
						t.Fatalf("value %q: %v", m.Value, err)
					}
					id = a.AlertID
				} else {
					var f struct {
						ClassUID    int                  `json:"class_uid"`
						FindingInfo struct{ UID string } `json:"finding_info"`
					}
					if err := json.Unmarshal(m.Value, &f); err != nil || f.ClassUID != 2004 {
						t.Fatalf("value %q is not an OCSF finding: %v", m.Value, err)
					}
					id = f.FindingInfo.UID
				}
				byID[id] = m
				if p, ok := partitionOf[string(m.Key)]; ok && p != m.Partition {
					t.Errorf("key %s in partitions %d and %d", m.Key, p, m.Partition)
				}
				partitionOf[string(m.Key)] = m.Partition
			}
			for _, a := range alerts {
				m, ok := byID[a.AlertID]
				if !ok {
					t.Fatalf("alert %s not published", a.AlertID)
				}
				if want := a.EntityType + ":" + a.Entity; string(m.Key) != want {
					t.Errorf("alert %s keyed %q, want %q", a.AlertID, m.Key, want)
				}
			}
		})
	}
}

func TestKafkaAlertsFailsLoudly(t *testing.T) {
	// A port that was free a moment ago: nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	k, err := NewKafkaAlerts(KafkaSinkConfig{Brokers: []string{addr}, Topic: "alerts", RetryPolicy: RetryPolicy{Retries: 2}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	var waits []time.Duration
	k.retry.jitter = func(d time.Duration) time.Duration { return d }
	k.retry.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	err = k.Write(context.Background(), &Batch{Alerts: []detector.Alert{testAlert("a", "high"), testAlert("b", "low")}})
	if err == nil || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("Write to a dead broker = %v, want giving up after 3 attempts", err)
	}
	if st := k.Stats(); st.Failed != 2 || st.Published != 0 || st.Retries != 2 {
		t.Errorf("Stats = %+v, want 2 failed, 2 retries", st)
	}
	if len(waits) != 2 || waits[0] != DefaultKafkaSinkBackoff || waits[1] != 2*DefaultKafkaSinkBackoff {
		t.Errorf("waits = %v", waits)
	}
}

func TestKafkaSinkConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  KafkaSinkConfig
		want string
	}{
		{"ok", KafkaSinkConfig{Brokers: []string{"k:9092"}, Topic: "alerts"}, ""},
		{"no brokers", KafkaSinkConfig{Topic: "alerts"}, "alerts-brokers"},
		{"no topic", KafkaSinkConfig{Brokers: []string{"k:9092"}}, "alerts-topic: required"},
		{"format", KafkaSinkConfig{Brokers: []string{"k:9092"}, Topic: "a", Format: "xml"}, "alerts-topic-format"},
		{"sasl", KafkaSinkConfig{Brokers: []string{"k:9092"}, Topic: "a", SASL: ingest.KafkaSASL{Mechanism: "PLAIN"}}, "kafka-username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.setDefaults()
			err := c.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
	var c KafkaSinkConfig
	c.UseConnection(ingest.KafkaConfig{Brokers: []string{"src:9092"}, SASL: ingest.KafkaSASL{Mechanism: "PLAIN", Username: "u", Password: "p"}})
	if len(c.Brokers) != 1 || c.Brokers[0] != "src:9092" || c.SASL.Username != "u" {
		t.Errorf("UseConnection did not copy the source connection: %+v", c)
	}
}

// TestKafkaAlertsKcat has kcat, an independent client, consume what the
// sink published.
func TestKafkaAlertsKcat(t *testing.T) {
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("kcat is required in CI: %v", err)
		}
		t.Skipf("kcat not installed: %v", err)
	}
	b := startAlertsBroker(t)
	k, err := NewKafkaAlerts(KafkaSinkConfig{Brokers: b.Addrs(), Topic: "alerts", Format: "ocsf"})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	alerts := []detector.Alert{testAlert("acct-1", "high"), testAlert("acct-2", "low")}
	if err := k.Write(context.Background(), &Batch{Alerts: alerts}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, kcat, "-b", strings.Join(b.Addrs(), ","), "-t", "alerts", "-C", "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n").Output()
	if err != nil {
		t.Fatalf("kcat -C: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	sort.Strings(lines)
	if len(lines) != 2 {
		t.Fatalf("kcat read %d lines, want 2:\n%s", len(lines), out)
	}
	for i, line := range lines {
		key, value, _ := strings.Cut(line, "\t")
		if key != "account:"+alerts[i].Entity || !strings.Contains(value, `"class_uid":2004`) || !strings.Contains(value, alerts[i].AlertID) {
			t.Errorf("kcat line %d = %q", i, line)
		}
	}
}
