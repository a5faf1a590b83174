package detector

// Requests. A log that writes one line per record (a list of 50 job
// seekers shown to an advisor is 50 lines, milliseconds apart) would make
// every list 50 requests of one record each: the request count would
// soar with every list an advisor opens, and the records would lose the
// clumping that makes a list one arrival. So the detector counts a burst
// of one account's one-record events, each within burstGap of the
// previous one and all within burstSpan of the first, as one request of
// their records added up. A person's next click comes later than
// burstGap; logs with whole-second times join only the events of the same
// second. An event of several records is a request of its own: a script
// paging through an API with no pause between its requests stays a
// request per page (joined, 200-record pages every 100 ms were first
// caught after 14,400 records instead of 600). A script reading one
// record per request faster than burstGap makes requests of burstSpan.
const (
	burstGap  = 500  // ms
	burstSpan = 5000 // ms
)

// burst is an account's request in progress.
type burst struct {
	Start, Last int64   // its first and latest event, Unix ms
	Rec         float32 // its records so far
	Subj        float32 // its events with a subject
	// Lines is true while every event of the request had one record (or
	// none): only such a request takes more.
	Lines bool
}

// add joins an event of r records (r >= 1) at ts to the request in
// progress, or begins a new one when fresh (a new hour window), when
// either the event or the request has more than one record per event,
// when ts is out of order, too late after the last event, or too far
// after the first. It returns the request's records before the event: 0
// when the event began it.
func (b *burst) add(ts int64, r float32, fresh bool) (prev float32) {
	if fresh || r > 1 || !b.Lines || ts < b.Start || ts-b.Last >= burstGap || ts-b.Start >= burstSpan {
		*b = burst{Start: ts, Lines: r <= 1}
	}
	prev = b.Rec
	b.Rec += r
	b.Last = max(b.Last, ts)
	return prev
}
