package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// JSONDecoder decodes one JSON object per line. It walks the bytes in place:
// the fields it does not need are validated and skipped without being
// built, and repeated values (accounts, orgs, roles, actions) come from
// intern tables, so a line of a known account costs at most one allocation.
//
// It accepts only a complete, valid JSON object, as RFC 8259 defines it,
// with at most maxDepth levels of nesting. A key given twice keeps its last
// value, like encoding/json.
type JSONDecoder struct {
	// MaxLineBytes is the longest line accepted; zero means
	// DefaultMaxLineBytes.
	MaxLineBytes int

	root    pathNode
	b       builder
	esc     [numFields]bool // The string value of the field holds escapes.
	scratch []byte          // Unescaped string values of the current line.
	key     []byte          // The unescaped current key, when it has escapes.
	// pattern reads every line with --line-pattern when set.
	pattern func(line []byte, pair func(key, val []byte, esc bool)) error
	// hints[k]-1 is the index in root.children of the k-th key of the
	// previous line's top-level object (0: none). Lines of one log share
	// their key order, so one comparison usually finds the field.
	hints [maxHints]uint8
}

// maxHints is how many top-level keys per line have a lookup hint.
const maxHints = 32

// maxDepth bounds nesting: deeper input is an attack on the stack, not a log.
const maxDepth = 256

// NewJSONDecoder returns a decoder reading the fields named in m, which
// should have passed m.Validate.
func NewJSONDecoder(m FieldMap) *JSONDecoder {
	d := &JSONDecoder{b: newBuilder(m), root: pathNode{field: -1}}
	for f, name := range m.names() {
		if name == "" {
			continue
		}
		n := &d.root
		for seg := range strings.SplitSeq(name, ".") {
			n = n.add(seg)
		}
		n.field = f
	}
	if re, err := compilePattern(m.LinePattern); m.LinePattern != "" && err == nil {
		d.pattern = patternPairs(re)
	}
	return d
}

// pathNode is one level of the field paths: the keys to look for in one
// object and, for a leaf, the field its value feeds.
type pathNode struct {
	key      string
	field    int // -1 unless a leaf.
	children []pathNode
}

func (n *pathNode) add(key string) *pathNode {
	for i := range n.children {
		if n.children[i].key == key {
			return &n.children[i]
		}
	}
	n.children = append(n.children, pathNode{key: key, field: -1})
	return &n.children[len(n.children)-1]
}

func (n *pathNode) child(key []byte) *pathNode {
	for i := range n.children {
		if n.children[i].key == string(key) {
			return &n.children[i]
		}
	}
	return nil
}

// lookup finds the node of key in n, where a dotted key ("user.name") also
// matches the nested path.
func (n *pathNode) lookup(key []byte) *pathNode {
	if c := n.child(key); c != nil {
		return c
	}
	if bytes.IndexByte(key, '.') < 0 {
		return nil
	}
	for seg := range bytes.SplitSeq(key, []byte{'.'}) {
		if n = n.child(seg); n == nil {
			return nil
		}
	}
	return n
}

// Decode decodes line into ev, overwriting all its fields. On error ev holds
// garbage. The strings put in ev never alias line.
// maxPrefix bounds the text a relay may put before a line's JSON object.
const maxPrefix = 256

// jsonStart returns where line's JSON object begins: after leading
// spaces, or after a prefix a relay wrote before it (syslog's
// "<134>May  2 09:14:03 gw api[42]: ", rsyslog's "@cee: "), at most
// maxPrefix bytes without a quote or a brace; -1 when there is none.
func jsonStart(line []byte) int {
	i := skipSpace(line, 0)
	if i < len(line) && line[i] == '{' {
		return i
	}
	j := bytes.IndexAny(line[i:min(len(line), i+maxPrefix+1)], "{\"")
	if j < 0 || line[i+j] != '{' {
		return -1
	}
	return i + j
}

