package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// A JSON file may hold one array of events instead of one event per line
// (what `json.dump(events)` or a SIEM's export writes, often indented):
// read line by line, every line of it was a malformed_json dead letter.
// jsonLines serves such an array as JSON lines, one compacted element a
// line, so the decoders, line numbers (an element's rank) and dead
// letters work as for JSON lines. An element that is not valid JSON
// stops the file with its rank: inside an array there is no next line to
// resume at.

// jsonLines returns a reader of the array's elements as lines when br
// begins, after a byte order mark and white space, with '[' and then '{',
// '[' or ']'; else br unchanged.
func jsonLines(br *bufio.Reader) io.Reader {
	bom := 0
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		bom = len(utf8BOM)
	}
	open := false
	for n := bom + 1; ; n++ {
		b, err := br.Peek(n)
		if err != nil || len(b) < n {
			return br
		}
		switch c := b[n-1]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case !open && c == '[':
			open = true
		case open && (c == '{' || c == '[' || c == ']'):
			br.Discard(bom) // the JSON decoder does not skip it
			return &arrayLines{dec: json.NewDecoder(br)}
		default:
			// A text log whose lines begin with a bracket
			// ("[2025-11-13 07:03:43] app.INFO: ...") is not an array.
			return br
		}
	}
}

// arrayLines reads the elements of JSON arrays as lines: one array, or
// several one after another (a batch of events a line).
type arrayLines struct {
	dec     *json.Decoder
	buf     bytes.Buffer
	raw     json.RawMessage
	inArray bool
	n       int // elements read
	err     error
}

func (a *arrayLines) Read(p []byte) (int, error) {
	for a.buf.Len() == 0 {
		if a.err != nil {
			return 0, a.err
		}
		a.err = a.next()
	}
	return a.buf.Read(p)
}

// next puts the next element, compacted, in buf, or returns why there is
// none (io.EOF at the end of the input).
func (a *arrayLines) next() error {
	for !a.inArray || !a.dec.More() {
		tok, err := a.dec.Token()
		switch {
		case err == io.EOF && !a.inArray:
			return io.EOF
		case err != nil:
			return fmt.Errorf("JSON array after element %d: %w", a.n, err)
		case tok == json.Delim('['):
			a.inArray = true
		case tok == json.Delim(']'):
			a.inArray = false
		default:
			return fmt.Errorf("after element %d: a file that begins with a JSON array holds arrays of events only, found %v", a.n, tok)
		}
	}
	a.n++
	if err := a.dec.Decode(&a.raw); err != nil {
		return fmt.Errorf("JSON array element %d: %w", a.n, err)
	}
	if err := json.Compact(&a.buf, a.raw); err != nil {
		return fmt.Errorf("JSON array element %d: %w", a.n, err)
	}
	a.buf.WriteByte('\n')
	return nil
}
