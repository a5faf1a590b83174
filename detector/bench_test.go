package detector

import (
	"runtime"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/vigie/vigie/ingest"
)

func accounts(n int) []string {
	out := make([]string, n)
	for k := range out {
		out[k] = "acct-" + strconv.Itoa(k)
	}
	return out
}

// benchUA is a browser's user agent: logs that carry one pay for hashing
// it with every event (the context fingerprint).
const benchUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"

func benchTracked(b *testing.B, n int) {
	names := accounts(n)
	d, _ := New(DefaultConfig())
	t0 := day(1).Add(9 * time.Hour).UnixMilli()
	ev := ingest.Event{Org: "org-1", Role: "advisor", Records: 3, SrcIP: "10.64.18.89", UserAgent: benchUA}
	for k, a := range names {
		ev.Account, ev.TS = a, t0+int64(k%1000)
		d.Observe(&ev)
	}
	var o Output
	d.Take(&o)
	b.ReportAllocs()
	b.SetBytes(1)
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		ev.Account = names[k%n]
		ev.TS = t0 + 1000 + int64(k)/int64(max(1, b.N/3000000+1)) // stays within the hour
		d.Observe(&ev)
	}
}

func BenchmarkObserveTracked10k(b *testing.B) { benchTracked(b, 10_000) }
func BenchmarkObserveTracked1M(b *testing.B)  { benchTracked(b, 1_000_000) }

func BenchmarkObserveNewAccount(b *testing.B) {
	names := accounts(b.N)
	d, _ := New(DefaultConfig())
	t0 := day(1).Add(9 * time.Hour).UnixMilli()
	ev := ingest.Event{Org: "org-1", Role: "advisor", Records: 3}
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		ev.Account, ev.TS = names[k], t0
		d.Observe(&ev)
	}
}

// BenchmarkWindowClose measures closing one account's hour and day windows
// (scoring, thresholds, learning, emitting two Window values).
func BenchmarkWindowClose(b *testing.B) {
	const n = 10_000
	names := accounts(n)
	d, _ := New(DefaultConfig())
	ev := ingest.Event{Org: "org-1", Role: "advisor", Records: 3}
	var o Output
	b.ReportAllocs()
	b.ResetTimer()
	closed := 0
	for k := 0; closed < b.N; k++ {
		ts := day(1 + k).Add(9 * time.Hour).UnixMilli()
		for _, a := range names[:min(n, b.N-closed)] {
			ev.Account, ev.TS = a, ts
			d.Observe(&ev)
			closed++
		}
		b.StopTimer()
		d.Take(&o)
		b.StartTimer()
	}
	d.Close()
}

// TestHeapPerAccount reports the heap held per tracked account at 1M
// accounts, after GC (run with -run HeapPerAccount -v; skipped in -short).
func TestHeapPerAccount(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 1 GiB")
	}
	const n = 1_000_000
	names := accounts(n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, _ := New(DefaultConfig())
	ev := ingest.Event{Org: "org-1", Role: "advisor", Records: 3}
	t0 := day(1).Add(9 * time.Hour).UnixMilli()
	for k, a := range names {
		ev.Account, ev.TS = a, t0+int64(k)
		d.Observe(&ev)
	}
	var o Output
	d.Take(&o)
	o = Output{}
	d.out = Output{}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("heap per tracked account: %.0f bytes (incl. its name string, %d entities; entity struct %d bytes)", per, len(d.ents), unsafe.Sizeof(entity{}))
	if per > 2048 {
		t.Errorf("heap per account %.0f bytes, want <= 2048", per)
	}
	runtime.KeepAlive(d)
	runtime.KeepAlive(names)
}
