// Package eval scores a detector's alerts against the labels of a
// generated scenario (package ingest/synth): which attacks were caught, how
// fast, how many records left before the first alert, and how many alerts
// were false alarms, counted as distinct (entity, day) pairs so that an
// incident's escalations do not inflate the count.
package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
)

// Config sets the matching tolerances.
type Config struct {
	// Grace is how long after an attack's last event an alert still
	// counts as detecting it: day windows only close at midnight.
	Grace time.Duration
	// BenignGrace is the same for benign traps: an alert on a holiday's
	// window fires when the window closes, shortly after the day ends.
	BenignGrace time.Duration
}

// DefaultConfig returns the tolerances used by vigie eval.
func DefaultConfig() Config {
	return Config{Grace: 24 * time.Hour, BenignGrace: 6 * time.Hour}
}

// RegisterFlags registers the tolerances on fs, with c's values as defaults.
func (c *Config) RegisterFlags(fs *pflag.FlagSet) {
	fs.DurationVar(&c.Grace, "grace", c.Grace, "an alert up to this long after an attack's end still detects it")
	fs.DurationVar(&c.BenignGrace, "benign-grace", c.BenignGrace, "an alert up to this long after a benign trap's end is attributed to it")
}

// Validate reports every invalid field.
func (c *Config) Validate() error {
	var errs []error
	if c.Grace < 0 {
		errs = append(errs, fmt.Errorf("grace: %v is negative", c.Grace))
	}
	if c.BenignGrace < 0 {
		errs = append(errs, fmt.Errorf("benign-grace: %v is negative", c.BenignGrace))
	}
	return errors.Join(errs...)
}

// AttackResult is the outcome of one labelled attack.
type AttackResult struct {
	synth.Attack
	Detected bool `json:"detected"`
	// Alerts counts the alerts attributed to the attack.
	Alerts int `json:"alerts"`
	// FirstAlert is the earliest attributed alert, nil when missed.
	FirstAlert *detector.Alert `json:"first_alert,omitempty"`
	// Delay is FirstAlert.FiredAt - Start.
	Delay        time.Duration `json:"-"`
	DelaySeconds float64       `json:"delay_seconds"`
	// RecordsBeforeAlert sums the records of the attack's accounts from
	// its start up to the first alert (up to its end when missed),
	// ordinary activity of the same accounts included; -1 when no events
	// were given.
	RecordsBeforeAlert int64 `json:"records_before_alert"`
}

// BenignResult is the outcome of one kind of benign trap.
type BenignResult struct {
	Kind string `json:"kind"`
	// Traps is the number of labelled traps of this kind, Alerted how
	// many of them drew at least one false alert.
	Traps   int `json:"traps"`
	Alerted int `json:"alerted"`
	// Pairs counts the distinct (entity, day) false alerts attributed to
	// the kind; Entities lists those entities (sorted, distinct).
	Pairs    int      `json:"pairs"`
	Entities []string `json:"entities,omitempty"`
}

// FalseAlert is one distinct (entity, day) pair of alerts that no attack
// explains.
type FalseAlert struct {
	EntityType string `json:"entity_type"`
	Entity     string `json:"entity"`
	// Day is the local date of the alerts, in the labels' time zone.
	Day       string   `json:"day"`
	Alerts    int      `json:"alerts"`
	Detectors []string `json:"detectors"`
	// Benign lists the kinds of benign trap the alerts fell on, if any.
	Benign []string `json:"benign,omitempty"`
}

// Result is a full evaluation.
type Result struct {
	Attacks            []AttackResult `json:"attacks"`
	Detected           int            `json:"detected"`
	MedianDelay        time.Duration  `json:"-"`
	MedianDelaySeconds float64        `json:"median_delay_seconds"`
	Benign             []BenignResult `json:"benign"`
	FalseAlerts        []FalseAlert   `json:"false_alerts"`
	// FalseAlertCount is len(FalseAlerts); FalseAlertRaw counts the
	// unexplained alerts themselves.
	FalseAlertCount int `json:"false_alert_count"`
	FalseAlertRaw   int `json:"false_alert_raw"`
	// AccountDays is distinct accounts times days, from the events when
	// given ("events") or the labels ("labels").
	AccountDays       int64   `json:"account_days"`
	AccountDaysSource string  `json:"account_days_source"`
	FalsePer1000      float64 `json:"false_per_1000_account_days"`
	Summary           string  `json:"summary"`
}

