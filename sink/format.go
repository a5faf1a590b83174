package sink

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// AlertFormat renders one alert as one line of output, without the trailing
// newline. It must be deterministic: the same alert gives the same bytes.
type AlertFormat func(*detector.Alert) ([]byte, error)

// alertFormats holds the alert renderings by name. "native" is the JSON of
// detector.Alert; other files of the package (sink/ocsf.go) add theirs from
// an init function through RegisterAlertFormat, so this file does not need
// to know them.
var (
	alertFormatsMu sync.RWMutex
	alertFormats   = map[string]AlertFormat{
		"native": nativeAlert,
	}
)

// RegisterAlertFormat makes the alert rendering fn available under name (as
// in --alert-format NAME). It is meant to be called from init functions; it
// panics when name is empty or already taken or fn is nil, since that is a
// programming error, not an input error.
func RegisterAlertFormat(name string, fn func(*detector.Alert) ([]byte, error)) {
	alertFormatsMu.Lock()
	defer alertFormatsMu.Unlock()
	if name == "" || fn == nil {
		panic("BUG: RegisterAlertFormat needs a name and a function")
	}
	if _, dup := alertFormats[name]; dup {
		panic("BUG: alert format " + name + " registered twice")
	}
	alertFormats[name] = fn
}

// AlertFormats lists the registered alert format names in sorted order, for
// flag help and error messages.
func AlertFormats() []string {
	alertFormatsMu.RLock()
	defer alertFormatsMu.RUnlock()
	names := make([]string, 0, len(alertFormats))
	for name := range alertFormats {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// lookupAlertFormat returns the rendering registered under name.
func lookupAlertFormat(name string) (AlertFormat, error) {
	alertFormatsMu.RLock()
	fn, ok := alertFormats[name]
	alertFormatsMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown alert format %q (known: %v)", name, AlertFormats())
	}
	return fn, nil
}

// nativeAlert is the JSON of detector.Alert with every time in UTC, so the
// output does not depend on the local time zone of the machine.
func nativeAlert(a *detector.Alert) ([]byte, error) {
	c := *a
	c.FiredAt = c.FiredAt.UTC()
	c.WindowStart = c.WindowStart.UTC()
	c.WindowEnd = c.WindowEnd.UTC()
	return json.Marshal(&c)
}

// nativeIncident is the JSON of detector.Incident with every time in UTC.
func nativeIncident(in *detector.Incident) ([]byte, error) {
	c := *in
	c.OpenedAt = c.OpenedAt.UTC()
	c.UpdatedAt = c.UpdatedAt.UTC()
	c.ClosedAt = c.ClosedAt.UTC()
	c.PeakWindowStart = c.PeakWindowStart.UTC()
	return json.Marshal(&c)
}

// nativeWindow is the JSON of detector.Window with every time in UTC.
func nativeWindow(w *detector.Window) ([]byte, error) {
	c := *w
	c.WindowStart = c.WindowStart.UTC()
	c.WindowEnd = c.WindowEnd.UTC()
	return json.Marshal(&c)
}

// nativeDeadLetter is the JSON of ingest.DeadLetter with its time in UTC.
func nativeDeadLetter(d *ingest.DeadLetter) ([]byte, error) {
	c := *d
	c.ReceivedAt = c.ReceivedAt.UTC()
	return json.Marshal(&c)
}
