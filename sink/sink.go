// Package sink writes Vigie's outputs: alerts, incidents, window aggregates
// and dead letters, to JSON lines, ClickHouse, a Kafka topic or a webhook.
//
// Every sink has Write(ctx, *Batch) error and Close() error. Write returning
// nil means the batch is durably written: the caller may then commit the
// input offsets the batch reflects. Sinks do not keep references to the
// batch after Write returns; the caller reuses it.
package sink

import (
	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// Batch is everything the pipeline produced since the last write.
type Batch struct {
	Alerts      []detector.Alert
	Incidents   []detector.Incident
	Windows     []detector.Window
	DeadLetters []ingest.DeadLetter
}

// Len is the number of items in b.
func (b *Batch) Len() int {
	return len(b.Alerts) + len(b.Incidents) + len(b.Windows) + len(b.DeadLetters)
}

// Reset empties b, keeping its capacity.
func (b *Batch) Reset() {
	b.Alerts = b.Alerts[:0]
	b.Incidents = b.Incidents[:0]
	b.Windows = b.Windows[:0]
	b.DeadLetters = b.DeadLetters[:0]
}