// Evaluate scores alerts against labels. events, when not nil, is the
// scenario's event stream; it gives the records taken before each
// detection and the account-days. The events' Event values may be reused
// between iterations.
func Evaluate(cfg Config, labels *synth.Labels, alerts []detector.Alert, events iter.Seq[*ingest.Event]) Result {
	loc := detector.Zone(labels.TimeZone)
	alerts = slices.Clone(alerts)
	slices.SortStableFunc(alerts, func(a, b detector.Alert) int { return a.FiredAt.Compare(b.FiredAt) })

	res := Result{Attacks: make([]AttackResult, len(labels.Attacks))}
	explained := make([]bool, len(alerts))
	for i, at := range labels.Attacks {
		ar := AttackResult{Attack: at, RecordsBeforeAlert: -1}
		// Accounts and organisations compare without case: Vigie reads
		// a login two systems spell in different cases as one
		// (ingest.FieldMap.AccountCase).
		accounts := map[string]bool{}
		for _, a := range at.Accounts {
			accounts[strings.ToLower(a)] = true
		}
		deadline := at.End.Add(cfg.Grace)
		for j := range alerts {
			al := &alerts[j]
			if al.FiredAt.Before(at.Start) || al.FiredAt.After(deadline) {
				continue
			}
			if (al.EntityType == detector.EntityAccount && accounts[strings.ToLower(al.Entity)]) ||
				(al.EntityType == detector.EntityOrg && at.Org != "" && strings.EqualFold(al.Entity, at.Org)) {
				explained[j] = true
				ar.Alerts++
				if ar.FirstAlert == nil {
					first := *al
					ar.FirstAlert = &first
				}
			}
		}
		if ar.FirstAlert != nil {
			ar.Detected = true
			ar.Delay = ar.FirstAlert.FiredAt.Sub(at.Start)
			ar.DelaySeconds = ar.Delay.Seconds()
			res.Detected++
		}
		res.Attacks[i] = ar
	}
	var delays []time.Duration
	for _, ar := range res.Attacks {
		if ar.Detected {
			delays = append(delays, ar.Delay)
		}
	}
	res.MedianDelay = median(delays)
	res.MedianDelaySeconds = res.MedianDelay.Seconds()

	res.falseAlerts(cfg, labels, alerts, explained, loc)

	res.AccountDays = int64(labels.AccountCount) * int64(labels.Days)
	res.AccountDaysSource = "labels"
	if events != nil {
		res.scanEvents(events, loc)
	}
	if res.AccountDays > 0 {
		res.FalsePer1000 = 1000 * float64(res.FalseAlertCount) / float64(res.AccountDays)
	}
	res.Summary = res.summary(len(labels.Attacks))
	return res
}

