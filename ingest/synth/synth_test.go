package synth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// smallConfig is a quick scenario that still holds every attack and trap.
func smallConfig() Config {
	c := DefaultConfig()
	c.Accounts = 300
	c.Orgs = 20
	c.BulkRecords = 50_000
	return c
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string // substring of the error; "" for valid
	}{
		{"default", func(*Config) {}, ""},
		{"bad start", func(c *Config) { c.Start = "22/04/2024" }, "start:"},
		{"too few days", func(c *Config) { c.Days = 7 }, "days:"},
		{"too few orgs", func(c *Config) { c.Orgs = 2 }, "orgs:"},
		{"too few accounts", func(c *Config) { c.Accounts = 500 }, "accounts:"},
		{"tiny bulk", func(c *Config) { c.BulkRecords = 10 }, "bulk-records:"},
		{"negative disorder", func(c *Config) { c.Disorder = -1 }, "disorder:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func generate(t testing.TB, c Config) ([]byte, *Labels) {
	t.Helper()
	var buf bytes.Buffer
	l, err := Generate(c, &buf)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return buf.Bytes(), l
}

func TestGenerateIsDeterministic(t *testing.T) {
	c := smallConfig()
	a, la := generate(t, c)
	b, lb := generate(t, c)
	if sha256.Sum256(a) != sha256.Sum256(b) {
		t.Fatal("same seed produced different bytes")
	}
	ja, _ := json.Marshal(la)
	jb, _ := json.Marshal(lb)
	if !bytes.Equal(ja, jb) {
		t.Fatal("same seed produced different labels")
	}
	c.Seed++
	d, _ := generate(t, c)
	if sha256.Sum256(a) == sha256.Sum256(d) {
		t.Fatal("different seeds produced the same bytes")
	}
}

// line is one decoded output line.
type line struct {
	TS        string `json:"ts"`
	Account   string `json:"account"`
	Org       string `json:"org"`
	Role      string `json:"role"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	SrcIP     string `json:"src_ip"`
	UserAgent string `json:"user_agent"`
	Session   string `json:"session"`
	Records   *int64 `json:"records"`
	Subject   string `json:"subject"`
	t         time.Time
}

// scan decodes every line, failing on the first invalid one.
func scan(t *testing.T, data []byte, f func(*line)) {
	t.Helper()
	s := bufio.NewScanner(bytes.NewReader(data))
	s.Buffer(nil, 1<<20)
	n := 0
	for s.Scan() {
		n++
		var l line
		if err := json.Unmarshal(s.Bytes(), &l); err != nil {
			t.Fatalf("line %d: %v: %s", n, err, s.Bytes())
		}
		ts, err := time.Parse(time.RFC3339, l.TS)
		if err != nil {
			t.Fatalf("line %d: ts: %v", n, err)
		}
		if _, off := ts.Zone(); off != 3600 && off != 7200 {
			t.Fatalf("line %d: ts %s is not in Paris local time", n, l.TS)
		}
		if l.Account == "" || l.Org == "" || l.Role == "" || l.Action == "" || l.Resource == "" ||
			l.SrcIP == "" || l.UserAgent == "" || l.Session == "" || l.Records == nil {
			t.Fatalf("line %d: a required field is missing: %s", n, s.Bytes())
		}
		perRecord := (l.Action == "view" && l.Resource == "dossier") || l.Action == "update" || l.Action == "download"
		if perRecord != (l.Subject != "") {
			t.Fatalf("line %d: subject should be set exactly on per-record actions: %s", n, s.Bytes())
		}
		l.t = ts
		f(&l)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestDefaultMonth checks the default scenario end to end: every line
// decodes, time order, volume, and that each attack and trap is really in
// the events, not only in the labels.
func TestDefaultMonth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full default month")
	}
	c := DefaultConfig()
	start := time.Now()
	data, l := generate(t, c)
	t.Logf("default month: %d events, %d records, %d bytes in %v", l.Events, l.Records, len(data), time.Since(start))

	if l.Events < 1_100_000 || l.Events > 1_600_000 {
		t.Errorf("events = %d, want about 1.3M", l.Events)
	}
	if n := len(data); n < 250<<20 || n > 450<<20 {
		t.Errorf("size = %d bytes, want about 300-400 MB", n)
	}
	if l.AccountCount != c.Accounts {
		t.Errorf("account_count = %d, want %d", l.AccountCount, c.Accounts)
	}

	shapes := map[string]*Attack{}
	attackOf := map[string][]*Attack{}
	for i := range l.Attacks {
		a := &l.Attacks[i]
		shapes[a.Shape] = a
		for _, acc := range a.Accounts {
			attackOf[acc] = append(attackOf[acc], a)
		}
		if a.Start.Before(l.Start.AddDate(0, 0, 8)) {
			t.Errorf("%s starts %v, before the 8-day baseline", a.ID, a.Start)
		}
		if !a.End.Before(l.End) || a.Records <= 0 || len(a.Accounts) == 0 || a.Org == "" {
			t.Errorf("%s: implausible label %+v", a.ID, a)
		}
	}
	for _, s := range Shapes {
		if shapes[s] == nil {
			t.Errorf("attack shape %s missing", s)
		}
	}
	if got := shapes[ShapeBulkExtraction].Records; got != c.BulkRecords {
		t.Errorf("bulk_extraction took %d records, want %d", got, c.BulkRecords)
	}
	if n := len(shapes[ShapeBulkExtraction].Accounts); n < 2 || n > 3 {
		t.Errorf("bulk_extraction uses %d accounts, want 2-3", n)
	}
	if !strings.HasPrefix(shapes[ShapeBulkExtraction].Org, "cap-emploi-") {
		t.Errorf("bulk_extraction org = %s, want a Cap emploi", shapes[ShapeBulkExtraction].Org)
	}
	kinds := map[string][]Benign{}
	for _, b := range l.Benign {
		kinds[b.Kind] = append(kinds[b.Kind], b)
	}
	for _, k := range []string{BenignServiceNightly, BenignMondayPeak, BenignHoliday, BenignAfterHoliday,
		BenignBridgeDay, BenignVacationReturn, BenignNewJoiner, BenignMonthEnd} {
		if len(kinds[k]) == 0 {
			t.Errorf("benign trap %s missing", k)
		}
	}

	// Tallies from the events themselves.
	loc, _ := time.LoadLocation(TimeZone)
	var (
		prev         time.Time
		n            int64
		accounts     = map[string]bool{}
		attackRecs   = map[string]int64{} // records of attack accounts inside attack windows
		firstSeen    = map[string]time.Time{}
		lastSeen     = map[string]time.Time{}
		perDate      = map[string]int64{} // advisor events per local date
		nightly      = map[string]bool{}  // dates with service exports between 01:00 and 04:00
		roleOf       = map[string]string{}
		offHoursRecs int64
		offHoursAcc  = shapes[ShapeOffHours].Accounts[0]
	)
	scan(t, data, func(e *line) {
		n++
		if e.t.Before(prev) {
			t.Fatalf("event %d at %v is before the previous one at %v", n, e.t, prev)
		}
		prev = e.t
		accounts[e.Account] = true
		roleOf[e.Account] = e.Role
		if _, ok := firstSeen[e.Account]; !ok {
			firstSeen[e.Account] = e.t
		}
		lastSeen[e.Account] = e.t
		for _, a := range attackOf[e.Account] {
			if !e.t.Before(a.Start) && !e.t.After(a.End) {
				attackRecs[a.ID] += *e.Records
			}
		}
		local := e.t.In(loc)
		date := local.Format(time.DateOnly)
		if e.Role == "advisor" {
			perDate[date]++
		}
		if e.Role == "service" && e.Action == "export" && local.Hour() >= 1 && local.Hour() < 4 {
			nightly[date] = true
		}
		if e.Account == offHoursAcc && local.Hour() < 5 {
			offHoursRecs += *e.Records
		}
	})
	if n != l.Events {
		t.Errorf("read %d events, labels say %d", n, l.Events)
	}
	if len(accounts) != c.Accounts {
		t.Errorf("%d distinct accounts in the events, want %d", len(accounts), c.Accounts)
	}
	for _, a := range l.Attacks {
		if attackRecs[a.ID] < a.Records {
			t.Errorf("%s: its accounts took %d records during the attack, label says %d", a.ID, attackRecs[a.ID], a.Records)
		}
	}
	if offHoursRecs != shapes[ShapeOffHours].Records {
		t.Errorf("off_hours account took %d records before 05:00, label says %d", offHoursRecs, shapes[ShapeOffHours].Records)
	}
	na := shapes[ShapeNewAccount]
	if got := firstSeen[na.Accounts[0]]; got.Before(na.Start.Add(-time.Minute)) {
		t.Errorf("new_account %s seen at %v, before its attack at %v", na.Accounts[0], got, na.Start)
	}

	// Calendar effects: Mondays above Wednesdays, holidays quiet, the
	// day after a holiday busy, nightly exports every night.
	if mon, wed := perDate["2024-04-29"], perDate["2024-04-24"]; float64(mon) < 1.3*float64(wed) {
		t.Errorf("Monday %d advisor events, Wednesday %d: want a Monday peak", mon, wed)
	}
	for _, b := range kinds[BenignHoliday] {
		d := b.Start.In(loc).Format(time.DateOnly)
		if perDate[d] > perDate["2024-04-24"]/50 {
			t.Errorf("holiday %s has %d advisor events", d, perDate[d])
		}
	}
	if a, w := perDate["2024-05-02"], perDate["2024-04-25"]; float64(a) < 1.15*float64(w) {
		t.Errorf("day after 1 May %d advisor events, ordinary Thursday %d: want a catch-up", a, w)
	}
	for d := l.Start; d.Before(l.End); d = d.AddDate(0, 0, 1) {
		if !nightly[d.Format(time.DateOnly)] {
			t.Errorf("no nightly export on %s", d.Format(time.DateOnly))
		}
	}
	// Returning advisors were away: nothing in the five days before.
	for _, b := range kinds[BenignVacationReturn] {
		acc := b.Accounts[0]
		if roleOf[acc] != "advisor" {
			t.Errorf("%s returns from vacation but is a %s", acc, roleOf[acc])
		}
	}
	for _, b := range kinds[BenignNewJoiner] {
		if got := firstSeen[b.Accounts[0]]; got.Before(b.Start) {
			t.Errorf("new joiner %s seen at %v, before starting on %v", b.Accounts[0], got, b.Start)
		}
	}
}

// TestVacationAbsence checks that advisors on vacation are absent and
// come back, using the event stream of the small scenario.
func TestVacationAbsence(t *testing.T) {
	data, l := generate(t, smallConfig())
	returns := map[string]time.Time{}
	for _, b := range l.Benign {
		if b.Kind == BenignVacationReturn {
			returns[b.Accounts[0]] = b.Start
		}
	}
	if len(returns) == 0 {
		t.Fatal("no vacation in the small scenario")
	}
	away, back := map[string]int{}, map[string]int{}
	scan(t, data, func(e *line) {
		r, ok := returns[e.Account]
		switch {
		case !ok:
		case e.t.Before(r) && e.t.After(r.AddDate(0, 0, -5)):
			away[e.Account]++
		case !e.t.Before(r):
			back[e.Account]++
		}
	})
	for acc := range returns {
		if away[acc] > 0 || back[acc] == 0 {
			t.Errorf("%s: %d events in the 5 days before returning, %d after", acc, away[acc], back[acc])
		}
	}
}

func TestDisorderIsBounded(t *testing.T) {
	c := smallConfig()
	c.Disorder = 30
	data, _ := generate(t, c)
	var latest time.Time
	late := 0
	scan(t, data, func(e *line) {
		if e.t.Before(latest) {
			late++
			if latest.Sub(e.t) > 30*time.Second {
				t.Fatalf("event at %v written after one at %v: more than 30 s of disorder", e.t, latest)
			}
		}
		if e.t.After(latest) {
			latest = e.t
		}
	})
	if late == 0 {
		t.Fatal("disorder 30 wrote every event in order")
	}
}

func BenchmarkGenerate(b *testing.B) {
	c := DefaultConfig()
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		var cw countWriter
		if _, err := Generate(c, &cw); err != nil {
			b.Fatal(err)
		}
		n = cw.n
	}
	b.SetBytes(n)
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
