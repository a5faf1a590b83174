package ingest

import (
	"bytes"
	"errors"
)

// SIEM event formats: ArcSight's Common Event Format and QRadar's Log
// Event Extended Format, often behind a syslog header:
//
//	<134>Mar  2 09:14:03 gw CEF:0|Acme|Partage|2.1|ACCESS|Consultation|3|rt=Mar 02 2027 09:14:03 suser=jdupont src=10.1.2.3 cs1Label=Organisation cs1=ML075 cn1Label=RecordCount cn1=12
//	LEEF:2.0|Acme|Partage|2.1|ACCESS|^|devTime=Mar 02 2027 09:14:03^usrName=jdupont^src=10.1.2.3^org=ML075
//
// A line holding no JSON object, with "CEF:" or "LEEF:" at its start or
// after a relay's prefix, is read so by the line decoder
// (JSONDecoder.Decode). The header's fields are named device_vendor,
// device_product, device_version, signature_id, name and severity (LEEF:
// event_id, no name nor severity); the extension's key=value pairs by
// their keys (CEF's values run to the next key, spaces included; LEEF's
// to its delimiter, a tab unless the header names another), and a custom
// field (cs1, cn1, flexString1...) also by its label (cs1Label=Organisation
// names cs1 Organisation).

// cefStart returns where a CEF or LEEF header begins in line: at its
// start or after a space, within maxPrefix bytes; -1 when there is none.
func cefStart(line []byte) int {
	head := line[:min(len(line), maxPrefix+5)]
	for _, tag := range [...]string{"CEF:", "LEEF:"} {
		if i := bytes.Index(head, []byte(tag)); i == 0 || i > 0 && line[i-1] == ' ' {
			return i
		}
	}
	return -1
}

var errCEF = errors.New("CEF/LEEF: ")

// cefHeaderNames name the header fields after the version.
var (
	cefHeaderNames  = bytesOf("device_vendor", "device_product", "device_version", "signature_id", "name", "severity")
	leefHeaderNames = bytesOf("device_vendor", "device_product", "device_version", "event_id")
)

// cefLabels holds the labels a line gives its custom fields.
type cefLabels struct {
	n     int
	field [16][]byte // "cs1"
	label [16][]byte // its label's value ("Organisation")
}

// cefPairs calls pair with each named value of a CEF or LEEF record
// (line from cefStart), esc set when it holds backslash escapes.
func cefPairs(line []byte, pair func(key, val []byte, esc bool)) error {
	leef := bytes.HasPrefix(line, []byte("LEEF:"))
	names := cefHeaderNames
	if leef {
		names = leefHeaderNames
	}
	// The version, then the header fields, '|'-separated ('\|' escapes).
	i := bytes.IndexByte(line, ':') + 1
	version := line[i:]
	if j := bytes.IndexByte(version, '|'); j >= 0 {
		version = version[:j]
	}
	i += len(version) + 1
	for _, n := range names {
		if i > len(line) {
			return errors.New(errCEF.Error() + "the header ends early")
		}
		j, esc := cefHeaderField(line, i)
		if j < 0 {
			return errors.New(errCEF.Error() + "the header ends early")
		}
		pair(n, line[i:j], esc)
		i = j + 1
	}
	ext := line[min(i, len(line)):]
	var delim byte = '\t'
	if leef {
		if bytes.HasPrefix(version, []byte("2")) {
			// LEEF 2.0 names its delimiter: a character or its hex code.
			j, _ := cefHeaderField(line, i)
			if j < 0 {
				return errors.New(errCEF.Error() + "no delimiter field")
			}
			if d := line[i:j]; len(d) == 1 {
				delim = d[0]
			} else if len(d) >= 3 && (d[0] == 'x' || d[0] == 'X' || d[1] == 'x') {
				delim = hexByte(d[len(d)-2:])
			}
			ext = line[j+1:]
		}
		return leefPairs(ext, delim, pair)
	}
	var labels cefLabels
	err := cefExtension(ext, func(key, val []byte, esc bool) {
		if base, ok := bytes.CutSuffix(key, []byte("Label")); ok && len(base) > 0 && labels.n < len(labels.field) {
			labels.field[labels.n], labels.label[labels.n] = base, val
			labels.n++
		}
	})
	if err != nil {
		return err
	}
	return cefExtension(ext, func(key, val []byte, esc bool) {
		pair(key, val, esc)
		for k := range labels.n {
			if bytes.Equal(labels.field[k], key) {
				pair(labels.label[k], val, esc)
			}
		}
	})
}

// cefHeaderField returns the index of the '|' that ends the header field
// starting at line[i] (-1: none) and whether it holds escapes.
func cefHeaderField(line []byte, i int) (int, bool) {
	esc := false
	for ; i < len(line); i++ {
		switch line[i] {
		case '\\':
			esc = true
			i++
		case '|':
			return i, esc
		}
	}
	return -1, esc
}

// cefExtension calls pair with each key=value of a CEF extension: a value
// runs to the space before the next key ("suser=Jean Dupont src=...");
// an escaped '=' (\=) belongs to the value.
func cefExtension(ext []byte, pair func(key, val []byte, esc bool)) error {
	eq := cefEquals(ext, 0)
	if eq < 0 {
		return nil
	}
	keyStart := 0
	for eq >= 0 {
		key := bytes.TrimSpace(ext[keyStart:eq])
		if len(key) == 0 || bytes.IndexByte(key, ' ') >= 0 {
			return errors.New(errCEF.Error() + "an extension key holds a space")
		}
		next := cefEquals(ext, eq+1)
		end := len(ext)
		if next >= 0 {
			// The next key begins after the last space before its '='.
			sp := bytes.LastIndexByte(ext[eq+1:next], ' ')
			if sp < 0 {
				return errors.New(errCEF.Error() + "no space before the key of an '='")
			}
			end = eq + 1 + sp
			keyStart = end + 1
		}
		val := ext[eq+1 : end]
		pair(key, val, bytes.IndexByte(val, '\\') >= 0)
		eq = next
	}
	return nil
}

// cefEquals returns the index of the first unescaped '=' of ext from i,
// or -1.
func cefEquals(ext []byte, i int) int {
	for ; i < len(ext); i++ {
		switch ext[i] {
		case '\\':
			i++
		case '=':
			return i
		}
	}
	return -1
}

// leefPairs calls pair with each key=value of a LEEF extension separated
// by delim.
func leefPairs(ext []byte, delim byte, pair func(key, val []byte, esc bool)) error {
	for f := range bytes.SplitSeq(ext, []byte{delim}) {
		if len(bytes.TrimSpace(f)) == 0 {
			continue
		}
		key, val, ok := bytes.Cut(f, []byte{'='})
		if !ok || len(key) == 0 {
			return errors.New(errCEF.Error() + "a LEEF attribute without '='")
		}
		pair(bytes.TrimSpace(key), val, bytes.IndexByte(val, '\\') >= 0)
	}
	return nil
}

// hexByte reads two hexadecimal digits ("5E"); 0 when they are not.
func hexByte(h []byte) byte {
	var b byte
	for _, c := range h {
		switch {
		case '0' <= c && c <= '9':
			b = b<<4 | (c - '0')
		case 'a' <= c && c <= 'f':
			b = b<<4 | (c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			b = b<<4 | (c - 'A' + 10)
		default:
			return 0
		}
	}
	return b
}

// decodeCEF decodes a CEF or LEEF record (line from cefStart) into ev
// (JSONDecoder.Decode).
func (d *JSONDecoder) decodeCEF(line []byte, ev *Event) error {
	return d.decodePairs(line, ev, ReasonMalformedCEF, cefPairs)
}
