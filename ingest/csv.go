package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrHeader is what CSVDecoder.Decode returns for the header line it
// consumed: the line was valid and is not an event, nor a dead letter.
// FileReader consumes headers itself, so its callers never see it.
var ErrHeader = errors.New("CSV header line")

// CSVDecoder decodes comma-separated lines as RFC 4180 describes them, one
// record per line: the first line fed after NewCSVDecoder or Reset is the
// header, whose column names are matched against the FieldMap (literally:
// there is no nesting in CSV). Columns the map does not name are ignored.
// The separator is the header's most frequent of comma, semicolon (French
// spreadsheets write those) and tab, a comma on a tie.
//
// Quoted fields may hold commas and doubled quotes, but not line breaks:
// the decoder sees one line at a time, so a quoted newline shows as an
// unterminated quote (malformed_csv) on both halves of the record. An empty
// value is treated as absent: an empty records column means 1.
type CSVDecoder struct {
	// MaxLineBytes is the longest line accepted; zero means
	// DefaultMaxLineBytes.
	MaxLineBytes int

	names   [numFields]string
	b       builder
	cols    []int // Field index of each column, -1 when ignored.
	header  bool
	sep     byte // The separator, chosen from the header.
	scratch []byte

	// w3c reads a W3C extended log (w3c.go): space-separated, "-" for
	// empty, the header from its #Fields directive; dateCol and timeCol
	// are the columns whose values make the time (-1: none), date the
	// #Date directive's.
	w3c              bool
	dateCol, timeCol int
	date             []byte
}

// NewCSVDecoder returns a decoder reading the columns named in m, which
// should have passed m.Validate.
func NewCSVDecoder(m FieldMap) *CSVDecoder {
	return &CSVDecoder{names: m.names(), b: newBuilder(m)}
}

// NewW3CDecoder returns a decoder of W3C extended log lines (w3c.go),
// reading the fields named in m; its header is set by the #Fields
// directives passed to it.
func NewW3CDecoder(m FieldMap) *CSVDecoder {
	d := NewCSVDecoder(m)
	d.w3c, d.dateCol, d.timeCol = true, -1, -1
	return d
}

// Reset makes the decoder expect a new header: call it at the start of each
// file.
func (d *CSVDecoder) Reset() {
	d.header = false
	d.cols = d.cols[:0]
	d.date = d.date[:0]
}

// Decode decodes line into ev, overwriting all its fields; on error ev holds
// garbage. The first line after Reset is taken as the header: Decode then
// returns ErrHeader when the header names the required columns, and a
// *DecodeError (malformed_csv) otherwise, in which case the next line is
// tried as the header again. The strings put in ev never alias line.
func (d *CSVDecoder) Decode(line []byte, ev *Event) error {
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	maxLen := d.MaxLineBytes
	if maxLen <= 0 {
		maxLen = DefaultMaxLineBytes
	}
	if len(line) > maxLen {
		return &DecodeError{Reason: ReasonLineTooLong, Err: fmt.Errorf("%d bytes, limit %d", len(line), maxLen)}
	}
	line = d.b.utf8Line(line)
	if !utf8.Valid(line) {
		return &DecodeError{Reason: ReasonInvalidUTF8}
	}
	if i := bytes.IndexByte(line, 0); i >= 0 {
		return &DecodeError{Reason: ReasonMalformedCSV, Err: fmt.Errorf("NUL byte at byte %d", i)}
	}
	if d.w3c && len(line) > 0 && line[0] == '#' {
		if err := d.directive(line); err != nil {
			return err
		}
		return ErrHeader
	}
	if !d.header {
		if d.w3c {
			return &DecodeError{Reason: ReasonMalformedCSV, Err: errors.New("W3C log line before any #Fields directive")}
		}
		return d.parseHeader(line)
	}
	d.b.reset()
	d.scratch = d.scratch[:0]
	var date, clock []byte
	col, err := d.split(line, func(col int, val []byte) {
		if d.w3c {
			switch {
			case col == d.dateCol:
				date = val
				return
			case col == d.timeCol:
				clock = val
				return
			case len(val) == 1 && val[0] == '-':
				return
			}
		}
		if col < len(d.cols) && len(val) > 0 {
			if f := d.cols[col]; f >= 0 {
				d.b.vals[f] = fieldVal{b: val, kind: kindString}
			}
		}
	})
	if err != nil {
		return &DecodeError{Reason: ReasonMalformedCSV, Err: err}
	}
	if col != len(d.cols) {
		return &DecodeError{Reason: ReasonMalformedCSV, Err: fmt.Errorf("%d columns, the header has %d", col, len(d.cols))}
	}
	if d.w3c && d.timeCol >= 0 {
		ts, err := d.w3cTime(date, clock)
		if err != nil {
			return &DecodeError{Reason: ReasonMissingTS, Err: err}
		}
		d.b.vals[fTS] = fieldVal{b: ts, kind: kindString}
	}
	return d.b.build(ev)
}

