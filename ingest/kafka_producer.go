package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// Producer writes raw access-log lines to a topic. The demo feeds the
// embedded broker with it; deployments have their own log shippers.
type Producer struct {
	w    *kafka.Writer
	msgs []kafka.Message
}

// NewProducer returns a producer to topic on brokers, acknowledged by every
// in-sync replica. It connects on the first Produce.
func NewProducer(brokers []string, topic string) *Producer {
	return &Producer{w: &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Topic:        topic,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchSize:    10000,
		BatchBytes:   1 << 19, // under the brokers' default 1 MiB max.message.bytes
		BatchTimeout: 5 * time.Millisecond,
	}}
}

// Produce writes lines in order, keyed by key(line) when key is non-nil
// (records with the same key land in the same partition, in order). It
// returns once the broker acknowledged every line. The lines may be reused
// after it returns.
func (p *Producer) Produce(ctx context.Context, key func([]byte) []byte, lines ...[]byte) error {
	p.msgs = p.msgs[:0]
	for _, l := range lines {
		m := kafka.Message{Value: l}
		if key != nil {
			m.Key = key(l)
		}
		p.msgs = append(p.msgs, m)
	}
	if err := p.w.WriteMessages(ctx, p.msgs...); err != nil {
		return fmt.Errorf("producing %d records to %s: %w", len(lines), p.w.Topic, err)
	}
	return nil
}

// Close flushes pending writes and closes the producer.
func (p *Producer) Close() error { return p.w.Close() }
