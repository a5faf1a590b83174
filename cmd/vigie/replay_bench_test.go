package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

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
// Bytes are the uncompressed JSON; cpu-s/op is the CPU time of the whole
// process per replay.
func BenchmarkReplayMonth(b *testing.B) {
	jsonl, gz, events, size := monthFiles(b, b.TempDir())
	// runReplay prints its summary on stderr, which would cut the lines
	// of the benchmark results that benchstat reads.
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	stderr := os.Stderr
	os.Stderr = devNull
	defer func() { os.Stderr = stderr }()
	for _, in := range []string{jsonl, gz} {
		for _, decoders := range []int{1, 0} {
			b.Run(fmt.Sprintf("%s/decoders=%d", filepath.Base(in), decoders), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				cpu0 := processCPU(b)
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
				b.ReportMetric((processCPU(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			})
		}
	}
}

// processCPU returns the CPU time used by the process so far (user and
// system, every thread). On a machine shared with other work, wall time
// includes waiting for a core; CPU time shows the work itself.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
