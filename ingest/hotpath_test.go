package ingest

import (
	"errors"
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestJSONInvalidUTF8Anywhere checks that invalid UTF-8 is reported as such
// wherever it is (UTF-8 is checked while scanning strings, and for the whole
// line only after a syntax error), and that valid multi-byte text passes.
func TestJSONInvalidUTF8Anywhere(t *testing.T) {
	for _, tc := range []struct {
		line   string
		reason string // "" for success.
	}{
		{`{"ts":1707725643,"account":"Renée 🙂 long enough for eight-byte steps"}`, ""},
		{"{\"ts\":1707725643,\"account\":\"ab\xffcd\"}", ReasonInvalidUTF8},
		{"{\"ts\":1707725643,\"account\":\"abcdefghijklmnop\xc3\"}", ReasonInvalidUTF8},
		{"{\"ts\":1707725643,\"account\":\"a\",\"skipped\":\"\xed\xa0\x80\"}", ReasonInvalidUTF8},     // A UTF-16 surrogate.
		{"{\"ts\":1707725643,\"account\":\"a\",\"skipped\":[\"x\",\"\xc0\xaf\"]}", ReasonInvalidUTF8}, // Overlong.
		{"{\"ts\":1707725643,\"account\":\"a\"}\xff", ReasonInvalidUTF8},                              // Outside strings.
		{"{\"ts\":1707725643,,\"account\":\"a\xff\"}", ReasonInvalidUTF8},                             // After a syntax error.
		{"{\"ts\":1707725643,\"account\":\"a\x01bcdefghijk\"}", ReasonMalformedJSON},
		{"{\"ts\":1707725643,\"account\":\"abcdefgh\x1fijk\"}", ReasonMalformedJSON},
		{`{"ts":1707725643,"account":"abcdefgh\"ijk\\"}`, ""}, // Escapes past an eight-byte step.
	} {
		var ev Event
		err := NewJSONDecoder(DefaultFieldMap()).Decode([]byte(tc.line), &ev)
		var de *DecodeError
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%q: %v", tc.line, err)
		case tc.reason != "" && (!errors.As(err, &de) || de.Reason != tc.reason):
			t.Errorf("%q: got %v, want %s", tc.line, err, tc.reason)
		}
	}
}

// TestScanStringMatchesByteLoop compares the eight-bytes-at-a-time scanner
// with a plain byte loop on random strings rich in the bytes that matter.
func TestScanStringMatchesByteLoop(t *testing.T) {
	alphabet := []byte{'a', 'z', ' ', '"', '\\', 'n', 'u', '0', 0x1f, 0x7f, 0x80, 0xc3, 0xa9, 0xff, 0x20, 0x21, 0x5b, 0x5d}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		b := make([]byte, 1+rng.IntN(40))
		b[0] = '"'
		for k := 1; k < len(b); k++ {
			if rng.IntN(3) == 0 {
				b[k] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[k] = byte('a' + rng.IntN(26))
			}
		}
		end, esc, err := scanString(b, 0)
		wantEnd, wantEsc, wantOK := refScanString(b)
		if (err == nil) != wantOK || (wantOK && (end != wantEnd || esc != wantEsc)) {
			t.Fatalf("%q: got end %d esc %v err %v; want end %d esc %v ok %v", b, end, esc, err, wantEnd, wantEsc, wantOK)
		}
	}
}

// refScanString is the byte-at-a-time definition of a JSON string at b[0].
func refScanString(b []byte) (end int, esc, ok bool) {
	for j := 1; j < len(b); {
		switch c := b[j]; {
		case c == '"':
			return j + 1, esc, true
		case c == '\\':
			esc = true
			if j+1 >= len(b) {
				return 0, esc, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(b) || hex4(b[j+2:j+6]) < 0 {
					return 0, esc, false
				}
				j += 6
			default:
				return 0, esc, false
			}
		case c < 0x20:
			return 0, esc, false
		case c < 0x80:
			j++
		default:
			r, size := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && size == 1 {
				return 0, esc, false
			}
			j += size
		}
	}
	return 0, esc, false
}

// TestForkDecoder checks that a fork decodes like its origin, CSV header
// included, that reusing a fork keeps its intern tables (no allocation for
// a known account) and that the origin is left alone.
func TestForkDecoder(t *testing.T) {
	csv := NewCSVDecoder(DefaultFieldMap())
	var ev, fev Event
	if err := csv.Decode([]byte("records,account,ts"), &ev); !errors.Is(err, ErrHeader) {
		t.Fatal(err)
	}
	line := []byte("7,adv-1,2024-04-22T10:00:00Z")
	fork := ForkDecoder(csv, nil)
	if err := fork.Decode(line, &fev); err != nil {
		t.Fatal(err)
	}
	if err := csv.Decode(line, &ev); err != nil || ev != fev || fev.Records != 7 || fev.Account != "adv-1" {
		t.Fatalf("origin %+v (%v), fork %+v", ev, err, fev)
	}
	// A new header on the origin does not reach the existing fork, and a
	// re-fork picks it up while keeping the fork's intern tables.
	csv.Reset()
	if err := csv.Decode([]byte("ts,account,records"), &ev); !errors.Is(err, ErrHeader) {
		t.Fatal(err)
	}
	if err := fork.Decode(line, &fev); err != nil || fev.Records != 7 {
		t.Fatalf("old fork after the origin's new header: %+v, %v", fev, err)
	}
	refork := ForkDecoder(csv, fork)
	if refork != fork {
		t.Fatal("ForkDecoder did not reuse the previous fork")
	}
	line2 := []byte("2024-04-22T10:00:00Z,adv-1,9")
	if allocs := testing.AllocsPerRun(100, func() {
		if err := refork.Decode(line2, &fev); err != nil || fev.Records != 9 || fev.Account != "adv-1" {
			t.Fatalf("re-fork: %+v, %v", fev, err)
		}
	}); allocs != 0 {
		t.Errorf("re-forked decoder: %.0f allocations per known line, want 0", allocs)
	}

	json := NewJSONDecoder(DefaultFieldMap())
	jf := ForkDecoder(json, nil)
	if jf == Decoder(json) || ForkDecoder(json, jf) != jf {
		t.Fatal("JSON fork: not a new decoder, or not reused")
	}
	if err := jf.Decode([]byte(`{"ts":"2024-04-22T10:00:00Z","account":"a","records":2}`), &fev); err != nil || fev.Records != 2 {
		t.Fatalf("JSON fork: %+v, %v", fev, err)
	}
	if ForkDecoder(&lineTooLong{}, nil) != nil {
		t.Error("ForkDecoder of an unknown decoder is not nil")
	}
}
