package sink

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// sampleBatch has one item of each kind with awkward values: quotes,
// unicode, a non-UTC zone, fractional floats and a zero closing time.
func sampleBatch() *Batch {
	paris := time.FixedZone("CET", 3600)
	start := time.Date(2024, 2, 13, 9, 0, 0, 0, paris)
	return &Batch{
		Alerts: []detector.Alert{{
			AlertID: "a1b2c3", IncidentID: "inc-1", Kind: "open",
			FiredAt: start.Add(42 * time.Minute), EntityType: detector.EntityAccount,
			Entity: `partner "Cap-Emploi" 77`, Org: "Cap Emploi – Île-de-France ✓", Role: "conseiller",
			Detector: "volume_hour", Resolution: "hour",
			WindowStart: start, WindowEnd: start.Add(time.Hour),
			Observed: 12873, Expected: 41.25, Threshold: 97.5, Score: 11.123456789012345,
			Severity: detector.SeverityCritical, Explanation: "12873 records vs 41.25 expected\n(line two)",
		}},
		Incidents: []detector.Incident{{
			IncidentID: "inc-1", Version: 3, Status: "open", EntityType: detector.EntityAccount,
			Entity: `partner "Cap-Emploi" 77`, Org: "Cap Emploi – Île-de-France ✓", Detector: "volume_hour",
			OpenedAt: start.Add(42 * time.Minute), UpdatedAt: start.Add(2 * time.Hour),
			Records: 30000.5, Expected: 99.75, PeakScore: 11.5, PeakRatio: 312.0625,
			PeakWindowStart: start, Severity: detector.SeverityHigh, Alerts: 2, Explanation: "still rising",
		}},
		Windows: []detector.Window{{
			EntityType: detector.EntityOrg, Entity: "org-9", Org: "org-9", Resolution: "day",
			WindowStart: start, WindowEnd: start.Add(24 * time.Hour), Events: 1234, Observed: 5678.5,
			Expected: 100.125, Threshold: 300, Score: 0.25, Distinct: 4321, Alerted: true,
		}},
		DeadLetters: []ingest.DeadLetter{{
			ReceivedAt: start.Add(time.Second), Source: "access.log.gz", Partition: -1, Offset: 17,
			Reason: "malformed_json", Error: `unexpected "}" at byte 3`, Raw: `{"a":}` + "\t€",
		}},
	}
}

func TestJSONLinesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	j, err := NewJSONLines(JSONLinesConfig{
		Alerts: path("alerts.jsonl"), Incidents: path("incidents.jsonl"),
		Windows: path("windows.jsonl"), DeadLetters: path("dead.jsonl"),
	})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleBatch()
	if err := j.Write(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	var a detector.Alert
	readOne(t, path("alerts.jsonl"), &a)
	wantA := in.Alerts[0]
	if !a.FiredAt.Equal(wantA.FiredAt) || a.FiredAt.Location() != time.UTC {
		t.Errorf("fired_at = %v, want %v in UTC", a.FiredAt, wantA.FiredAt)
	}
	normalizeAlert(&a, &wantA)
	if !reflect.DeepEqual(a, wantA) {
		t.Errorf("alert round trip:\n got %+v\nwant %+v", a, wantA)
	}

	var inc detector.Incident
	readOne(t, path("incidents.jsonl"), &inc)
	wantI := in.Incidents[0]
	if !inc.OpenedAt.Equal(wantI.OpenedAt) || !inc.PeakWindowStart.Equal(wantI.PeakWindowStart) || !inc.ClosedAt.IsZero() {
		t.Errorf("incident times = %v %v %v", inc.OpenedAt, inc.PeakWindowStart, inc.ClosedAt)
	}
	inc.OpenedAt, inc.UpdatedAt, inc.ClosedAt, inc.PeakWindowStart = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	wantI.OpenedAt, wantI.UpdatedAt, wantI.ClosedAt, wantI.PeakWindowStart = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(inc, wantI) {
		t.Errorf("incident round trip:\n got %+v\nwant %+v", inc, wantI)
	}

	var w detector.Window
	readOne(t, path("windows.jsonl"), &w)
	wantW := in.Windows[0]
	if !w.WindowStart.Equal(wantW.WindowStart) || !w.WindowEnd.Equal(wantW.WindowEnd) {
		t.Errorf("window times = %v %v", w.WindowStart, w.WindowEnd)
	}
	w.WindowStart, w.WindowEnd, wantW.WindowStart, wantW.WindowEnd = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(w, wantW) {
		t.Errorf("window round trip:\n got %+v\nwant %+v", w, wantW)
	}

	var d ingest.DeadLetter
	readOne(t, path("dead.jsonl"), &d)
	wantD := in.DeadLetters[0]
	if !d.ReceivedAt.Equal(wantD.ReceivedAt) {
		t.Errorf("received_at = %v", d.ReceivedAt)
	}
	d.ReceivedAt, wantD.ReceivedAt = time.Time{}, time.Time{}
	if d != wantD {
		t.Errorf("dead letter round trip:\n got %+v\nwant %+v", d, wantD)
	}
}

