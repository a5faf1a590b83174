package eval

import (
	"bufio"
	"fmt"
	"io"
	"iter"

	"github.com/vigie/vigie/ingest"
)

// EventStream reads events as JSON lines in Vigie's own format for
// Evaluate. Lines that do not decode are counted in Skipped and left out:
// one bad line must not stop an evaluation.
type EventStream struct {
	r   io.Reader
	dec *ingest.JSONDecoder
	// Skipped counts the lines that did not decode.
	Skipped int64
	err     error
}

// NewEventStream reads JSON-lines events from r, which the caller closes,
// with the field names of m; times written without an offset are local
// times of m.Local (nil: such lines are skipped).
func NewEventStream(r io.Reader, m ingest.FieldMap) *EventStream {
	return &EventStream{r: r, dec: ingest.NewJSONDecoder(m)}
}

// All yields each decoded event, reusing one Event. It stops early on a
// read error, which Err then returns.
func (s *EventStream) All() iter.Seq[*ingest.Event] {
	return func(yield func(*ingest.Event) bool) {
		sc := bufio.NewScanner(s.r)
		sc.Buffer(make([]byte, 0, 64<<10), ingest.DefaultMaxLineBytes)
		var ev ingest.Event
		for sc.Scan() {
			if len(sc.Bytes()) == 0 {
				continue
			}
			if err := s.dec.Decode(sc.Bytes(), &ev); err != nil {
				s.Skipped++
				continue
			}
			if !yield(&ev) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			s.err = fmt.Errorf("reading events: %w", err)
		}
	}
}

// Err returns the read error that ended All, if any.
func (s *EventStream) Err() error { return s.err }
