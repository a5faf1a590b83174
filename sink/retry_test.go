package sink

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/vigie/vigie/detector"
)

func retryTestAlerts(n int) []detector.Alert {
	out := make([]detector.Alert, n)
	for i := range out {
		out[i] = testAlert(fmt.Sprintf("acct-%d", i), "high")
	}
	return out
}

// TestWebhookRetryOfBatchSkipsDelivered: the third alert of a batch fails
// for good; the caller retries the batch, and the two alerts delivered
// before the failure are not POSTed again.
func TestWebhookRetryOfBatchSkipsDelivered(t *testing.T) {
	var (
		mu    sync.Mutex
		posts = map[string]int{} // accepted POSTs by alert id
		down  = true
	)
	alerts := retryTestAlerts(4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		id := r.Header.Get("X-Vigie-Alert-Id")
		if down && id == alerts[2].AlertID {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		posts[id]++
	}))
	defer srv.Close()
	w, _ := newTestWebhook(t, WebhookConfig{URL: srv.URL, Timeout: 5 * time.Second})
	b := &Batch{Alerts: alerts}
	if err := w.Write(context.Background(), b); err == nil {
		t.Fatal("Write succeeded although an alert failed")
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatalf("Write of the batch again: %v", err)
	}
	// The next batch is sent whole, even an alert delivered before.
	if err := w.Write(context.Background(), &Batch{Alerts: alerts[:1]}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{alerts[0].AlertID: 2, alerts[1].AlertID: 1, alerts[2].AlertID: 1, alerts[3].AlertID: 1}
	for id, n := range want {
		if posts[id] != n {
			t.Errorf("alert %s POSTed %d times, want %d (all: %v)", id, posts[id], n, posts)
		}
	}
	if st := w.Delivery(); st != (DeliveryStats{Delivered: 5, Failed: 1}) {
		t.Errorf("Delivery = %+v, want 5 delivered, 1 failed", st)
	}
}

// TestKafkaAlertsRetryOfBatchSkipsPublished: one partition of the alerts
// topic refuses writes; the alerts of the other partition are published,
// the Write fails, and the retry of the batch publishes only the others.
func TestKafkaAlertsRetryOfBatchSkipsPublished(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "alerts"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fault := c.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: "alerts", Partitions: []int32{1},
		Err: kerr.NotEnoughReplicas, Count: -1})
	k, err := NewKafkaAlerts(KafkaSinkConfig{Brokers: c.ListenAddrs(), Topic: "alerts", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	alerts := retryTestAlerts(12)
	b := &Batch{Alerts: alerts}
	if err := k.Write(context.Background(), b); err == nil {
		t.Fatal("Write succeeded although a partition refused writes")
	}
	first := k.Delivery()
	if first.Delivered == 0 || first.Failed == 0 || first.Delivered+first.Failed != int64(len(alerts)) {
		t.Fatalf("after the failed Write: %+v; want the 12 alerts split over both partitions", first)
	}
	fault.Remove()
	if err := k.Write(context.Background(), b); err != nil {
		t.Fatalf("Write of the batch again: %v", err)
	}
	if st := k.Delivery(); st.Delivered != int64(len(alerts)) {
		t.Errorf("Delivered = %d after the retry, want %d: only the failed alerts re-sent", st.Delivered, len(alerts))
	}

	// Each alert is on the topic once.
	seen := map[string]int{}
	for p := range 2 {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: c.ListenAddrs(), Topic: "alerts", Partition: p, MaxWait: 50 * time.Millisecond})
		hw := c.PartitionInfo("alerts", int32(p)).HighWatermark
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		for n := int64(0); n < hw; n++ {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("reading partition %d: %v", p, err)
			}
			var a struct {
				AlertID string `json:"alert_id"`
			}
			if err := json.Unmarshal(m.Value, &a); err != nil {
				t.Fatal(err)
			}
			seen[a.AlertID]++
		}
		cancel()
		r.Close()
	}
	for _, a := range alerts {
		if seen[a.AlertID] != 1 {
			t.Errorf("alert %s is %d times on the topic, want once", a.AlertID, seen[a.AlertID])
		}
	}
}
