package sink

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/spf13/pflag"
)

// JSONLinesConfig says where the JSON lines sink writes each kind of output.
// A path is a file name, "-" for standard output, or "" to not write that
// kind. Several kinds may name the same path: they then share one writer and
// their lines interleave in batch order (alerts, incidents, windows, dead
// letters); readers tell them apart by their fields (alert_id, version,
// events, raw).
type JSONLinesConfig struct {
	Alerts      string
	Incidents   string
	Windows     string
	DeadLetters string
	// AlertFormat names the alert rendering: "native" (the JSON of
	// detector.Alert) or any name added with RegisterAlertFormat.
	AlertFormat string
	// Truncate empties existing files when the sink opens them. By default
	// lines are appended, so a restarted pipeline never loses alerts that an
	// earlier run already reported as durable.
	Truncate bool
	// Stdout is where "-" writes; nil means os.Stdout. It is never synced
	// or closed.
	Stdout io.Writer
}

// RegisterFlags adds the JSON lines flags to fs, with their defaults.
func (c *JSONLinesConfig) RegisterFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.Alerts, "alerts-out", "", `file for alerts as JSON lines ("-" for stdout, empty for none)`)
	fs.StringVar(&c.Incidents, "incidents-out", "", `file for incident updates as JSON lines ("-" for stdout, empty for none)`)
	fs.StringVar(&c.Windows, "windows-out", "", `file for window aggregates as JSON lines ("-" for stdout, empty for none)`)
	fs.StringVar(&c.DeadLetters, "dead-letters-out", "", `file for rejected input records as JSON lines ("-" for stdout, empty for none)`)
	fs.StringVar(&c.AlertFormat, "alert-format", "native", fmt.Sprintf("rendering of alerts in --alerts-out, one of %v", AlertFormats()))
	fs.BoolVar(&c.Truncate, "truncate-out", false, "empty the --*-out files when opening them instead of appending")
}

// Validate reports the first field of c that cannot work.
func (c *JSONLinesConfig) Validate() error {
	format := c.AlertFormat
	if format == "" {
		format = "native"
	}
	if _, err := lookupAlertFormat(format); err != nil {
		return fmt.Errorf("alert-format: %w", err)
	}
	return nil
}

// JSONLines writes batches as JSON lines, one object per line. Write is safe
// for concurrent use; it buffers, then flushes and (for files) fsyncs before
// returning, so a nil error means the lines are on disk.
type JSONLines struct {
	mu          sync.Mutex
	alertFormat AlertFormat
	// alerts, incidents, windows and deadLetters point into outputs, nil for
	// a kind that is not written.
	alerts, incidents, windows, deadLetters *jsonlOutput
	outputs                                 []*jsonlOutput
	closed                                  bool
}

// jsonlOutput is one destination, shared by every kind that names it.
type jsonlOutput struct {
	name string
	w    *bufio.Writer
	// file is nil for standard output.
	file *os.File
	// sync is whether file is a regular file: fsync fails on devices and
	// pipes (/dev/null, a named pipe), where it means nothing anyway.
	sync bool
}

// NewJSONLines opens every path of cfg (creating files as needed) and
// returns the sink. Close releases the files.
func NewJSONLines(cfg JSONLinesConfig) (*JSONLines, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.AlertFormat == "" {
		cfg.AlertFormat = "native"
	}
	format, _ := lookupAlertFormat(cfg.AlertFormat)
	stdout := cfg.Stdout
	if stdout == nil {
		stdout = os.Stdout
	}
	j := &JSONLines{alertFormat: format}
	byPath := map[string]*jsonlOutput{}
	open := func(path string) (*jsonlOutput, error) {
		if path == "" {
			return nil, nil
		}
		key := path
		if path != "-" {
			abs, err := filepath.Abs(path)
			if err != nil {
				return nil, fmt.Errorf("resolving %s: %w", path, err)
			}
			key = abs
		}
		if out, ok := byPath[key]; ok {
			return out, nil
		}
		out := &jsonlOutput{name: path}
		if path == "-" {
			out.w = bufio.NewWriterSize(stdout, 64<<10)
		} else {
			flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
			if cfg.Truncate {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(path, flags, 0o644)
			if err != nil {
				return nil, fmt.Errorf("opening JSON lines output: %w", err)
			}
			out.file = f
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				out.sync = true
			}
			out.w = bufio.NewWriterSize(f, 64<<10)
		}
		byPath[key] = out
		j.outputs = append(j.outputs, out)
		return out, nil
	}
	var err error
	for _, k := range []struct {
		path string
		dst  **jsonlOutput
	}{
		{cfg.Alerts, &j.alerts},
		{cfg.Incidents, &j.incidents},
		{cfg.Windows, &j.windows},
		{cfg.DeadLetters, &j.deadLetters},
	} {
		if *k.dst, err = open(k.path); err != nil {
			_ = j.Close()
			return nil, err
		}
	}
	return j, nil
}

// Write appends every item of b to its output, then flushes and syncs the
// outputs. A nil error means the whole batch is durable; after an error some
// lines of the batch may have been written (at-least-once: the caller
// retries, readers dedup on alert_id and the window key).
func (j *JSONLines) Write(_ context.Context, b *Batch) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return errors.New("JSON lines sink: write after Close")
	}
	if j.alerts != nil {
		for i := range b.Alerts {
			if err := j.alerts.line(j.alertFormat(&b.Alerts[i])); err != nil {
				return fmt.Errorf("writing alert %s: %w", b.Alerts[i].AlertID, err)
			}
		}
	}
	if j.incidents != nil {
		for i := range b.Incidents {
			if err := j.incidents.line(nativeIncident(&b.Incidents[i])); err != nil {
				return fmt.Errorf("writing incident %s: %w", b.Incidents[i].IncidentID, err)
			}
		}
	}
	if j.windows != nil {
		for i := range b.Windows {
			if err := j.windows.line(nativeWindow(&b.Windows[i])); err != nil {
				return fmt.Errorf("writing window of %s: %w", b.Windows[i].Entity, err)
			}
		}
	}
	if j.deadLetters != nil {
		for i := range b.DeadLetters {
			if err := j.deadLetters.line(nativeDeadLetter(&b.DeadLetters[i])); err != nil {
				return fmt.Errorf("writing dead letter: %w", err)
			}
		}
	}
	return j.flush()
}

// line writes data and a newline, passing through the error of the encoder
// that produced data.
func (o *jsonlOutput) line(data []byte, err error) error {
	if err != nil {
		return err
	}
	if _, err := o.w.Write(data); err != nil {
		return fmt.Errorf("%s: %w", o.name, err)
	}
	if err := o.w.WriteByte('\n'); err != nil {
		return fmt.Errorf("%s: %w", o.name, err)
	}
	return nil
}

// flush pushes every buffer to its file and fsyncs the files.
func (j *JSONLines) flush() error {
	var errs []error
	for _, o := range j.outputs {
		if err := o.w.Flush(); err != nil {
			errs = append(errs, fmt.Errorf("flushing %s: %w", o.name, err))
			continue
		}
		if o.sync {
			if err := o.file.Sync(); err != nil {
				errs = append(errs, fmt.Errorf("syncing %s: %w", o.name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Close flushes, syncs and closes the files. It is safe to call twice; the
// second call does nothing.
func (j *JSONLines) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	err := j.flush()
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, o := range j.outputs {
		if o.file != nil {
			if err := o.file.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing %s: %w", o.name, err))
			}
		}
	}
	return errors.Join(errs...)
}
