package ingest

import (
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestKafkaSourceRidesOutBrokerErrors: once a source is consuming, the
// errors kafka-go reports while it reconnects (here the partition leader
// cannot be looked up, five times in a row, after the fetch connection
// broke, as while a broker restarts) must not end Fetch: it waits and
// returns the next records once the broker answers again.
func TestKafkaSourceRidesOutBrokerErrors(t *testing.T) {
	b := startBroker(t, map[string]int{"flaky": 1})
	all := numbered("rec-", 20)
	for _, v := range all {
		produce(t, b.Addrs(), "flaky", v) // one batch each
	}
	// One record per fetch request and no read-ahead, so the records after
	// the first five need new fetch requests.
	s := newSource(t, KafkaConfig{Brokers: b.Addrs(), Topic: "flaky", Group: "flaky", MaxBytes: 1, QueueCapacity: 1})
	first := fetchN(t, s, 5)

	// The next fetch request is answered by a closed connection; the
	// partition reader then looks the leader up again (Metadata), which
	// fails on the next five requests. kafka-go gives up reporting after
	// three failed attempts and goes on retrying.
	var metadataFailures atomic.Int32
	broken := errors.New("broker restarting")
	c := b.cluster
	c.ControlKey(int16(kmsg.Metadata), func(kmsg.Request) (kmsg.Response, error, bool) {
		if metadataFailures.Load() >= 5 {
			return nil, nil, false
		}
		metadataFailures.Add(1)
		c.KeepControl()
		return nil, broken, true
	})
	c.ControlKey(int16(kmsg.Fetch), func(kmsg.Request) (kmsg.Response, error, bool) {
		return nil, broken, true
	})

	rest := fetchN(t, s, len(all)-len(first))
	if got := append(values(first), values(rest)...); !slices.Equal(got, all) {
		t.Errorf("records after the errors: %q, want %q", got, all)
	}
	if n := metadataFailures.Load(); n < 3 {
		t.Errorf("%d metadata requests failed, want at least 3: the error path was not exercised", n)
	}
	if st := s.Stats(); st.FetchRetries == 0 {
		t.Errorf("Stats().FetchRetries = 0, want the errors Fetch rode out counted")
	}
}