func (d *JSONDecoder) Decode(line []byte, ev *Event) error {
	maxLen := d.MaxLineBytes
	if maxLen <= 0 {
		maxLen = DefaultMaxLineBytes
	}
	if len(line) > maxLen {
		return &DecodeError{Reason: ReasonLineTooLong, Err: fmt.Errorf("%d bytes, limit %d", len(line), maxLen)}
	}
	d.b.reset()
	d.esc = [numFields]bool{}
	d.scratch = d.scratch[:0]
	line = d.b.utf8Line(line)
	if d.pattern != nil {
		return d.decodePairs(line, ev, ReasonUnmatchedLine, d.pattern)
	}
	i := jsonStart(line)
	if i < 0 {
		if j := cefStart(line); j >= 0 {
			return d.decodeCEF(line[j:], ev)
		}
	}
	if i < 0 && logfmtStart(line) {
		return d.decodeLogfmt(line, ev)
	}
	if i < 0 && clfStart(line) {
		return d.decodeCLF(line, ev)
	}
	if i < 0 {
		i = skipSpace(line, 0)
		return &DecodeError{Reason: ReasonMalformedJSON, Err: syntaxErr(line, i, "not a JSON object")}
	}
	i, err := d.object(line, i, &d.root, 1)
	if err == nil {
		if i = skipSpace(line, i); i < len(line) {
			err = syntaxErr(line, i, "data after the object")
		}
	}
	if err != nil {
		// Strings are checked for UTF-8 as they are scanned, and a byte
		// from 0x80 outside a string is a syntax error: only then does the
		// whole line need checking, so that invalid UTF-8 anywhere is
		// reported as such, whatever else is wrong.
		if errors.Is(err, errInvalidUTF8) || !utf8.Valid(line) {
			return &DecodeError{Reason: ReasonInvalidUTF8}
		}
		return &DecodeError{Reason: ReasonMalformedJSON, Err: err}
	}
	return d.build(ev, unescape)
}

// build fills ev from the line's values, the string values marked in
// d.esc first unescaped by unesc into d.scratch. They are unescaped last,
// all at once: a value appended to scratch while others were still
// being scanned could move the ones before it.
func (d *JSONDecoder) build(ev *Event, unesc func(dst, s []byte) []byte) error {
	for f, esc := range d.esc {
		if esc {
			v := &d.b.vals[f]
			start := len(d.scratch)
			d.scratch = unesc(d.scratch, v.b)
			v.b = d.scratch[start:]
		}
	}
	return d.b.build(ev)
}

// object walks the object starting at b[i] == '{', recording the values of
// the fields under n (nil: skip everything), and returns the index after it.
func (d *JSONDecoder) object(b []byte, i int, n *pathNode, depth int) (int, error) {
	if depth > maxDepth {
		return i, syntaxErr(b, i, "nested too deep")
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for pos := 0; ; pos++ {
		if i >= len(b) || b[i] != '"' {
			return i, syntaxErr(b, i, "expected a key")
		}
		end, esc, err := scanString(b, i)
		if err != nil {
			return end, err
		}
		key := b[i+1 : end-1]
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return i, syntaxErr(b, i, "expected ':'")
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return i, syntaxErr(b, i, "expected a value")
		}
		var c *pathNode
		if n != nil {
			if esc {
				d.key = unescape(d.key[:0], key)
				key = d.key
			}
			c = d.find(n, key, pos)
		}
		switch {
		case c != nil && c.field >= 0:
			i, err = d.value(b, i, c.field, depth)
		case c != nil && b[i] == '{':
			i, err = d.object(b, i, c, depth+1)
		default:
			i, err = skipValue(b, i, depth)
		}
		if err != nil {
			return i, err
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return i, syntaxErr(b, i, "unterminated object")
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return i, syntaxErr(b, i, "expected ',' or '}'")
		}
	}
}

// find returns the node of key, the pos-th key of object n, trying first
// the node the pos-th key of the previous line's top-level object had.
func (d *JSONDecoder) find(n *pathNode, key []byte, pos int) *pathNode {
	if n != &d.root || pos >= maxHints {
		return n.lookup(key)
	}
	if h := int(d.hints[pos]); h > 0 && h <= len(n.children) && n.children[h-1].key == string(key) {
		return &n.children[h-1]
	}
	c := n.lookup(key)
	d.hints[pos] = 0
	for k := range n.children {
		if c == &n.children[k] && k < 255 {
			d.hints[pos] = uint8(k + 1)
		}
	}
	return c
}

// value records the value at b[i] as the value of field f.
func (d *JSONDecoder) value(b []byte, i, f, depth int) (int, error) {
	v := &d.b.vals[f]
	d.esc[f] = false
	switch c := b[i]; {
	case c == '"':
		end, esc, err := scanString(b, i)
		if err != nil {
			return end, err
		}
		v.b, v.kind, d.esc[f] = b[i+1:end-1], kindString, esc
		return end, nil
	case c == '-' || isDigit(c):
		end, err := scanNumber(b, i)
		v.b, v.kind = b[i:end], kindNumber
		return end, err
	case c == 'n':
		v.b, v.kind = nil, kindNull
		return literal(b, i, "null")
	case c == '[' && f != fTS && f != fRecords:
		// A list of names ("roles": ["ADVISOR", "AUDITOR"], as ECS
		// writes a user's roles) is read by its first, when it is a
		// string; an empty list is no value. A time or a count is never
		// a list.
		v.b, v.kind = nil, kindOther
		if j := skipSpace(b, i+1); j < len(b) && b[j] == ']' {
			v.kind = kindNull
		} else if j < len(b) && b[j] == '"' {
			end, esc, err := scanString(b, j)
			if err != nil {
				return end, err
			}
			v.b, v.kind, d.esc[f] = b[j+1:end-1], kindString, esc
		}
		return skipArray(b, i, depth+1)
	default:
		v.b, v.kind = nil, kindOther
		return skipValue(b, i, depth)
	}
}

