package eval

import (
	"fmt"
	"io"
	"iter"

	"github.com/vigie/vigie/ingest"
)

// EventStream reads events for Evaluate: the inputs of an
// ingest.FileReader (JSON lines or arrays, CSV, compressed or not), as
// replay reads them. Lines that do not decode are counted in Skipped and
// left out: one bad line must not stop an evaluation.
type EventStream struct {
	fr *ingest.FileReader
	// Skipped counts the lines that did not decode.
	Skipped int64
	err     error
}

// NewEventStream reads JSON-lines events from r, which the caller closes,
// with the field names of m; times written without an offset are local
// times of m.Local (nil: such lines are skipped).
func NewEventStream(r io.Reader, m ingest.FieldMap) (*EventStream, error) {
	cfg := ingest.DefaultFileConfig()
	cfg.Format = ingest.FormatJSON
	fr, err := ingest.NewStreamReader(r, m, cfg)
	if err != nil {
		return nil, err
	}
	return NewFileEventStream(fr), nil
}

// NewFileEventStream reads the events of fr's inputs, which the caller
// closes.
func NewFileEventStream(fr *ingest.FileReader) *EventStream {
	return &EventStream{fr: fr}
}

// All yields each decoded event, reusing one Event. It stops early on a
// read error, which Err then returns.
func (s *EventStream) All() iter.Seq[*ingest.Event] {
	return func(yield func(*ingest.Event) bool) {
		for ev, err := range s.fr.Events(func(*ingest.Raw, error) { s.Skipped++ }) {
			if err != nil {
				s.err = fmt.Errorf("reading events: %w", err)
				return
			}
			if !yield(ev) {
				return
			}
		}
	}
}

// Err returns the read error that ended All, if any.
func (s *EventStream) Err() error { return s.err }
