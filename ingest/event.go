// Package ingest reads access-log events from files, Kafka and ClickHouse and
// decodes them into Event values. Lines that cannot be decoded are returned as
// *DecodeError values carrying a short machine-readable reason, so callers can
// count them and keep them in a dead-letter sink without stopping the stream.
package ingest

// Event is one request in an access log: who asked, when, and how many
// records came back. The decoders reuse an Event between lines; copy what you
// keep beyond the next call (the strings themselves are immutable and safe to
// keep).
type Event struct {
	// TS is the event time in Unix milliseconds (UTC).
	TS int64
	// Account is the user or service account that made the request. Required.
	Account string
	// Org is the organisation the account belongs to (agency, partner).
	Org string
	// Role is the account's role (advisor, manager, service...).
	Role      string
	Action    string
	Resource  string
	SrcIP     string
	UserAgent string
	Session   string
	// Subject is the id of the single record accessed, for logs written per
	// record. Vigie never stores it: it only feeds a distinct-count sketch.
	Subject string
	// Records is the number of records returned or accessed (default 1).
	Records int64
}

// Reset clears e for reuse.
func (e *Event) Reset() { *e = Event{} }
