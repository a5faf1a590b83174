package ingest

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
)

// Access logs in the combined log format, as nginx and Apache write them,
// with whatever the operator's log_format appends:
//
//	10.2.3.4 - jdupont [02/Mar/2027:09:14:03 +0100] "GET /api/v1/personnes?page=3&size=50 HTTP/1.1" 200 5123 "-" "Mozilla/5.0" rt=0.131 org="ML075"
//
// A line that holds no JSON object and begins like one (a host, an
// identity, a user, a bracketed time and a quoted request) is read so by the line decoder
// (JSONDecoder.Decode). Its values are named as nginx names its
// variables: remote_addr, remote_user, time_local, request,
// request_method, uri (the path), args (the query), status,
// body_bytes_sent, http_referer, http_user_agent; each query parameter is
// arg_NAME ($arg_size for ?size=50), the first that sets a page size
// (size, limit, per_page...) also page_size, and the organisation a REST
// path names (/o/ml-nantes/api/..., /tenants/cd13/...) uri_org; a
// key=value pair appended by the log_format is its key, and any other
// appended value fieldN, N its position on the line (the first is
// field1, the client's address). "-" is an empty value.

// errCLF is a line that begins like the combined log format but does not
// follow it.
var errCLF = errors.New("combined log format: ")

// clfStart reports whether line begins with three space-separated tokens
// and a bracketed value followed by a quote: the client, the identity, the
// user, the time and the request. A text layout's "2025-11-13 07:03:43,996
// WARN [main] ..." is not one.
func clfStart(line []byte) bool {
	i := 0
	for range 3 {
		j := bytes.IndexByte(line[i:], ' ')
		if j <= 0 {
			return false
		}
		i += j + 1
	}
	if i >= len(line) || line[i] != '[' {
		return false
	}
	j := bytes.IndexByte(line[i:], ']')
	return j > 0 && bytes.HasPrefix(line[i+j+1:], []byte(` "`))
}

// clfNames are the names of the combined log format's values, in order.
var clfNames = bytesOf("remote_addr", "ident", "remote_user", "time_local", "request", "status",
	"body_bytes_sent", "http_referer", "http_user_agent")

// The names requestPairs gives.
var (
	keyMethod   = []byte("request_method")
	keyURI      = []byte("uri")
	keyURIOrg   = []byte("uri_org")
	keyArgs     = []byte("args")
	keyPageSize = []byte("page_size")
)

// bytesOf returns its arguments as byte slices: names handed to a pair
// callback without a conversion (an allocation) per line.
func bytesOf(names ...string) [][]byte {
	b := make([][]byte, len(names))
	for i, n := range names {
		b[i] = []byte(n)
	}
	return b
}

// pairNames is the room clfPairs writes the names it makes in (arg_NAME,
// fieldN): one allocation a line, as the names reach a callback.
type pairNames struct {
	field [24]byte
	arg   [64]byte
}

// clfPairs calls pair with each named value of a combined log line
// (without quotes; esc when it holds backslash escapes), but not with the
// empty ones ("-").
func clfPairs(line []byte, emit func(key, val []byte, esc bool)) error {
	pair := func(key, val []byte, esc bool) {
		if len(val) != 1 || val[0] != '-' {
			emit(key, val, esc)
		}
	}
	var names pairNames
	n, named := 0, len(clfNames)
	for i := skipSpace(line, 0); i < len(line); i = skipSpace(line, i) {
		t, err := readCLFToken(line, i)
		if err != nil {
			return err
		}
		i = t.next
		switch {
		case n == 3 && t.delim != ']':
			return errors.New(errCLF.Error() + "no [time] after the user")
		case n == 4 && t.delim != '"':
			return errors.New(errCLF.Error() + "no quoted request after the time")
		case n == 7 && t.delim != '"':
			// No referer and user agent (the common log format): what
			// follows is the operator's.
			named = 7
		}
		switch {
		case n < named:
			if n == 4 {
				requestPairs(t.val, &names.arg, pair)
			}
			pair(clfNames[n], t.whole, t.esc)
		case len(t.key) > 0:
			pair(t.key, t.val, t.esc)
		default:
			pair(strconv.AppendInt(append(names.field[:0], "field"...), int64(n+1), 10), t.val, t.esc)
		}
		n++
	}
	if n < 7 {
		return errors.New(errCLF.Error() + "fewer than 7 values")
	}
	return nil
}

// clfToken is one value of a combined log line.
type clfToken struct {
	whole []byte // Without its quotes or brackets.
	// key and val split key=value (key empty when it is not a pair;
	// val is then whole).
	key, val []byte
	delim    byte // '"', ']', or ' ' for a bare value
	esc      bool // A quoted value holds backslash escapes.
	next     int  // The index after it in the line.
}

