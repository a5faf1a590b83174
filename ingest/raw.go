package ingest

import "time"

// Raw is one undecoded input record and where it came from. Data is owned by
// the source and may be reused after the next read: copy what you keep.
type Raw struct {
	Data []byte
	// Source is the file name ("-" for stdin) or Kafka topic.
	Source string
	// Partition is the Kafka partition, -1 for files.
	Partition int32
	// Offset is the 1-based line number for files, the Kafka offset otherwise.
	Offset int64
}

// DecodeError says why a line could not become an Event. Reason is a short
// stable token used as a metric label and in the dead letters
// ("malformed_json", "missing_account", "bad_timestamp", ...).
type DecodeError struct {
	Reason string
	Field  string
	Err    error
}

func (e *DecodeError) Error() string {
	msg := e.Reason
	if e.Field != "" {
		msg += " (field " + e.Field + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// DeadLetter is an input record that was rejected, kept with its reason so
// nothing is silently lost.
type DeadLetter struct {
	ReceivedAt time.Time `json:"received_at"`
	Source     string    `json:"source"`
	Partition  int32     `json:"partition"`
	Offset     int64     `json:"offset"`
	Reason     string    `json:"reason"`
	Error      string    `json:"error"`
	Raw        string    `json:"raw"`
}