// TestJSONLinesUTC pins the textual form: times in UTC with a Z suffix
// whatever the zone of the input, so output does not depend on the machine.
func TestJSONLinesUTC(t *testing.T) {
	line, err := nativeAlert(&sampleBatch().Alerts[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"fired_at":"2024-02-13T08:42:00Z"`, `"window_start":"2024-02-13T08:00:00Z"`} {
		if !bytes.Contains(line, []byte(want)) {
			t.Errorf("alert line %s lacks %s", line, want)
		}
	}
}

func TestJSONLinesStdoutAndSharedPath(t *testing.T) {
	var stdout bytes.Buffer
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(dir, "all.jsonl")
	// The same file spelt another way must still share the writer, or the
	// two buffers would interleave badly.
	sameFile := dir + "/sub/../all.jsonl"
	j, err := NewJSONLines(JSONLinesConfig{Alerts: "-", Incidents: shared, Windows: sameFile, DeadLetters: shared, Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	if len(j.outputs) != 2 {
		t.Fatalf("outputs = %d, want 2 (stdout and one shared file)", len(j.outputs))
	}
	b := sampleBatch()
	if err := j.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if err := j.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(stdout.String(), "\n"); got != 2 {
		t.Errorf("stdout has %d lines, want 2 alerts:\n%s", got, stdout.String())
	}
	if !strings.Contains(stdout.String(), `"alert_id":"a1b2c3"`) {
		t.Errorf("stdout lacks the alert: %s", stdout.String())
	}
	lines := fileLines(t, shared)
	// Per batch: incident, window, dead letter, in that order.
	if len(lines) != 6 {
		t.Fatalf("shared file has %d lines, want 6:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	for i, want := range []string{`"incident_id":"inc-1"`, `"events":1234`, `"reason":"malformed_json"`} {
		for _, line := range []string{lines[i], lines[i+3]} {
			if !strings.Contains(line, want) {
				t.Errorf("line %q lacks %s", line, want)
			}
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Write(context.Background(), b); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// TestJSONLinesDurable reads the file through a separate descriptor right
// after Write returns, without Close: everything must already be there.
func TestJSONLinesDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	j, err := NewJSONLines(JSONLinesConfig{Alerts: path})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	b := &Batch{}
	base := sampleBatch().Alerts[0]
	for i := range 5000 { // far more than the 64 KiB buffer
		a := base
		a.AlertID = strings.Repeat("x", 10) + string(rune('a'+i%26))
		b.Alerts = append(b.Alerts, a)
	}
	if err := j.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	lines := fileLines(t, path)
	if len(lines) != len(b.Alerts) {
		t.Fatalf("after Write the file has %d lines, want %d", len(lines), len(b.Alerts))
	}
	for i, line := range lines {
		var a detector.Alert
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
	}
}

func TestJSONLinesAppendsUnlessTruncate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	write := func(truncate bool) {
		j, err := NewJSONLines(JSONLinesConfig{Alerts: path, Truncate: truncate})
		if err != nil {
			t.Fatal(err)
		}
		if err := j.Write(context.Background(), sampleBatch()); err != nil {
			t.Fatal(err)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write(false)
	write(false)
	if n := len(fileLines(t, path)); n != 2 {
		t.Errorf("after two appending runs: %d lines, want 2", n)
	}
	write(true)
	if n := len(fileLines(t, path)); n != 1 {
		t.Errorf("after a truncating run: %d lines, want 1", n)
	}
}

// registerTestFormat keeps -count=N from registering the name twice.
var registerTestFormat sync.Once

func TestJSONLinesAlertFormat(t *testing.T) {
	registerTestFormat.Do(func() {
		RegisterAlertFormat("test-upper", func(a *detector.Alert) ([]byte, error) {
			return []byte(`{"ID":"` + strings.ToUpper(a.AlertID) + `"}`), nil
		})
	})
	var stdout bytes.Buffer
	j, err := NewJSONLines(JSONLinesConfig{Alerts: "-", AlertFormat: "test-upper", Stdout: &stdout})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Write(context.Background(), sampleBatch()); err != nil {
		t.Fatal(err)
	}
	if got, want := stdout.String(), `{"ID":"A1B2C3"}`+"\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
	if _, err := NewJSONLines(JSONLinesConfig{Alerts: "-", AlertFormat: "nope"}); err == nil ||
		!strings.Contains(err.Error(), `unknown alert format "nope"`) {
		t.Errorf("unknown format: err = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	RegisterAlertFormat("native", nativeAlert)
}

func TestJSONLinesOpenError(t *testing.T) {
	_, err := NewJSONLines(JSONLinesConfig{Alerts: filepath.Join(t.TempDir(), "missing", "dir", "a.jsonl")})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want a not-exist error", err)
	}
}

func normalizeAlert(got, want *detector.Alert) {
	for _, a := range []*detector.Alert{got, want} {
		a.FiredAt, a.WindowStart, a.WindowEnd = a.FiredAt.UTC(), a.WindowStart.UTC(), a.WindowEnd.UTC()
	}
}

func readOne(t testing.TB, path string, v any) {
	t.Helper()
	lines := fileLines(t, path)
	if len(lines) != 1 {
		t.Fatalf("%s has %d lines, want 1", path, len(lines))
	}
	if err := json.Unmarshal([]byte(lines[0]), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func fileLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// A device is a valid output (--alerts /dev/null to measure a replay);
// fsync fails on it, so only regular files are synced.
func TestJSONLinesDevice(t *testing.T) {
	j, err := NewJSONLines(JSONLinesConfig{Alerts: os.DevNull, Windows: os.DevNull, Truncate: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Write(context.Background(), sampleBatch()); err != nil {
		t.Fatalf("Write to %s: %v", os.DevNull, err)
	}
	if err := j.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