// readCLFToken reads the value starting at line[i]: "quoted" (backslash
// escapes allowed), [bracketed], key="quoted" or bare up to a space.
func readCLFToken(line []byte, i int) (clfToken, error) {
	t := clfToken{delim: ' '}
	switch line[i] {
	case '[':
		j := bytes.IndexByte(line[i:], ']')
		if j < 0 {
			return t, errors.New(errCLF.Error() + "a bracketed value does not end")
		}
		t.whole, t.delim, t.next = line[i+1:i+j], ']', i+j+1
	case '"':
		q, next, esc, err := clfQuoted(line, i+1)
		if err != nil {
			return t, err
		}
		t.whole, t.delim, t.next, t.esc = q, '"', next, esc
	default:
		j := bytes.IndexByte(line[i:], ' ')
		if j < 0 {
			j = len(line) - i
		}
		t.whole, t.next = line[i:i+j], i+j
		k := bytes.IndexByte(t.whole, '=')
		if k <= 0 {
			break
		}
		t.key, t.val = t.whole[:k], t.whole[k+1:]
		if len(t.val) > 0 && t.val[0] == '"' {
			// key="value": the value is read quoted, spaces and all.
			q, next, esc, err := clfQuoted(line, i+k+2)
			if err != nil {
				return t, err
			}
			t.val, t.next, t.esc = q, next, esc
		}
		return t, nil
	}
	t.val = t.whole
	return t, nil
}

// clfQuoted returns the quoted value whose text starts at line[i] (after
// its opening quote), the index after its closing quote, and whether it
// holds backslash escapes.
func clfQuoted(line []byte, i int) (val []byte, next int, esc bool, err error) {
	for j := i; j < len(line); j++ {
		switch line[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return line[i:j], j + 1, esc, nil
		}
	}
	return nil, 0, false, errors.New(errCLF.Error() + "a quoted value does not end")
}

// requestPairs calls pair with the method, the path and the query of a
// request line ("GET /a/b?x=1&y=2 HTTP/1.1"), each query parameter as
// arg_NAME, the first page size among them as page_size (pageSizeArgs),
// and the organisation the path names as uri_org (uriOrg); the arg_
// names are written in name.
func requestPairs(req []byte, name *[64]byte, pair func(key, val []byte, esc bool)) {
	method, rest, ok := bytes.Cut(req, []byte{' '})
	if !ok {
		return
	}
	pair(keyMethod, method, false)
	target, _, _ := bytes.Cut(rest, []byte{' '})
	path, query, _ := bytes.Cut(target, []byte{'?'})
	pair(keyURI, path, false)
	if org := uriOrg(path); org != nil {
		pair(keyURIOrg, org, false)
	}
	if len(query) == 0 {
		return
	}
	pair(keyArgs, query, false)
	size := false
	for p := range bytes.SplitSeq(query, []byte{'&'}) {
		k, v, _ := bytes.Cut(p, []byte{'='})
		if len(k) == 0 || len(k) > len(name)-4 {
			continue
		}
		pair(append(append(name[:0], "arg_"...), k...), v, false)
		if !size && allDigits(v) && pageSizeArg(k) {
			pair(keyPageSize, v, false)
			size = true
		}
	}
}

// pageSizeArgs are the names (normalised: lower case, without '_', '-'
// or '$') of the query parameters that set how many records a request
// returns at most: Spring Data's size, limit-and-offset APIs' limit,
// GitHub's per_page, Solr's rows, OData's $top, French APIs' taille.
var pageSizeArgs = []string{"size", "limit", "pagesize", "perpage", "rows", "top", "maxresults", "maxrows", "taille"}

// pageSizeArg reports whether query parameter k sets a page size.
func pageSizeArg(k []byte) bool {
	var buf [16]byte
	n := 0
	for _, c := range k {
		switch {
		case c == '_' || c == '-' || c == '$':
		case n == len(buf):
			return false
		default:
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
			n++
		}
	}
	return slices.Contains(pageSizeArgs, string(buf[:n]))
}

// orgSegments are the path segments (lower case) after which a REST path
// names the organisation the request is made for: /o/ml-nantes/api/...,
// /orgs/42/..., /tenants/cd13/..., /structures/ML075/...
var orgSegments = []string{"o", "org", "orgs", "organisation", "organisations", "organization", "organizations",
	"tenant", "tenants", "structure", "structures", "partenaire", "partenaires", "partner", "partners",
	"agence", "agences", "agency", "agencies", "etablissement", "etablissements"}

// uriOrg returns the path segment that follows the first of orgSegments
// in path, or nil.
func uriOrg(path []byte) []byte {
	for len(path) > 0 {
		var seg []byte
		path = bytes.TrimLeft(path, "/")
		seg, path, _ = bytes.Cut(path, []byte{'/'})
		if slices.ContainsFunc(orgSegments, func(s string) bool { return bytes.EqualFold(seg, []byte(s)) }) {
			next, _, _ := bytes.Cut(bytes.TrimLeft(path, "/"), []byte{'/'})
			if len(next) > 0 {
				return next
			}
			return nil
		}
	}
	return nil
}

// decodeCLF decodes a combined log format line into ev
// (JSONDecoder.Decode).
func (d *JSONDecoder) decodeCLF(line []byte, ev *Event) error {
	return d.decodePairs(line, ev, ReasonMalformedCLF, clfPairs)
}
