package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
)

// monthFiles generates the default scenario (vigie gen with no flags) into
// dir as plain and gzip JSON lines.
func monthFiles(b *testing.B, dir string) (jsonl, gz string, events, size int64) {
	jsonl, gz = filepath.Join(dir, "month.jsonl"), filepath.Join(dir, "month.jsonl.gz")
	for _, p := range []string{jsonl, gz} {
		w, closeOut, err := genCreate(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		labels, err := synth.Generate(synth.DefaultConfig(), w)
		if cerr := closeOut(); err == nil {
			err = cerr
		}
		if err != nil {
			b.Fatal(err)
		}
		events = labels.Events
	}
	st, err := os.Stat(jsonl)
	if err != nil {
		b.Fatal(err)
	}
	return jsonl, gz, events, st.Size()
}

// BenchmarkReplayMonth replays the default generated month (about 1.3M
// events, 370 MB of JSON lines) end to end, alerts to a file, sequentially
// (decoders=1) and with one decoder goroutine per CPU (decoders=0).
// Bytes are the uncompressed JSON.
func BenchmarkReplayMonth(b *testing.B) {
	jsonl, gz, events, size := monthFiles(b, b.TempDir())
	for _, in := range []string{jsonl, gz} {
		for _, decoders := range []int{1, 0} {
			b.Run(fmt.Sprintf("%s/decoders=%d", filepath.Base(in), decoders), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				for b.Loop() {
					f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig(), decoders: decoders}
					f.out.jsonl.Alerts = filepath.Join(b.TempDir(), "alerts.jsonl")
					f.out.jsonl.AlertFormat, f.out.jsonl.Truncate = "native", true
					f.logs.level = "error"
					if err := runReplay(context.Background(), f, []string{in}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}
