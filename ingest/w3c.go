package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// W3C extended log files (https://www.w3.org/TR/WD-logfile.html), as IIS
// and many appliances write them:
//
//	#Software: Microsoft Internet Information Services 10.0
//	#Version: 1.0
//	#Date: 2027-03-01 00:00:02
//	#Fields: date time s-ip cs-method cs-uri-stem cs-username c-ip cs(User-Agent) sc-status sc(X-Result-Count)
//	2027-03-01 08:14:03 10.0.0.5 GET /api/personnes PARTENAIRES\jdupont 10.2.3.4 Mozilla/5.0+(Windows) 200 12
//
// Lines are space-separated, "-" is an empty value, and the #Fields
// directive is the header; it is written again, maybe with other fields,
// whenever the server restarts. The time is UTC, in the date and time
// fields (or the #Date directive's date when there is no date field).
// A file is read so when its first line is one of the directives, whatever
// its name (FileReader, SampleFiles), or with --input-format=w3c.

// w3cDirectives are the directives a W3C extended log may begin with.
var w3cDirectives = []string{"#Software:", "#Version:", "#Date:", "#Fields:", "#Remark:", "#Start-Date:"}

// sniffW3C reports whether the input read by br begins with a W3C
// directive. It only peeks.
func sniffW3C(br *bufio.Reader) bool {
	head, _ := br.Peek(32)
	head = bytes.TrimPrefix(head, utf8BOM)
	for _, d := range w3cDirectives {
		if bytes.HasPrefix(head, []byte(d)) {
			return true
		}
	}
	return false
}

// w3cFields returns the field identifiers of a #Fields directive, or nil
// when line is another directive.
func w3cFields(line []byte) []string {
	rest, ok := bytes.CutPrefix(bytes.TrimPrefix(line, utf8BOM), []byte("#Fields:"))
	if !ok {
		return nil
	}
	return strings.Fields(string(rest))
}

// w3cDate returns the date of a #Date directive ("#Date: 2027-03-01
// 00:00:02"), or nil.
func w3cDate(line []byte) []byte {
	rest, ok := bytes.CutPrefix(line, []byte("#Date:"))
	if !ok {
		return nil
	}
	f := bytes.Fields(rest)
	if len(f) == 0 {
		return nil
	}
	return f[0]
}

// directive reads a W3C directive line: a #Fields directive becomes the
// header (an error when it lacks a required field), a #Date the date of
// the lines without a date field; the others are skipped.
func (d *CSVDecoder) directive(line []byte) error {
	if date := w3cDate(line); date != nil {
		d.date = append(d.date[:0], date...)
		return nil
	}
	names := w3cFields(line)
	if names == nil {
		return nil
	}
	d.header = false
	d.dateCol, d.timeCol = -1, -1
	for j, n := range names {
		switch n {
		case "date":
			d.dateCol = j
		case "time":
			d.timeCol = j
		}
	}
	if err := d.parseHeader([]byte(strings.Join(names, " "))); !errors.Is(err, ErrHeader) {
		return err
	}
	// The time is a date and a time, whichever of the two the field map
	// names.
	if f := d.cols; d.timeCol >= 0 && f[d.timeCol] != fTS && (d.dateCol < 0 || f[d.dateCol] != fTS) {
		d.timeCol = -1
	}
	if d.timeCol < 0 {
		d.dateCol = -1
	}
	return nil
}

// w3cTime appends to d.scratch the RFC 3339 time of a line's date and
// time values ("2027-03-01", "08:14:03.120"), UTC, and returns it.
func (d *CSVDecoder) w3cTime(date, clock []byte) ([]byte, error) {
	if d.dateCol < 0 {
		date = d.date
	}
	if len(date) == 0 || len(clock) == 0 {
		return nil, fmt.Errorf("no date and time (a date field or a #Date directive)")
	}
	n := len(d.scratch)
	d.scratch = append(d.scratch, date...)
	d.scratch = append(d.scratch, 'T')
	d.scratch = append(d.scratch, clock...)
	d.scratch = append(d.scratch, 'Z')
	return d.scratch[n:], nil
}

// w3cName is the name a W3C field identifier stands for, beside its own,
// when fields are inferred: a header logged from the request or the
// response ("cs(X-Org-Id)", "sc(X-Result-Count)") is that header's name
// without its "X-" ("Org-Id", "Result-Count"); a field of the client's or
// of its request ("cs-username", "c-ip", "cs-uri-stem") and a custom one
// ("x-org", or "X-Org-Id" as some write a logged header) is its name
// without the prefix. The server's own fields
// (s-ip, s-port) keep theirs: the server's address is not the client's.
func w3cName(id string) string {
	for _, p := range []string{"cs(", "sc(", "c(", "s(", "r(", "rs(", "sr("} {
		if h, ok := strings.CutPrefix(id, p); ok && strings.HasSuffix(h, ")") {
			h = strings.TrimSuffix(h, ")")
			if len(h) > 2 && strings.EqualFold(h[:2], "x-") {
				h = h[2:]
			}
			return h
		}
	}
	for _, p := range []string{"cs-", "sc-", "c-", "x-"} {
		if len(id) > len(p) && strings.EqualFold(id[:len(p)], p) {
			return id[len(p):]
		}
	}
	return id
}
