package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// writeFile writes content to dir/name, compressed as the name says, and
// returns its path.
func writeFile(tb testing.TB, dir, name, content string) string {
	tb.Helper()
	var buf bytes.Buffer
	switch lower := strings.ToLower(name); {
	case strings.HasSuffix(lower, ".gz"):
		w := gzip.NewWriter(&buf)
		io.WriteString(w, content)
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	case strings.HasSuffix(lower, ".zst"):
		w, err := zstd.NewWriter(&buf)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(w, content)
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	default:
		buf.WriteString(content)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// readAll decodes every line of r and describes each as
// "source:line account" or "source:line reason".
func readAll(tb testing.TB, r *FileReader) []string {
	tb.Helper()
	var out []string
	var ev Event
	for {
		raw, dec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatalf("Next: %v", err)
		}
		if raw.Partition != -1 {
			tb.Fatalf("partition %d, want -1 for files", raw.Partition)
		}
		desc := fmt.Sprintf("%s:%d ", filepath.Base(raw.Source), raw.Offset)
		var de *DecodeError
		switch err := dec.Decode(raw.Data, &ev); {
		case err == nil:
			desc += ev.Account
		case errors.As(err, &de):
			desc += de.Reason
		default:
			tb.Fatalf("Decode: %v is not a *DecodeError", err)
		}
		out = append(out, desc)
	}
}

func jsonLine(account string) string {
	return `{"ts":1707725643123,"account":"` + account + `"}`
}

func TestFileReader(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeFile(t, dir, "a.jsonl", jsonLine("a1")+"\n"+jsonLine("a2")+"\n"),
		writeFile(t, dir, "b.jsonl.gz", jsonLine("b1")+"\n{broken\n\n"+jsonLine("b4")),
		writeFile(t, dir, "c.jsonl.zst", "\uFEFF"+jsonLine("c1")+"\r\n"+`{"ts":"soon","account":"x"}`+"\r\n"+jsonLine("c3")+"\r\n"),
		writeFile(t, dir, "d.csv", "ts,account\n1707725643123,d2\n,d3\n"),
		writeFile(t, dir, "e.CSV.GZ", "account,ts\r\ne2,1707725643123\r\n"),
		writeFile(t, dir, "empty.jsonl", ""),
		writeFile(t, dir, "f.csv.zst", "\uFEFFts,account\n1707725643123,f2\n"),
	}
	r, err := NewFileReader(paths, DefaultFieldMap(), DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	want := []string{
		"a.jsonl:1 a1", "a.jsonl:2 a2",
		"b.jsonl.gz:1 b1", "b.jsonl.gz:2 malformed_json", "b.jsonl.gz:4 b4",
		"c.jsonl.zst:1 c1", "c.jsonl.zst:2 bad_timestamp", "c.jsonl.zst:3 c3",
		"d.csv:2 d2", "d.csv:3 missing_ts",
		"e.CSV.GZ:2 e2",
		"f.csv.zst:2 f2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	var total int64
	for _, p := range paths {
		st, _ := os.Stat(p)
		total += st.Size()
	}
	if r.TotalBytes() != total || r.BytesRead() != total {
		t.Fatalf("progress: read %d of %d bytes, want %d of %d", r.BytesRead(), r.TotalBytes(), total, total)
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("Next after the end: %v, want io.EOF", err)
	}
}

// Files concatenated (cat day1.tsv day2.tsv > all.tsv) repeat their
// header: a repeat, with or without a byte-order mark, is skipped as the
// first was, not a dead letter (an independent generator's gateway log
// repeats it twice a seed: bad_timestamp before). Another file's header
// is that file's own.
func TestFileReaderRepeatedHeader(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeFile(t, dir, "a.tsv", "ts\taccount\n1707725643123\ta1\nts\taccount\n1707725643124\ta2\n\uFEFFts\taccount\n1707725643125\ta3\n"),
		writeFile(t, dir, "b.csv", "account,ts\nb1,1707725643126\nts,account\n"),
	}
	r, err := NewFileReader(paths, DefaultFieldMap(), DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	want := []string{"a.tsv:2 a1", "a.tsv:4 a2", "a.tsv:6 a3", "b.csv:2 b1", "b.csv:3 bad_timestamp"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestFileReaderLongLines(t *testing.T) {
	dir := t.TempDir()
	long := `{"ts":1707725643123,"account":"x","pad":"` + strings.Repeat("p", 300) + `"}`
	huge := `{"ts":1707725643123,"account":"x","pad":"` + strings.Repeat("h", 200000) + `"}`
	path := writeFile(t, dir, "long.jsonl.gz", jsonLine("l1")+"\n"+long+"\n"+jsonLine("l3")+"\n"+huge+"\n"+jsonLine("l5")+"\n"+huge)
	cfg := DefaultFileConfig()
	cfg.MaxLineBytes = 200 // The reader's buffer is 64 KiB: huge overflows it.
	r, err := NewFileReader([]string{path}, DefaultFieldMap(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var truncated []int
	var ev Event
	var got []string
	for {
		raw, dec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := dec.Decode(raw.Data, &ev); err != nil {
			got = append(got, fmt.Sprintf("%d %v", raw.Offset, err))
			truncated = append(truncated, len(raw.Data))
			if !bytes.HasPrefix([]byte(long+huge), raw.Data[:40]) {
				t.Fatalf("line %d: raw copy %q is not the start of the line", raw.Offset, raw.Data[:40])
			}
		} else {
			got = append(got, fmt.Sprintf("%d %s", raw.Offset, ev.Account))
		}
	}
	want := []string{
		"1 l1",
		fmt.Sprintf("2 line_too_long: %d bytes, limit 200; kept the first %d", len(long), len(long)),
		"3 l3",
		fmt.Sprintf("4 line_too_long: %d bytes, limit 200; kept the first %d", len(huge), TruncatedLineBytes),
		"5 l5",
		fmt.Sprintf("6 line_too_long: %d bytes, limit 200; kept the first %d", len(huge), TruncatedLineBytes),
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(truncated, []int{len(long), TruncatedLineBytes, TruncatedLineBytes}) {
		t.Fatalf("raw copies of %v bytes", truncated)
	}
}

func TestFileReaderStdin(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"stdin.jsonl", "stdin.jsonl.gz", "stdin.jsonl.zst"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(writeFile(t, dir, name, jsonLine("s1")+"\n"+jsonLine("s2")+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			saved := os.Stdin
			os.Stdin = f
			defer func() { os.Stdin = saved }()
			r, err := NewFileReader([]string{"-"}, DefaultFieldMap(), DefaultFileConfig())
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, r)
			if want := []string{"-:1 s1", "-:2 s2"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
			if r.TotalBytes() != -1 {
				t.Fatalf("TotalBytes of stdin = %d, want -1 (unknown)", r.TotalBytes())
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				t.Fatalf("stdin was closed by the reader: %v", err)
			}
		})
	}
}

func TestFileReaderFormatFlag(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "export.txt", "ts,account\n1707725643123,x\n")
	cfg := DefaultFileConfig()
	cfg.Format = FormatCSV
	r, err := NewFileReader([]string{path}, DefaultFieldMap(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := readAll(t, r), []string{"export.txt:2 x"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestFileReaderErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.jsonl", jsonLine("a")+"\n")
	f := func(paths []string, cfg FileConfig, wantErr string) {
		t.Helper()
		r, err := NewFileReader(paths, DefaultFieldMap(), cfg)
		if err == nil {
			defer r.Close()
			for err == nil {
				_, _, err = r.Next()
			}
		}
		if err == nil || err == io.EOF || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("%v: got %v, want an error containing %q", paths, err, wantErr)
		}
	}
	def := DefaultFileConfig()
	f(nil, def, "no input files")
	f([]string{good, filepath.Join(dir, "missing.jsonl")}, def, "missing.jsonl: no such file")
	f([]string{dir}, def, "is a directory")
	for _, name := range []string{"fake.jsonl.gz", "fake.jsonl.zst"} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(jsonLine("a")+"\n"), 0o644)
		f([]string{path}, def, name+": named "+filepath.Ext(name)+" but not")
	}
	gz := writeFile(t, dir, "cut.jsonl.gz", strings.Repeat(jsonLine("a")+"\n", 1000))
	data, _ := os.ReadFile(gz)
	os.WriteFile(gz, data[:len(data)/2], 0o644)
	f([]string{gz}, def, "reading "+gz)
	f([]string{writeFile(t, dir, "nots.csv", "account,org\na,b\n")}, def, `nots.csv line 1: malformed_csv: CSV header: no column "ts" (set --field-ts)`)
	bad := def
	bad.Format = "xml"
	f([]string{good}, bad, `--input-format "xml"`)
	bad = def
	bad.MaxLineBytes = 0
	f([]string{good}, bad, "--max-line-bytes 0")
}

func TestOpenFileMagic(t *testing.T) {
	dir := t.TempDir()
	// Compressed data is recognised whatever the file name.
	for _, name := range []string{"x.gz", "x.zst"} {
		src := writeFile(t, dir, name, "hello\n")
		renamed := filepath.Join(dir, "renamed-"+strings.TrimPrefix(filepath.Ext(name), ".")+".log")
		if err := os.Rename(src, renamed); err != nil {
			t.Fatal(err)
		}
		rc, err := OpenFile(renamed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		if err != nil || string(got) != "hello\n" {
			t.Fatalf("%s: got %q, %v", renamed, got, err)
		}
		if err := rc.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// bzip2 (compress/bzip2 only reads it: bzip2 -9 of one event).
	const bz2 = "\x42\x5a\x68\x39\x31\x41\x59\x26\x53\x59\x34\x66\x2a\x64\x00\x00\x11\x59\x80\x00\x10\x10\x04\x7f\x90\x28\x01\x8e\x1a\x20\x00\x31\x46\x8c\x81\xa3\x4c\x8d\x0a\x68\xc8\x00\xd3\x47\xa8\x19\x90\x6e\xb7\xd8\x81\x99\xe7\x4b\x05\x44\x55\x7f\x18\x17\x3c\x80\x81\x7c\x5d\xc9\x14\xe1\x42\x40\xd1\x98\xa9\x90"
	r, err := NewFileReader([]string{writeFile(t, dir, "rotated.jsonl.bz2", bz2)}, DefaultFieldMap(), DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, r); len(got) != 1 || got[0] != "rotated.jsonl.bz2:1 z1" {
		t.Fatalf("bzip2: got %q", got)
	}
	r.Close()
	if _, err := OpenFile(writeFile(t, dir, "fake.bz2", "not bzip2")); err == nil {
		t.Error("a .bz2 that is not bzip2 data opened")
	}
	// A short plain file is read as is.
	rc, err := OpenFile(writeFile(t, dir, "one.txt", "x"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(rc); string(got) != "x" {
		t.Fatalf("got %q", got)
	}
	rc.Close()
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]Format{
		"a.csv": FormatCSV, "a.CSV": FormatCSV, "a.csv.gz": FormatCSV, "dir.csv/a.csv.zst": FormatCSV, "a.tsv.gz": FormatCSV,
		"a.csv.bz2": FormatCSV, "a.jsonl": FormatJSON, "a.json.gz": FormatJSON, "-": FormatJSON, "a.csv.bak": FormatJSON, "csv": FormatJSON,
	} {
		if got := FormatOf(path); got != want {
			t.Errorf("FormatOf(%q) = %s, want %s", path, got, want)
		}
	}
}

func TestFieldMapValidate(t *testing.T) {
	f := func(edit func(*FieldMap), wantErr string) {
		t.Helper()
		m := DefaultFieldMap()
		edit(&m)
		err := m.Validate()
		if wantErr == "" {
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("got %v, want an error containing %q", err, wantErr)
		}
	}
	f(func(m *FieldMap) {}, "")
	f(func(m *FieldMap) { m.Subject, m.Session = "", "" }, "")
	f(func(m *FieldMap) { m.TS, m.Account = "event.created", "user.name" }, "")
	f(func(m *FieldMap) { m.TS = "" }, "--field-ts: required")
	f(func(m *FieldMap) { m.Account = "" }, "--field-account: required")
	f(func(m *FieldMap) { m.Org = "account" }, `--field-org "account": already used by --field-account`)
	f(func(m *FieldMap) { m.Account, m.Org = "user", "user.org" }, `--field-org "user.org": overlaps the path "user" of --field-account`)
	f(func(m *FieldMap) { m.Role = "user..role" }, `--field-role "user..role": empty path segment`)
	f(func(m *FieldMap) { m.Role = ".role" }, "empty path segment")
}

// A JSON file holding an array of events (indented, as json.dump writes
// it), or one array a line (batches), is read element by element: an
// element is a line, numbered by its rank, and one that is not an event
// is a dead letter like a line. Read line by line, every line of it was
// malformed_json.
func TestFileReaderJSONArrays(t *testing.T) {
	dir := t.TempDir()
	paths := []string{
		writeFile(t, dir, "a.json", "\uFEFF[\n  "+jsonLine("a1")+",\n  42,\n  "+jsonLine("a3")+"\n]\n"),
		writeFile(t, dir, "b.jsonl.gz", "["+jsonLine("b1")+","+jsonLine("b2")+"]\n["+jsonLine("b3")+"]\n"),
		writeFile(t, dir, "c.jsonl", jsonLine("c1")+"\n"),
	}
	r, err := NewFileReader(paths, DefaultFieldMap(), DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	want := []string{"a.json:1 a1", "a.json:2 malformed_json", "a.json:3 a3", "b.jsonl.gz:1 b1", "b.jsonl.gz:2 b2", "b.jsonl.gz:3 b3", "c.jsonl:1 c1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	keys, err := SampleFiles(paths[:1], FormatAuto, 10)
	if err != nil || len(keys) != 2 || keys[0].Name != "account" {
		t.Errorf("keys of the array %v, %v; want account and ts", keys, err)
	}

	// A text log whose lines begin with a bracket is lines, not an
	// array: each line a dead letter of its own (before, the first
	// stopped the file as a broken array).
	mono := writeFile(t, dir, "app.log", "[2025-11-13T07:03:43+01:00] app.INFO: access {\"user\":\"a\"}\n"+jsonLine("m2")+"\n")
	r, err = NewFileReader([]string{mono}, DefaultFieldMap(), DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := readAll(t, r), []string{"app.log:1 missing_ts", "app.log:2 m2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("bracketed text lines: got %q, want %q", got, want)
	}
	r.Close()

	// A broken element ends the file with its rank: there is no next
	// line to resume at.
	bad := writeFile(t, dir, "bad.json", "["+jsonLine("x1")+", {\"ts\": oops}]")
	r, err = NewFileReader([]string{bad}, DefaultFieldMap(), DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, _, err := r.Next(); err != nil {
		t.Fatalf("first element: %v", err)
	}
	if _, _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "element 2") {
		t.Errorf("broken element: %v, want an error naming the file and element 2", err)
	}
}
