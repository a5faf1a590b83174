package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/sink"
)

// recordingWriter is a sink that fails its first fails writes and keeps
// everything it accepted, in order.
type recordingWriter struct {
	fails, calls int
	got          sink.Batch
}

func (w *recordingWriter) Write(_ context.Context, b *sink.Batch) error {
	w.calls++
	if w.fails > 0 {
		w.fails--
		return errors.New("sink down")
	}
	w.got.Alerts = append(w.got.Alerts, b.Alerts...)
	w.got.Incidents = append(w.got.Incidents, b.Incidents...)
	w.got.Windows = append(w.got.Windows, b.Windows...)
	w.got.DeadLetters = append(w.got.DeadLetters, b.DeadLetters...)
	return nil
}

func (w *recordingWriter) Close() error { return nil }

// TestFlushRetrySendsEachSinkItsOutputsOnce: a sink fails twice, in the
// middle of the list, while the batch grows between the attempts (as when
// vigie run stops during a sink outage and observes the records fetched
// ahead). The sinks before it, a JSON lines file among them, must receive
// every output exactly once, as the failing sink does once it recovers.
func TestFlushRetrySendsEachSinkItsOutputsOnce(t *testing.T) {
	lines := smallScenario(t).lines
	det, err := detector.New(detector.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	jcfg := sinkPaths(dir)
	jsonl, err := sink.NewJSONLines(jcfg)
	if err != nil {
		t.Fatal(err)
	}
	before, flaky, after := &recordingWriter{}, &recordingWriter{fails: 2}, &recordingWriter{}
	p := newPipeline(det, []namedWriter{{"before", before}, {"jsonl", jsonl}, {"flaky", flaky}, {"after", after}}, newMetrics(nil), nil)
	dec := ingest.NewDecoder(ingest.FormatJSON, ingest.DefaultFieldMap())
	ctx := context.Background()
	feed := func(part [][]byte, offset int) {
		for i, l := range part {
			p.handle(&ingest.Raw{Data: l, Source: "test", Partition: -1, Offset: int64(offset + i)}, dec)
		}
		p.handle(&ingest.Raw{Data: []byte(`{"account":`), Source: "test", Partition: -1, Offset: int64(offset + len(part))}, dec)
	}

	half := len(lines) / 2
	feed(lines[:half], 0)
	if err := p.flush(ctx); err == nil {
		t.Fatal("flush succeeded although a sink failed")
	}
	feed(lines[half:], half+1)
	if err := p.flush(ctx); err == nil {
		t.Fatal("flush succeeded although a sink failed twice")
	}
	det.Close()
	if err := p.close(ctx); err != nil {
		t.Fatalf("flush after the sink recovered: %v", err)
	}

	want := flaky.got
	if len(want.Alerts) == 0 || len(want.Incidents) == 0 || len(want.Windows) == 0 || len(want.DeadLetters) != 2 {
		t.Fatalf("the scenario gave %d alerts, %d incidents, %d windows, %d dead letters: want some of each and 2 dead letters",
			len(want.Alerts), len(want.Incidents), len(want.Windows), len(want.DeadLetters))
	}
	if flaky.calls != 3 || before.calls != 3 || after.calls != 1 {
		t.Errorf("writes: before %d, flaky %d, after %d; want 3, 3 and 1", before.calls, flaky.calls, after.calls)
	}
	for name, w := range map[string]*recordingWriter{"before": before, "after": after} {
		if !reflect.DeepEqual(w.got, want) {
			t.Errorf("sink %q received %d alerts, %d incidents, %d windows, %d dead letters; want each once: %d, %d, %d, %d", name,
				len(w.got.Alerts), len(w.got.Incidents), len(w.got.Windows), len(w.got.DeadLetters),
				len(want.Alerts), len(want.Incidents), len(want.Windows), len(want.DeadLetters))
		}
	}
	for _, f := range []struct {
		path string
		n    int
	}{{jcfg.Alerts, len(want.Alerts)}, {jcfg.Incidents, len(want.Incidents)}, {jcfg.Windows, len(want.Windows)}, {jcfg.DeadLetters, len(want.DeadLetters)}} {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(data, []byte("\n")); n != f.n {
			t.Errorf("%s holds %d lines, want %d", f.path, n, f.n)
		}
	}
	if n := counterValue(p.metrics.sinkErrors.WithLabelValues("flaky")); n != 2 {
		t.Errorf("vigie_sink_errors_total{sink=\"flaky\"} = %v, want 2", n)
	}
}
