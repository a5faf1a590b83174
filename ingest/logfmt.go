package ingest

import (
	"errors"
	"unicode/utf8"
)

// Logfmt lines. Services written in Go log with log/slog's text handler,
// others with logfmt libraries: one event a line of key=value pairs,
// values quoted when they hold spaces,
//
//	time=2026-03-02T09:14:03.120+01:00 level=INFO msg=access user=jdupont org=ML75 records=12
//
// A line that holds no JSON object but begins with a key and '=' is read
// so by the line decoder (JSONDecoder.Decode), with the same field names:
// a dotted name ("user.name", slog's groups) is matched as written.

// logfmtStart reports whether line begins, after spaces, with a key
// (letters, digits, '_', '.', '-', '@', a letter, '_' or '@' first)
// followed by '='.
func logfmtStart(line []byte) bool {
	i := skipSpace(line, 0)
	if i >= len(line) || !(isLetter(line[i]) || line[i] == '_' || line[i] == '@') {
		return false
	}
	for ; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '=':
			return true
		case isLetter(c) || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-' || c == '@':
		default:
			return false
		}
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// errLogfmtQuote is a quoted value that does not end.
var errLogfmtQuote = errors.New("logfmt: a quoted value does not end")

// logfmtPairs calls pair with each key and value of line, a quoted value
// without its quotes and with esc set when it holds backslash escapes
// (unescapeLogfmt). A key without '=' is skipped.
func logfmtPairs(line []byte, pair func(key, val []byte, esc bool)) error {
	for i := skipSpace(line, 0); i < len(line); i = skipSpace(line, i) {
		ks := i
		for i < len(line) && line[i] != '=' && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		key := line[ks:i]
		if i >= len(line) || line[i] != '=' {
			continue
		}
		i++
		if i < len(line) && line[i] == '"' {
			j, esc := i+1, false
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' {
					esc = true
					j++
				}
			}
			if j >= len(line) {
				return errLogfmtQuote
			}
			pair(key, line[i+1:j], esc)
			i = j + 1
			continue
		}
		vs := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		pair(key, line[vs:i], false)
	}
	return nil
}

// unescapeLogfmt appends s, a quoted value's inside, to dst with its
// backslash escapes (\" \\ \n \t \r; any other escaped byte as itself)
// resolved.
func unescapeLogfmt(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			i++
			switch c = s[i]; c {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// decodeLogfmt decodes a logfmt line into ev (JSONDecoder.Decode).
func (d *JSONDecoder) decodeLogfmt(line []byte, ev *Event) error {
	return d.decodePairs(line, ev, ReasonMalformedLogfmt, logfmtPairs)
}

// decodePairs decodes into ev a line whose named values pairs yields
// (logfmt, the combined log format, CEF and LEEF), matching the names as
// written; a line pairs fails on is a dead letter of reason.
func (d *JSONDecoder) decodePairs(line []byte, ev *Event, reason string, pairs func([]byte, func(key, val []byte, esc bool)) error) error {
	if !utf8.Valid(line) {
		return &DecodeError{Reason: ReasonInvalidUTF8}
	}
	err := pairs(line, func(key, val []byte, esc bool) {
		for f, name := range d.b.names {
			if name != "" && name == string(key) {
				d.b.vals[f] = fieldVal{b: val, kind: kindString}
				d.esc[f] = esc
			}
		}
	})
	if err != nil {
		return &DecodeError{Reason: reason, Err: err}
	}
	return d.build(ev, unescapeLogfmt)
}
