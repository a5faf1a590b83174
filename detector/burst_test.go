package detector

import (
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
)

func TestBurstJoinsQuickEvents(t *testing.T) {
	var b burst
	steps := []struct {
		ts    int64
		r     float32
		fresh bool
		want  float32 // records of the request before the event
	}{
		{1000, 1, false, 0},
		{1010, 1, false, 1},                 // 10 ms later: same request
		{1500, 1, false, 2},                 // 490 ms after the last
		{2000, 1, false, 0},                 // 500 ms: a new one
		{2400, 1, false, 1},                 // joined
		{2400, 1, true, 0},                  // a new hour begins a request
		{2300, 1, false, 0},                 // out of order
		{2700, 1, false, 1},                 // joined
		{2300 + burstSpan - 1, 1, false, 0}, // a gap of 4.6 s
		{7300, 13, false, 0},                // several records: its own
		{7310, 1, false, 0},                 // and takes no more
		{7320, 1, false, 1},
	}
	for k, s := range steps {
		if got := b.add(s.ts, s.r, s.fresh); got != s.want {
			t.Errorf("step %d (ts %d): request held %v records before, want %v", k, s.ts, got, s.want)
		}
	}
	// A script reading one record per request faster than burstGap
	// makes requests of burstSpan; pages of several records stay apart.
	for _, page := range []float32{1, 50} {
		b = burst{}
		n := 0
		for ts := int64(0); ts < 20000; ts += 100 {
			if b.add(ts, page, false) == 0 {
				n++
			}
		}
		want := 20000 / burstSpan
		if page > 1 {
			want = 200
		}
		if n != want {
			t.Errorf("20 s of %v-record pages every 100 ms made %d requests, want %d", page, n, want)
		}
	}
}

// A script that pages through the API with no pause between requests
// (200 records every 100 ms) is caught as fast as one that pauses:
// joined into requests of burstSpan, its pages were first caught after
// 14,400 records instead of 600.
func TestScriptWithoutPauseStaysRequests(t *testing.T) {
	s := newStream(42)
	s.office(org, 30, 42, 150)
	at := day(29).Add(10*time.Hour + 17*time.Minute)
	s.burst(at, 3000, 100*time.Millisecond, org+"-adv-3", org, "advisor", 200)
	r := replay(t, DefaultConfig(), s.sorted(), org+"-adv-3", at.UnixMilli())
	if r.recordsAtFirst < 0 || r.recordsAtFirst > 2000 {
		t.Errorf("first alert after %v records, want one within 2,000", r.recordsAtFirst)
	}
}

// perRecord rewrites evs as a log that writes one line per record: a
// request of k records becomes k events of one record, 10 ms apart, each
// with a subject from the account's portfolio.
func perRecord(s *stream, evs []ingest.Event) []ingest.Event {
	var out []ingest.Event
	for _, ev := range evs {
		for k := range max(ev.Records, 1) {
			e := ev
			e.TS += 10 * k
			e.Records = 1
			e.Subject = ev.Account + "-p" + strconv.Itoa(s.rng.IntN(3000))
			out = append(out, e)
		}
	}
	s.evs = out
	return s.sorted()
}

// Some partners' logs write one line per record. An office whose lists
// come as bursts of one-record lines stays quiet: a list is one request
// (and one clump of subjects), not one per line. Counting every line as
// a request, 15 of its 30 advisors alerted on their number of requests;
// with requests but unclumped subjects, 24 alerted on their distinct
// people. An extraction through the same log, a page of 50 every 3
// seconds, still fires within 2,000 records.
func TestPerRecordLogsCountListsAsRequests(t *testing.T) {
	s := newStream(21)
	s.office(org, 30, 42, 150)
	at := day(30).Add(10*time.Hour + 5*time.Minute)
	s.burst(at, 400, 3*time.Second, org+"-adv-4", org, "advisor", 50)
	evs := perRecord(s, s.evs)
	r := replay(t, DefaultConfig(), evs, org+"-adv-4", at.UnixMilli())
	for _, a := range r.out.Alerts {
		if a.Entity != org+"-adv-4" && a.EntityType != EntityOrg {
			t.Errorf("false alert: %s %s %.1f %s", a.Entity, a.Detector, a.Score, a.Explanation)
		}
	}
	if r.recordsAtFirst < 0 || r.recordsAtFirst > 2000 {
		t.Errorf("extraction: first alert after %v records, want one within 2,000", r.recordsAtFirst)
	}
	t.Logf("extraction caught after %v records", r.recordsAtFirst)
}

// A snapshot taken in the middle of a list logged line by line resumes
// the request in progress: restored, the list's next line is not a new
// request.
func TestSnapshotKeepsTheRequestInProgress(t *testing.T) {
	s := newStream(8)
	s.office(org, 10, 35, 150)
	evs := perRecord(s, s.evs)
	cut := -1
	for k := len(evs) / 2; k < len(evs); k++ {
		if a, b := evs[k-1], evs[k]; a.Account == b.Account && b.TS-a.TS < burstGap {
			cut = k
			break
		}
	}
	if cut < 0 {
		t.Fatal("no list in the second half of the stream")
	}
	restoreMatches(t, evs, cut)
}
