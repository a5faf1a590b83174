package ingest

import (
	"bytes"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest/synth"
)

// benchLine is a typical line of a partner's access log.
const benchLine = `{"ts":"2024-02-12T09:14:03.123+01:00","account":"adv-00123","org":"capemploi-075","role":"advisor","action":"search","resource":"/api/v2/jobseekers","src_ip":"10.1.2.3","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)","session":"s-8f2a","records":25}`

// benchLines returns n realistic JSON lines: 500 accounts in 40 orgs, a few
// roles, actions, resources and user agents, and a fresh session and
// address per line, so interning is exercised as in production (hits on
// low-cardinality fields, misses on the others).
func benchLines(n int) [][]byte {
	actions := []string{"search", "view", "export", "update"}
	resources := []string{"/api/v2/jobseekers", "/api/v2/jobseekers/{id}", "/api/v2/offers", "/api/v2/exports"}
	agents := []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "python-requests/2.31.0", "Mozilla/5.0 (X11; Linux x86_64)"}
	lines := make([][]byte, n)
	for i := range lines {
		acc := i * 7919 % 500
		lines[i] = fmt.Appendf(nil,
			`{"ts":"2024-02-12T09:%02d:%02d.%03d+01:00","account":"adv-%05d","org":"capemploi-%03d","role":"%s","action":"%s","resource":"%s","src_ip":"10.%d.%d.%d","user_agent":"%s","session":"s-%x","records":%d}`,
			i/60%60, i%60, i%1000, acc, acc%40, []string{"advisor", "manager"}[acc%2],
			actions[i%4], resources[i%4*acc%4], acc%250, i%250, i%200, agents[acc%3], i*2654435761%(1<<24), i%100+1)
	}
	return lines
}

