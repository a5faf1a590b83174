package main

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// BenchmarkDetectorScale measures, through the detector's public API only,
// the update of an already tracked account among 10k, 1M and 5M tracked
// accounts (the detector package's own benchmarks stop at 1M), and reports
// the heap held per tracked account after a GC. Accounts are spread over
// 1,000 orgs and visited with a prime stride (not sequentially, unlike the
// detector package's benchmarks); every update stays within one hour, so no
// window closes.
func BenchmarkDetectorScale(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000, 5_000_000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			if n > 1_000_000 && testing.Short() {
				b.Skip("needs about 4 GiB")
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			// The names are counted in the heap per account: the detector
			// keeps them.
			names := make([]string, n)
			for k := range names {
				names[k] = "acct-" + strconv.Itoa(k)
			}
			orgs := make([]string, 1000)
			for k := range orgs {
				orgs[k] = "org-" + strconv.Itoa(k)
			}
			cfg := detector.DefaultConfig()
			cfg.MaxEntities = n + len(orgs)
			d, err := detector.New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Date(2024, 4, 22, 9, 0, 0, 0, time.UTC).UnixMilli()
			ev := ingest.Event{Role: "advisor", Records: 3}
			for k, a := range names {
				ev.Account, ev.Org, ev.TS = a, orgs[k%len(orgs)], t0+int64(k%1000)
				d.Observe(&ev)
			}
			var out detector.Output
			d.Take(&out)
			out = detector.Output{}
			runtime.GC()
			runtime.ReadMemStats(&after)
			if st := d.Stats(); st.TrackedAccounts != n {
				b.Fatalf("%d accounts tracked, want %d", st.TrackedAccounts, n)
			}
			perAccount := float64(after.HeapAlloc-before.HeapAlloc) / float64(n)

			b.ReportAllocs()
			b.ResetTimer()
			for k := 0; b.Loop(); k++ {
				// A prime stride visits every account in an order the
				// hardware prefetcher cannot follow, as interleaved users do.
				i := k * 7919 % n
				ev.Account, ev.Org = names[i], orgs[i%len(orgs)]
				ev.TS = t0 + 1000 + int64(k%3_000_000) // Within the hour.
				d.Observe(&ev)
			}
			b.ReportMetric(perAccount, "heap-B/account")
			runtime.KeepAlive(d)
		})
	}
}
