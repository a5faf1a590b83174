package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/sink/chtest"
)

// badLine is one hostile input line and the dead-letter reason it must get.
type badLine struct {
	name, reason string
	line         []byte
	liveSkip     bool // too large for a Kafka record
}

func badLines() []badLine {
	const ts = `"ts":"2024-04-22T09:00:00Z"`
	return []badLine{
		{"truncated JSON", "malformed_json", []byte(`{` + ts + `,"account":`), false},
		{"missing account", "missing_account", []byte(`{` + ts + `,"org":"o1"}`), false},
		{"account is an object", "missing_account", []byte(`{` + ts + `,"account":{"x":1}}`), false},
		{"records is text", "bad_records", []byte(`{` + ts + `,"account":"a","records":"lots"}`), false},
		{"negative records", "bad_records", []byte(`{` + ts + `,"account":"a","records":-5}`), false},
		{"year 3000", "bad_timestamp", []byte(`{"ts":"3000-01-01T00:00:00Z","account":"a"}`), false},
		{"year 1970", "bad_timestamp", []byte(`{"ts":"1970-01-01T00:00:00Z","account":"a"}`), false},
		{"10 MB line", "line_too_long", []byte(`{` + ts + `,"account":"` + string(bytes.Repeat([]byte("x"), 10<<20)) + `"}`), true},
		{"invalid UTF-8", "invalid_utf8", []byte(`{` + ts + `,"account":"` + "\xff\xfe" + `"}`), false},
		{"escaped NUL", "bad_field", []byte(`{` + ts + `,"account":"a\u0000b"}`), false},
		{"raw NUL byte", "malformed_json", []byte(`{` + ts + `,"account":"a` + "\x00" + `b"}`), false},
		// A list of names is read by its first ("roles": ["ADVISOR"]); a
		// list of objects is not a name.
		{"list of objects", "bad_field", []byte(`{` + ts + `,"account":"a","action":[{"name":"x"}]}`), false},
	}
}

// badInput interleaves one good event before each bad line. It returns the
// lines and, by 1-based line number (the Kafka offset is that minus 1), the
// expected reason of each bad one.
func badInput(live bool) (lines [][]byte, want map[int64]badLine, good int) {
	want = map[int64]badLine{}
	for i, b := range badLines() {
		if live && b.liveSkip {
			continue
		}
		lines = append(lines, fmt.Appendf(nil, `{"ts":"2024-04-22T09:%02d:00Z","account":"acc%d","org":"o1","records":3}`, i, i))
		good++
		lines = append(lines, b.line)
		want[int64(len(lines))] = b
	}
	return lines, want, good
}