func BenchmarkDecodeJSON(b *testing.B) {
	lines := benchLines(4096)
	d := NewJSONDecoder(DefaultFieldMap())
	var ev Event
	for _, l := range lines { // Warm the intern tables.
		if err := d.Decode(l, &ev); err != nil {
			b.Fatalf("%s: %v", l, err)
		}
	}
	total := 0
	for _, l := range lines {
		total += len(l)
	}
	b.SetBytes(int64(total / len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := d.Decode(lines[i%len(lines)], &ev); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeCSV(b *testing.B) {
	const header = "ts,account,org,role,action,resource,src_ip,user_agent,session,records"
	lines := make([][]byte, 4096)
	for i := range lines {
		acc := i * 7919 % 500
		lines[i] = fmt.Appendf(nil, `2024-02-12T09:%02d:%02d.%03d+01:00,adv-%05d,capemploi-%03d,advisor,search,/api/v2/jobseekers,10.%d.%d.%d,"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",s-%x,%d`,
			i/60%60, i%60, i%1000, acc, acc%40, acc%250, i%250, i%200, i*2654435761%(1<<24), i%100+1)
	}
	d := NewCSVDecoder(DefaultFieldMap())
	var ev Event
	if err := d.Decode([]byte(header), &ev); err != ErrHeader {
		b.Fatal(err)
	}
	total := 0
	for _, l := range lines {
		if err := d.Decode(l, &ev); err != nil {
			b.Fatalf("%s: %v", l, err)
		}
		total += len(l)
	}
	b.SetBytes(int64(total / len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := d.Decode(lines[i%len(lines)], &ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFileReader measures reading and decoding a JSON lines file end
// to end, plain and compressed; bytes are the uncompressed line bytes.
func BenchmarkFileReader(b *testing.B) {
	lines := benchLines(20000)
	var content []byte
	for _, l := range lines {
		content = append(content, l...)
		content = append(content, '\n')
	}
	dir := b.TempDir()
	for _, name := range []string{"events.jsonl", "events.jsonl.gz", "events.jsonl.zst"} {
		path := writeFile(b, dir, name, string(content))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(content)))
			b.ReportAllocs()
			var ev Event
			for b.Loop() {
				r, err := NewFileReader([]string{path}, DefaultFieldMap(), DefaultFileConfig())
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					raw, dec, err := r.Next()
					if err != nil {
						break
					}
					if err := dec.Decode(raw.Data, &ev); err != nil {
						b.Fatal(err)
					}
					n++
				}
				r.Close()
				if n != len(lines) {
					b.Fatalf("read %d lines, want %d", n, len(lines))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/event")
		})
	}
}

// synthLines returns 100,000 consecutive lines from the middle of a
// generated fortnight (vigie gen's default population: 1,600 accounts in 80
// orgs), as JSON lines and as the equivalent CSV with its header first.
func synthLines(b *testing.B) (jsonLines, csvLines [][]byte) {
	b.Helper()
	cfg := synth.DefaultConfig()
	cfg.Days = 14
	var buf bytes.Buffer
	if _, err := synth.Generate(cfg, &buf); err != nil {
		b.Fatal(err)
	}
	all := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	mid := len(all) / 2
	jsonLines = all[mid : mid+100_000]
	csvLines = [][]byte{[]byte("ts,account,org,role,action,resource,src_ip,user_agent,session,subject,records")}
	d := NewJSONDecoder(DefaultFieldMap())
	var ev Event
	for _, l := range jsonLines {
		if err := d.Decode(l, &ev); err != nil {
			b.Fatalf("%s: %v", l, err)
		}
		ts := time.UnixMilli(ev.TS).UTC().Format(time.RFC3339Nano)
		csvLines = append(csvLines, fmt.Appendf(nil, "%s,%s,%s,%s,%s,%s,%s,%q,%s,%s,%d", ts, ev.Account, ev.Org, ev.Role,
			ev.Action, ev.Resource, ev.SrcIP, ev.UserAgent, ev.Session, ev.Subject, ev.Records))
	}
	return jsonLines, csvLines
}

// BenchmarkDecodeSynth decodes generated lines (see synthLines) with one
// decoder, as one decoding goroutine of vigie replay does: events/s and MB/s
// per core.
func BenchmarkDecodeSynth(b *testing.B) {
	jsonLines, csvLines := synthLines(b)
	for _, tc := range []struct {
		name  string
		lines [][]byte
	}{{"json", jsonLines}, {"csv", csvLines}} {
		b.Run(tc.name, func(b *testing.B) {
			var ev Event
			var dec Decoder = NewJSONDecoder(DefaultFieldMap())
			lines := tc.lines
			if tc.name == "csv" {
				dec = NewCSVDecoder(DefaultFieldMap())
				if err := dec.Decode(lines[0], &ev); err != ErrHeader {
					b.Fatal(err)
				}
				lines = lines[1:]
			}
			total := 0
			for _, l := range lines { // Warm the intern tables.
				if err := dec.Decode(l, &ev); err != nil {
					b.Fatalf("%s: %v", l, err)
				}
				total += len(l)
			}
			b.SetBytes(int64(total / len(lines)))
			b.ReportAllocs()
			cpu := startThreadCPU(b)
			for i := 0; b.Loop(); i++ {
				if err := dec.Decode(lines[i%len(lines)], &ev); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// threadCPU measures the CPU time of the benchmark's OS thread: on a
// machine shared with other work, wall time per operation includes the
// time spent waiting for a core, CPU time does not.
type threadCPU struct{ start time.Duration }

// startThreadCPU locks the benchmark goroutine to its thread (until the
// benchmark ends) and starts counting.
func startThreadCPU(b *testing.B) threadCPU {
	runtime.LockOSThread()
	b.Cleanup(runtime.UnlockOSThread)
	return threadCPU{start: threadCPUTime(b)}
}

// report adds the cpu-ns/op metric.
func (c threadCPU) report(b *testing.B) {
	b.ReportMetric(float64(threadCPUTime(b)-c.start)/float64(b.N), "cpu-ns/op")
}

func threadCPUTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is RUSAGE_THREAD (Linux).
const rusageThread = 1
