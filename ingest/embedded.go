package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/twmb/franz-go/pkg/kfake"
)

// EmbeddedBroker is an in-process Kafka-protocol broker (franz-go's kfake)
// listening on a free TCP port of 127.0.0.1. It speaks the real wire
// protocol, consumer groups included, so any Kafka client (kafka-go, kcat)
// can use it. It keeps everything in memory: it is meant for `vigie demo`
// and for tests, not for production data.
type EmbeddedBroker struct {
	cluster *kfake.Cluster
	addrs   []string
	once    sync.Once
	done    chan struct{}
}

// StartEmbeddedBroker starts a one-node broker with the given topics, each
// mapped to its number of partitions. Topics not listed are created on first
// use with one partition. The broker stops when ctx is done or Close is
// called, whichever comes first.
func StartEmbeddedBroker(ctx context.Context, topics map[string]int) (*EmbeddedBroker, error) {
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ClusterID("vigie-embedded"),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(1),
	}
	// Sorted so the options, hence the broker, are the same on every run.
	names := make([]string, 0, len(topics))
	for name := range topics {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		n := topics[name]
		if name == "" {
			return nil, errors.New("starting embedded broker: empty topic name")
		}
		if n < 1 {
			return nil, fmt.Errorf("starting embedded broker: topic %q: partitions must be at least 1, got %d", name, n)
		}
		opts = append(opts, kfake.SeedTopics(int32(n), name))
	}
	cluster, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("starting embedded broker: %w", err)
	}
	b := &EmbeddedBroker{cluster: cluster, addrs: cluster.ListenAddrs(), done: make(chan struct{})}
	if ctx.Done() != nil {
		go func() {
			select {
			case <-ctx.Done():
				b.Close()
			case <-b.done:
			}
		}()
	}
	return b, nil
}

// Addrs returns the host:port bootstrap addresses of the broker.
func (b *EmbeddedBroker) Addrs() []string {
	return append([]string(nil), b.addrs...)
}

// Close stops the broker and drops its data. Close is safe to call twice.
func (b *EmbeddedBroker) Close() {
	b.once.Do(func() {
		close(b.done)
		b.cluster.Close()
	})
}