// skipValue validates and skips the value at b[i].
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return i, syntaxErr(b, i, "expected a value")
	}
	switch c := b[i]; c {
	case '"':
		end, _, err := scanString(b, i)
		return end, err
	case '{':
		return (*JSONDecoder)(nil).object(b, i, nil, depth+1)
	case '[':
		return skipArray(b, i, depth+1)
	case 't':
		return literal(b, i, "true")
	case 'f':
		return literal(b, i, "false")
	case 'n':
		return literal(b, i, "null")
	default:
		if c == '-' || isDigit(c) {
			return scanNumber(b, i)
		}
		return i, syntaxErr(b, i, "expected a value")
	}
}

func skipArray(b []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return i, syntaxErr(b, i, "nested too deep")
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = skipValue(b, i, depth); err != nil {
			return i, err
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return i, syntaxErr(b, i, "unterminated array")
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return i + 1, nil
		default:
			return i, syntaxErr(b, i, "expected ',' or ']'")
		}
	}
}

func literal(b []byte, i int, lit string) (int, error) {
	if !bytes.HasPrefix(b[i:], []byte(lit)) {
		return i, syntaxErr(b, i, "expected a value")
	}
	return i + len(lit), nil
}

// strPlain marks the ASCII bytes that need no attention inside a string.
// Bytes from 0x80 start a UTF-8 sequence, validated in place.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// errInvalidUTF8 is what scanString reports for a string that is not UTF-8.
var errInvalidUTF8 = errors.New("invalid UTF-8")

// SWAR constants: one in each byte, or the high bit of each byte.
const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// swarSpecial reports whether one of the eight bytes of w needs attention
// inside a string: a quote, a backslash, a control character or a byte from
// 0x80. It is exact: no false positive, no false negative.
func swarSpecial(w uint64) bool {
	quote := w ^ ('"' * swarOnes)
	slash := w ^ ('\\' * swarOnes)
	return ((quote-swarOnes)&^quote|(slash-swarOnes)&^slash|(w-0x20*swarOnes)|w)&swarHigh != 0
}

// scanString validates the string starting at b[i] == '"', UTF-8 included,
// and returns the index after its closing quote and whether it holds
// escapes. It skips eight plain bytes at a time.
func scanString(b []byte, i int) (end int, esc bool, err error) {
	j := i + 1
	for {
		for j+8 <= len(b) && !swarSpecial(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		for j < len(b) && strPlain[b[j]] {
			j++
		}
		if j >= len(b) {
			return j, esc, syntaxErr(b, i, "unterminated string")
		}
		switch c := b[j]; c {
		case '"':
			return j + 1, esc, nil
		case '\\':
			esc = true
			if j+1 >= len(b) {
				return j, esc, syntaxErr(b, i, "unterminated string")
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(b) || hex4(b[j+2:j+6]) < 0 {
					return j, esc, syntaxErr(b, j, "bad \\u escape")
				}
				j += 6
			default:
				return j, esc, syntaxErr(b, j, "bad escape")
			}
		default:
			if c < 0x80 {
				return j, esc, syntaxErr(b, j, "control character in string")
			}
			r, size := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && size == 1 {
				return j, esc, errInvalidUTF8
			}
			j += size
		}
	}
}

// scanNumber validates the number starting at b[i] and returns the index
// after it.
func scanNumber(b []byte, i int) (int, error) {
	start := i
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && isDigit(b[i]):
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return i, syntaxErr(b, start, "bad number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return i, syntaxErr(b, start, "bad number")
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return i, syntaxErr(b, start, "bad number")
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return i, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// hex4 returns the value of four hex digits, or -1.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// unescape appends the value of the JSON string body s, already validated
// by scanString, to dst. A lone UTF-16 surrogate becomes U+FFFD, as in
// encoding/json.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			j := bytes.IndexByte(s[i:], '\\')
			if j < 0 {
				return append(dst, s[i:]...)
			}
			dst = append(dst, s[i:i+j]...)
			i += j
			continue
		}
		c := s[i+1]
		i += 2
		switch c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2 = hex4(s[i+2:])
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\' and '/' stand for themselves.
			dst = append(dst, c)
		}
	}
	return dst
}

// syntaxErr describes a JSON syntax error at b[i] with a little context.
func syntaxErr(b []byte, i int, msg string) error {
	if i >= len(b) {
		return fmt.Errorf("%s at end of line", msg)
	}
	return fmt.Errorf("%s at byte %d", msg, i)
}