// checkDeadLetters compares the dead letters (by 1-based position) with want.
func checkDeadLetters(t *testing.T, got map[int64]string, want map[int64]badLine) {
	t.Helper()
	for pos, b := range want {
		if r, ok := got[pos]; !ok {
			t.Errorf("%s (line %d): not in the dead letters", b.name, pos)
		} else if r != b.reason {
			t.Errorf("%s (line %d): reason %q, want %q", b.name, pos, r, b.reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d dead letters, want %d: %v", len(got), len(want), got)
	}
}

// TestBadInputReplay runs a file holding every kind of hostile line through
// `vigie replay`: each bad line is a dead letter with its reason, counted
// by reason, and every good line is counted in the windows.
func TestBadInputReplay(t *testing.T) {
	lines, want, good := badInput(false)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig()}
	f.out.jsonl.Alerts = filepath.Join(dir, "alerts.jsonl")
	f.out.jsonl.Windows = filepath.Join(dir, "windows.jsonl")
	f.out.jsonl.DeadLetters = filepath.Join(dir, "dead.jsonl")
	f.out.jsonl.Truncate = true
	f.logs.level = "error"
	if err := runReplay(context.Background(), f, []string{in}); err != nil {
		t.Fatalf("replay stopped on bad input: %v", err)
	}
	got := map[int64]string{}
	scanJSONL(t, f.out.jsonl.DeadLetters, func(b []byte) {
		var d ingest.DeadLetter
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Raw) > ingest.TruncatedLineBytes {
			t.Errorf("dead letter of line %d keeps %d bytes, more than %d", d.Offset, len(d.Raw), ingest.TruncatedLineBytes)
		}
		got[d.Offset] = d.Reason
	})
	checkDeadLetters(t, got, want)
	var events int
	scanJSONL(t, f.out.jsonl.Windows, func(b []byte) {
		var w detector.Window
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatal(err)
		}
		if w.EntityType == "account" && w.Resolution == "hour" {
			events += int(w.Events)
		}
	})
	if events != good {
		t.Errorf("hour windows count %d events, want the %d good lines", events, good)
	}

	// The per-reason counter, through the same pipeline code.
	reg := prometheus.NewRegistry()
	m := newMetrics(reg)
	det, _ := detector.New(detector.DefaultConfig())
	p := newPipeline(det, nil, m, nil)
	reader, err := ingest.NewFileReader([]string{in}, ingest.DefaultFieldMap(), ingest.DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	if err := replayAll(context.Background(), p, reader, nil); err != nil {
		t.Fatal(err)
	}
	perReason := map[string]int{}
	for _, b := range want {
		perReason[b.reason]++
	}
	for reason, n := range perReason {
		if c := counterValue(m.decodeErrors.WithLabelValues(reason)); int(c) != n {
			t.Errorf("vigie_decode_errors_total{reason=%q} = %v, want %d", reason, c, n)
		}
	}
	if c := counterValue(m.events); int(c) != good {
		t.Errorf("vigie_events_total = %v, want %d", c, good)
	}
}

// TestBadInputLive sends the same lines (but the 10 MB one, larger than a
// Kafka record may be) through Kafka into `vigie run` writing to ClickHouse.
func TestBadInputLive(t *testing.T) {
	s := chtest.Start(t)
	lines, want, good := badInput(true)
	const topic = "hostile"
	b := relBroker(t, topic, 1)
	relProduce(t, b.Addrs(), topic, lines)
	db := s.NewDatabase(t)
	p := startVigie(t, runArgs(b.Addrs(), topic, "bad", s, db)...)
	p.wait(t, time.Minute)

	got := map[int64]string{}
	for _, r := range queryRows(t, s, db, "SELECT toString(offset), reason FROM dead_letters") {
		var off int64
		var reason string
		if i := bytes.IndexByte([]byte(r), '|'); i > 0 {
			off, _ = strconv.ParseInt(r[:i], 10, 64)
			reason = r[i+1:]
		}
		got[off+1] = reason
	}
	checkDeadLetters(t, got, want)
	sum := queryRows(t, s, db, "SELECT toString(sum(events)) FROM windows FINAL WHERE entity_type = 'account' AND resolution = 'hour'")
	if len(sum) != 1 || sum[0] != strconv.Itoa(good) {
		t.Errorf("hour windows count %v events, want the %d good lines", sum, good)
	}
}

func scanJSONL(t *testing.T, path string, f func([]byte)) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// The summary counts dead letters by reason and describes the first, with
// its JSON keys: a log whose fields are named otherwise shows at once what
// to map.
func TestSummaryDescribesTheFirstDeadLetter(t *testing.T) {
	det, err := detector.New(detector.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(det, nil, newMetrics(prometheus.NewRegistry()), nil)
	dec := ingest.NewJSONDecoder(ingest.DefaultFieldMap())
	for k, line := range []string{
		`{"timestamp":"2024-03-04T09:12:35+01:00","user":"a","records":1}`,
		`{"timestamp":"2024-03-04T09:12:36+01:00","user":"a"}`,
		`{not json`,
	} {
		p.handle(&ingest.Raw{Data: []byte(line), Source: "x.jsonl", Partition: -1, Offset: int64(k + 1)}, dec)
	}
	var out bytes.Buffer
	printSummary(&out, &p.counts)
	for _, want := range []string{
		"dead letters: malformed_json 1, missing_ts 2",
		"the first: x.jsonl line 1: missing_ts (field ts); its keys: records, timestamp, user",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary %q lacks %q", out.String(), want)
		}
	}
}