// parseHeader maps the columns of the header line to fields.
func (d *CSVDecoder) parseHeader(line []byte) error {
	line = bytes.TrimPrefix(line, utf8BOM)
	d.sep = csvSeparator(line)
	if d.w3c {
		d.sep = ' '
	}
	d.cols = d.cols[:0]
	d.scratch = d.scratch[:0]
	var seen [numFields]bool
	var dupErr error
	_, err := d.split(line, func(_ int, val []byte) {
		name := bytes.TrimSpace(val)
		f := -1
		for i, n := range d.names {
			if n != "" && n == string(name) {
				f = i
				break
			}
		}
		if f >= 0 && seen[f] && dupErr == nil {
			dupErr = fmt.Errorf("column %q named twice", name)
		}
		if f >= 0 {
			seen[f] = true
		}
		d.cols = append(d.cols, f)
	})
	if err == nil {
		err = dupErr
	}
	for _, f := range []int{fTS, fAccount} {
		if err == nil && !seen[f] {
			err = fmt.Errorf("no column %q (set --%s)", d.names[f], fieldFlags[f])
		}
	}
	if err != nil {
		d.cols = d.cols[:0]
		return &DecodeError{Reason: ReasonMalformedCSV, Err: fmt.Errorf("CSV header: %w", err)}
	}
	d.header = true
	return ErrHeader
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvSeparator returns the most frequent of comma, semicolon and tab in a
// CSV header (comma on a tie).
func csvSeparator(header []byte) byte {
	sep := byte(',')
	for _, c := range []byte{';', '\t'} {
		if bytes.Count(header, []byte{c}) > bytes.Count(header, []byte{sep}) {
			sep = c
		}
	}
	return sep
}

// split calls fn with the index and unquoted value of each field of line
// and returns the number of fields. Values of quoted fields with doubled
// quotes are unescaped into d.scratch, so they stay valid until the next
// line.
func (d *CSVDecoder) split(line []byte, fn func(col int, val []byte)) (int, error) {
	col, i := 0, 0
	for {
		var val []byte
		if i < len(line) && line[i] == '"' {
			start, j, esc := i+1, i+1, false
			for {
				k := bytes.IndexByte(line[j:], '"')
				if k < 0 {
					return col, fmt.Errorf("column %d: unterminated quoted field (quoted line breaks are not supported)", col+1)
				}
				j += k
				if j+1 < len(line) && line[j+1] == '"' {
					esc = true
					j += 2
					continue
				}
				break
			}
			val = line[start:j]
			if esc {
				n := len(d.scratch)
				for q := range bytes.SplitSeq(val, []byte(`""`)) {
					d.scratch = append(d.scratch, q...)
					d.scratch = append(d.scratch, '"')
				}
				val = d.scratch[n : len(d.scratch)-1]
			}
			i = j + 1
			if i < len(line) && line[i] != d.sep {
				return col, fmt.Errorf("column %d: text after the closing quote", col+1)
			}
		} else {
			end := bytes.IndexByte(line[i:], d.sep)
			if end < 0 {
				end = len(line)
			} else {
				end += i
			}
			val = line[i:end]
			if bytes.IndexByte(val, '"') >= 0 {
				return col, fmt.Errorf("column %d: quote inside an unquoted field", col+1)
			}
			i = end
		}
		fn(col, val)
		col++
		if i >= len(line) {
			return col, nil
		}
		i++ // The separator.
	}
}
