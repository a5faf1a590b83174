package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink"
)

// TestReplayParallelSameOutput replays a generated scenario, spread over
// plain, gzip and CSV files with broken and over-long lines, once decoding
// on the detector's goroutine and then with several decoder goroutines: every
// output file must be the same, byte for byte (dead letters apart from their
// wall-clock received_at).
func TestReplayParallelSameOutput(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Accounts, cfg.Orgs, cfg.Days = 100, 10, 14
	var buf bytes.Buffer
	if _, err := synth.Generate(cfg, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	if len(lines) < 5*chunkLines {
		t.Fatalf("only %d lines: the test needs many chunks", len(lines))
	}
	dir := t.TempDir()
	write := func(name string, parts ...string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		w, closeOut, err := genCreate(path, nil)
		if err == nil {
			_, err = w.Write([]byte(strings.Join(parts, "")))
		}
		if cerr := closeOut(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	third := len(lines) / 3
	long := `{"ts":"2024-04-25T10:00:00Z","account":"x","pad":"` + strings.Repeat("a", 5000) + "\"}\n"
	first := write("a.jsonl",
		long, // An over-long first line: the file's decoder is forked after it.
		strings.Join(lines[:third/2], ""),
		"{not json\n", "\n", `{"ts":"2024-04-25T10:00:00Z"}`+"\n", long,
		strings.Join(lines[third/2:third], ""))
	csv := write("b.csv",
		"ts,account,org,role,records\n",
		"2024-04-25T10:00:00Z,adv-x,org-x,advisor,3\n",
		"2024-04-25T10:00:01Z,adv-x,org-x\n", // Wrong column count.
		"2024-04-25T10:00:02Z,adv-y,org-x,advisor,7\n")
	gz := write("c.jsonl.gz", strings.Join(lines[third:2*third], ""), "[]\n")
	// The same file twice: line numbers restart at 1 with the same name.
	rest := write("d.jsonl", strings.Join(lines[2*third:], ""), "\"ts\"\n")
	inputs := []string{first, csv, gz, rest, csv}

	receivedAt := regexp.MustCompile(`"received_at":"[^"]*"`)
	run := func(decoders int) map[string][]byte {
		t.Helper()
		out := t.TempDir()
		f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig(), decoders: decoders}
		f.files.MaxLineBytes = 4096
		f.out.jsonl = sinkPaths(out)
		f.out.jsonl.AlertFormat, f.out.jsonl.Truncate = "native", true
		f.logs.level = "error"
		if err := runReplay(context.Background(), f, inputs); err != nil {
			t.Fatalf("decoders=%d: %v", decoders, err)
		}
		files := map[string][]byte{}
		for _, name := range []string{"alerts", "incidents", "windows", "dead"} {
			b, err := os.ReadFile(filepath.Join(out, name+".jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = receivedAt.ReplaceAll(b, nil)
		}
		return files
	}
	want := run(1)
	if n := bytes.Count(want["dead"], []byte("\n")); n != 8 {
		t.Errorf("sequential run: %d dead letters, want 8:\n%s", n, want["dead"])
	}
	if len(want["alerts"]) == 0 || len(want["windows"]) == 0 {
		t.Fatal("sequential run: no alerts or no windows")
	}
	for _, decoders := range []int{2, 3} {
		got := run(decoders)
		for name, w := range want {
			if !bytes.Equal(got[name], w) {
				t.Errorf("decoders=%d: %s differ from the sequential run (%d bytes, want %d)", decoders, name, len(got[name]), len(w))
			}
		}
	}
}

// A W3C log whose server restarts and logs its fields in another order:
// the decoder goroutines decode the lines after the new #Fields directive
// with it, as the sequential replay does (before, with the header forked
// at the file's start, the line after the restart was a dead letter).
func TestReplayParallelW3CRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u_ex240425.log")
	log := "#Version: 1.0\n#Fields: ts cs-method account org role records\n" +
		"2024-04-25T10:00:03Z GET adv-w org-w advisor 5\n" +
		"#Version: 1.0\n#Fields: records account ts org role\n" +
		"6 adv-w 2024-04-25T10:00:04Z org-w advisor\n" +
		"2024-04-25T10:00:05Z adv-w\n" // Wrong column count.
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, decoders := range []int{1, 2} {
		out := t.TempDir()
		f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig(), decoders: decoders}
		f.out.jsonl = sinkPaths(out)
		f.out.jsonl.Truncate = true
		f.logs.level = "error"
		if err := runReplay(context.Background(), f, []string{path}); err != nil {
			t.Fatal(err)
		}
		dead, err := os.ReadFile(filepath.Join(out, "dead.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(dead, []byte("\n")); n != 1 || !bytes.Contains(dead, []byte(`"offset":7`)) {
			t.Errorf("decoders=%d: %d dead letters, want line 7's only:\n%s", decoders, n, dead)
		}
	}
}

// sinkPaths names the JSON lines outputs in dir.
func sinkPaths(dir string) (c sink.JSONLinesConfig) {
	c.Alerts = filepath.Join(dir, "alerts.jsonl")
	c.Incidents = filepath.Join(dir, "incidents.jsonl")
	c.Windows = filepath.Join(dir, "windows.jsonl")
	c.DeadLetters = filepath.Join(dir, "dead.jsonl")
	return c
}

// Logs whose times carry no offset ("2024-05-02 09:14:03") are read in
// --input-time-zone, by default --time-zone: a generated fortnight written
// that way, in Paris or in UTC time, replays to the same alerts and
// windows as with offsets, with no dead letter (before, every line was a
// bad_timestamp dead letter).
func TestReplayNaiveTimestamps(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Accounts, cfg.Orgs, cfg.Days = 100, 10, 14
	var buf bytes.Buffer
	if _, err := synth.Generate(cfg, &buf); err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tsField := regexp.MustCompile(`"ts":"([^"]*)"`)
	naiveIn := func(loc *time.Location) []byte {
		return tsField.ReplaceAllFunc(buf.Bytes(), func(m []byte) []byte {
			ts, err := time.Parse(time.RFC3339Nano, string(tsField.FindSubmatch(m)[1]))
			if err != nil {
				t.Fatal(err)
			}
			return []byte(`"ts":"` + ts.In(loc).Format("2006-01-02 15:04:05.000") + `"`)
		})
	}
	run := func(data []byte, zone string) map[string][]byte {
		return replayOne(t, data, func(f *replayFlags) { f.fields.InputTimeZone = zone })
	}
	want := run(buf.Bytes(), "")
	if len(want["windows"]) == 0 {
		t.Fatal("no windows")
	}
	for _, c := range []struct {
		name string
		loc  *time.Location
		zone string
	}{{"paris", paris, ""}, {"utc", time.UTC, "UTC"}} {
		got := run(naiveIn(c.loc), c.zone)
		if len(got["dead"]) != 0 {
			t.Errorf("%s: dead letters from times without offset:\n%.300s", c.name, got["dead"])
		}
		for _, n := range []string{"alerts", "windows"} {
			if !bytes.Equal(got[n], want[n]) {
				t.Errorf("%s: %s differ between times with and without offset (%d bytes, want %d)", c.name, n, len(got[n]), len(want[n]))
			}
		}
	}
}

// foreignNames renames Vigie's fields in JSON lines as another system
// would name them (a French ECS-like schema) for the inference tests.
var foreignNames = strings.NewReplacer(`"ts":`, `"@timestamp":`, `"account":`, `"utilisateur":`, `"org":`, `"structure":`,
	`"records":`, `"nb_resultats":`, `"src_ip":`, `"adresse_ip":`)

// A log whose fields have other names (a French ECS-like schema) gives
// the same windows and alerts as Vigie's own names, and says what it read
// them from; without inference every line is a dead letter.
func TestReplayInfersFieldNames(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Accounts, cfg.Orgs, cfg.Days = 100, 10, 14
	var buf bytes.Buffer
	if _, err := synth.Generate(cfg, &buf); err != nil {
		t.Fatal(err)
	}
	renamed := foreignNames.Replace(buf.String())
	want := replayOne(t, buf.Bytes(), func(f *replayFlags) { f.infer = true })
	got := replayOne(t, []byte(renamed), func(f *replayFlags) { f.infer = true })
	if len(want["windows"]) == 0 || len(got["dead"]) != 0 {
		t.Fatalf("%d bytes of windows; dead letters with inference:\n%.300s", len(want["windows"]), got["dead"])
	}
	for _, n := range []string{"alerts", "windows"} {
		if !bytes.Equal(got[n], want[n]) {
			t.Errorf("%s differ between the two schemas (%d bytes, want %d)", n, len(got[n]), len(want[n]))
		}
	}
	off := replayOne(t, []byte(renamed), func(f *replayFlags) { f.infer = false })
	if lines := bytes.Count(off["dead"], []byte("\n")); lines != bytes.Count([]byte(renamed), []byte("\n")) {
		t.Errorf("without inference %d dead letters, want every line", lines)
	}
}

// An input not in time order (here the lines of each organisation after
// the other's, as a per-partner export would come) is replayed again
// sorted: it raises the sorted input's alerts (the same ids) and as many
// windows. Events of the same millisecond from different organisations
// come in another order, so group sums may differ in their last digits.
// As read (--sort never), almost every event is late and the pulls go
// unseen.
func TestReplaySortsAnUnorderedInput(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Accounts, cfg.Orgs, cfg.Days = 100, 10, 14
	var buf bytes.Buffer
	if _, err := synth.Generate(cfg, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")
	orgOf := regexp.MustCompile(`"org":"([^"]*)"`)
	byOrg := slices.Clone(lines)
	slices.SortStableFunc(byOrg, func(a, b string) int {
		return strings.Compare(orgOf.FindString(a), orgOf.FindString(b))
	})
	run := func(data []string, order string) map[string][]byte {
		return replayOne(t, []byte(strings.Join(data, "")), func(f *replayFlags) { f.sort = order })
	}
	want := run(lines, "never")
	if len(want["alerts"]) == 0 {
		t.Fatal("the sorted input raised no alert")
	}
	ids := func(alerts []byte) []string {
		return regexp.MustCompile(`"alert_id":"[^"]*"`).FindAllString(string(alerts), -1)
	}
	got := run(byOrg, "auto")
	if g, w := ids(got["alerts"]), ids(want["alerts"]); !slices.Equal(g, w) {
		t.Errorf("the input by organisation raised alerts %v, the sorted input %v", g, w)
	}
	if g, w := bytes.Count(got["windows"], []byte("\n")), bytes.Count(want["windows"], []byte("\n")); g != w {
		t.Errorf("the input by organisation gave %d windows, the sorted input %d", g, w)
	}
	if asRead := run(byOrg, "never"); slices.Equal(ids(asRead["alerts"]), ids(want["alerts"])) {
		t.Error("read as it comes, the input by organisation raised the sorted input's alerts: the test shows nothing")
	}
}

// replayOne replays data as one JSON lines file with two decoders and
// the flags set, and returns its alerts, windows and dead letters.
func replayOne(t *testing.T, data []byte, set func(*replayFlags)) map[string][]byte {
	t.Helper()
	in := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig(), decoders: 2}
	f.out.jsonl = sinkPaths(out)
	f.out.jsonl.AlertFormat, f.out.jsonl.Truncate = "native", true
	f.logs.level = "error"
	set(f)
	if err := runReplay(context.Background(), f, []string{in}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, n := range []string{"alerts", "windows", "dead"} {
		b, err := os.ReadFile(filepath.Join(out, n+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		files[n] = b
	}
	return files
}