// falseAlerts groups the unexplained alerts into (entity, day) pairs and
// attributes them to the benign traps they fall on.
func (r *Result) falseAlerts(cfg Config, labels *synth.Labels, alerts []detector.Alert, explained []bool, loc *time.Location) {
	type key struct{ typ, entity, day string }
	pairs := map[key]*FalseAlert{}
	kinds := map[string]*BenignResult{}
	var kindOrder []string
	for _, b := range labels.Benign {
		if kinds[b.Kind] == nil {
			kinds[b.Kind] = &BenignResult{Kind: b.Kind}
			kindOrder = append(kindOrder, b.Kind)
		}
		kinds[b.Kind].Traps++
	}
	kindPairs := map[string]map[key]bool{}
	alertedTraps := map[int]bool{}
	for j := range alerts {
		if explained[j] {
			continue
		}
		al := &alerts[j]
		r.FalseAlertRaw++
		k := key{al.EntityType, al.Entity, al.FiredAt.In(loc).Format(time.DateOnly)}
		fa := pairs[k]
		if fa == nil {
			fa = &FalseAlert{EntityType: k.typ, Entity: k.entity, Day: k.day}
			pairs[k] = fa
		}
		fa.Alerts++
		if !slices.Contains(fa.Detectors, al.Detector) {
			fa.Detectors = append(fa.Detectors, al.Detector)
		}
		for bi, b := range labels.Benign {
			if al.FiredAt.Before(b.Start) || al.FiredAt.After(b.End.Add(cfg.BenignGrace)) {
				continue
			}
			if len(b.Accounts) > 0 && (al.EntityType != detector.EntityAccount ||
				!slices.ContainsFunc(b.Accounts, func(a string) bool { return strings.EqualFold(a, al.Entity) })) {
				continue
			}
			alertedTraps[bi] = true
			if kindPairs[b.Kind] == nil {
				kindPairs[b.Kind] = map[key]bool{}
			}
			kindPairs[b.Kind][k] = true
			if !slices.Contains(fa.Benign, b.Kind) {
				fa.Benign = append(fa.Benign, b.Kind)
			}
		}
	}
	for bi := range alertedTraps {
		kinds[labels.Benign[bi].Kind].Alerted++
	}
	for _, kind := range kindOrder {
		br := kinds[kind]
		br.Pairs = len(kindPairs[kind])
		for k := range kindPairs[kind] {
			if !slices.Contains(br.Entities, k.entity) {
				br.Entities = append(br.Entities, k.entity)
			}
		}
		sort.Strings(br.Entities)
		r.Benign = append(r.Benign, *br)
	}
	for _, fa := range pairs {
		sort.Strings(fa.Detectors)
		sort.Strings(fa.Benign)
		r.FalseAlerts = append(r.FalseAlerts, *fa)
	}
	slices.SortFunc(r.FalseAlerts, func(a, b FalseAlert) int {
		if a.Day != b.Day {
			return compare(a.Day, b.Day)
		}
		if a.EntityType != b.EntityType {
			return compare(a.EntityType, b.EntityType)
		}
		return compare(a.Entity, b.Entity)
	})
	r.FalseAlertCount = len(r.FalseAlerts)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// scanEvents counts the account-days and the records each attack took
// before its first alert.
func (r *Result) scanEvents(events iter.Seq[*ingest.Event], loc *time.Location) {
	type window struct {
		attack   int
		from, to int64 // Unix ms, inclusive
	}
	byAccount := map[string][]window{}
	for i := range r.Attacks {
		ar := &r.Attacks[i]
		ar.RecordsBeforeAlert = 0
		to := ar.End
		if ar.FirstAlert != nil {
			to = ar.FirstAlert.FiredAt
		}
		for _, a := range ar.Accounts {
			a = strings.ToLower(a)
			byAccount[a] = append(byAccount[a], window{i, ar.Start.UnixMilli(), to.UnixMilli()})
		}
	}
	accounts := map[string]struct{}{}
	days := map[int64]struct{}{}
	lastHour := int64(-1 << 62)
	for ev := range events {
		if _, ok := accounts[ev.Account]; !ok {
			accounts[ev.Account] = struct{}{}
		}
		// Local dates change rarely in a time-ordered stream: convert
		// only when the UTC hour changes.
		if h := ev.TS / 3_600_000; h != lastHour {
			lastHour = h
			t := time.UnixMilli(ev.TS).In(loc)
			y, m, d := t.Date()
			days[int64(y)*10000+int64(m)*100+int64(d)] = struct{}{}
		}
		for _, w := range byAccount[strings.ToLower(ev.Account)] {
			if ev.TS >= w.from && ev.TS <= w.to {
				r.Attacks[w.attack].RecordsBeforeAlert += ev.Records
			}
		}
	}
	if len(accounts) > 0 {
		r.AccountDays = int64(len(accounts)) * int64(len(days))
		r.AccountDaysSource = "events"
	}
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r *Result) summary(attacks int) string {
	delay := "n/a"
	if r.Detected > 0 {
		delay = FormatDelay(r.MedianDelay)
	}
	return fmt.Sprintf("%d/%d attacks detected, median delay %s, false alerts %.2f per 1,000 account-days (%d entity-days over %d account-days)",
		r.Detected, attacks, delay, r.FalsePer1000, r.FalseAlertCount, r.AccountDays)
}

// FormatDelay renders a delay at a useful precision: 45s, 3m, 2h05m, 1d04h.
func FormatDelay(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// ReadAlerts reads alerts written as JSON lines by the JSON lines sink.
// Lines of other kinds sharing the file (incidents, windows, dead
// letters), recognised by their missing alert_id, are skipped.
func ReadAlerts(r io.Reader) ([]detector.Alert, error) {
	s := bufio.NewScanner(r)
	s.Buffer(nil, 4<<20)
	var out []detector.Alert
	for n := 1; s.Scan(); n++ {
		line := s.Bytes()
		if len(line) == 0 {
			continue
		}
		var a detector.Alert
		if err := json.Unmarshal(line, &a); err != nil {
			return nil, fmt.Errorf("decoding alert on line %d: %w", n, err)
		}
		if a.AlertID == "" {
			continue
		}
		out = append(out, a)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("reading alerts: %w", err)
	}
	return out, nil
}
