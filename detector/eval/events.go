package eval

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/vigie/vigie/ingest"
)

// EventStream reads events for Evaluate: JSON lines from a reader, or the
// inputs of an ingest.FileReader (JSON lines or arrays, CSV, compressed or
// not), as replay reads them. Lines that do not decode are counted in
// Skipped and left out: one bad line must not stop an evaluation.
type EventStream struct {
	// next returns the next line and its decoder, io.EOF after the last.
	next func() ([]byte, ingest.Decoder, error)
	// Skipped counts the lines that did not decode.
	Skipped int64
	err     error
}

// NewEventStream reads JSON-lines events from r, which the caller closes,
// with the field names of m; times written without an offset are local
// times of m.Local (nil: such lines are skipped).
func NewEventStream(r io.Reader, m ingest.FieldMap) *EventStream {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), ingest.DefaultMaxLineBytes)
	dec := ingest.NewJSONDecoder(m)
	return &EventStream{next: func() ([]byte, ingest.Decoder, error) {
		if sc.Scan() {
			return sc.Bytes(), dec, nil
		}
		if err := sc.Err(); err != nil {
			return nil, nil, err
		}
		return nil, nil, io.EOF
	}}
}

// NewFileEventStream reads the events of fr's inputs, which the caller
// closes.
func NewFileEventStream(fr *ingest.FileReader) *EventStream {
	return &EventStream{next: func() ([]byte, ingest.Decoder, error) {
		raw, dec, err := fr.Next()
		return raw.Data, dec, err
	}}
}

// All yields each decoded event, reusing one Event. It stops early on a
// read error, which Err then returns.
func (s *EventStream) All() iter.Seq[*ingest.Event] {
	return func(yield func(*ingest.Event) bool) {
		var ev ingest.Event
		for {
			line, dec, err := s.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				s.err = fmt.Errorf("reading events: %w", err)
				return
			}
			if len(line) == 0 {
				continue
			}
			ev.Reset()
			if err := dec.Decode(line, &ev); err != nil {
				s.Skipped++
				continue
			}
			if !yield(&ev) {
				return
			}
		}
	}
}

// Err returns the read error that ended All, if any.
func (s *EventStream) Err() error { return s.err }
