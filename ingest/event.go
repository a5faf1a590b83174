// Package ingest reads access-log events from files, Kafka and ClickHouse and
// decodes them into Event values. Lines that cannot be decoded are returned as
// *DecodeError values carrying a short machine-readable reason, so callers can
// count them and keep them in a dead-letter sink without stopping the stream.
//
// The reasons are stable tokens (metric labels, dead-letter column):
//
//	malformed_json   not one complete, valid JSON object
//	malformed_csv    bad quoting, wrong column count, NUL byte, a CSV header
//	                 without the ts or account column, or a W3C log line
//	                 before its #Fields directive
//	malformed_logfmt a logfmt line (key=value pairs) whose quoted value does
//	                 not end
//	malformed_clf    a line that begins as the combined log format's
//	                 (client, identity, user, [time] "request) but does not
//	                 follow it
//	malformed_cef    a CEF or LEEF record whose header ends early or whose
//	                 extension is not key=value pairs
//	unmatched_line   a line that --line-pattern does not match
//	missing_ts       no timestamp field, or null or empty
//	bad_timestamp    not RFC 3339 (without an offset, only where the
//	                 FieldMap has a Local zone) nor epoch seconds,
//	                 milliseconds, microseconds or nanoseconds, or
//	                 outside the years 2000 to 2100
//	missing_account  no account field, or null, empty or not a string
//	bad_records      records not a non-negative integer up to 1e12
//	bad_field        another field neither a string, a number nor null, or
//	                 holding a NUL character
//	line_too_long    longer than the limit (1 MiB unless configured)
//	invalid_utf8     not valid UTF-8
//
// JSONDecoder (JSON, logfmt, combined log format, CEF and LEEF lines) and CSVDecoder
// (CSV and W3C extended logs) map input fields to Event fields through a
// FieldMap; FileReader reads plain, gzip and zstd files and stdin in order
// and hands out each line with the decoder for its file.
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
