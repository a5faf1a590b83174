package detector

import (
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
)

func TestNetwork(t *testing.T) {
	for ip, want := range map[string]string{
		"10.64.18.89":              "10.64.18",
		"2001:db8:85a3:8d3:1319::": "2001:db8:85a3",
		"localhost":                "localhost",
		"":                         "",
	} {
		if got := network(ip); got != want {
			t.Errorf("network(%q) = %q, want %q", ip, got, want)
		}
	}
}

// A browser's new version is the same context; another client, another
// network or another browser is not.
func TestContextIgnoresVersions(t *testing.T) {
	var e entity
	fp := func(ip, ua string) uint32 { return e.contextFP(&ingest.Event{SrcIP: ip, UserAgent: ua}) }
	chrome134 := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36"
	chrome135 := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/135.0.7049.42 Safari/537.36"
	base := fp("10.1.2.3", chrome134)
	if got := fp("10.1.2.77", chrome135); got != base {
		t.Error("a new version on the same /24 is a new context")
	}
	for _, c := range [][2]string{
		{"10.1.3.3", chrome134},
		{"10.1.2.3", "python-requests/2.31.0"},
		{"10.1.2.3", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
	} {
		if fp(c[0], c[1]) == base {
			t.Errorf("%s with %q is the same context", c[0], c[1])
		}
	}
	if fp("", "") != 0 {
		t.Error("an event without address or agent has a context")
	}
}

// withContexts gives every event of the stream an office network and a
// browser per account, as logs that carry them do.
func withContexts(s *stream) {
	for k := range s.evs {
		ev := &s.evs[k]
		ev.SrcIP = "10.1." + strconv.Itoa(len(ev.Account)%7) + ".20"
		ev.UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0"
	}
}

// The same scripted extraction from the account's own workstation and from
// a network and a client it never used: the second fires after fewer
// records, and says why. Stolen credentials are used from the attacker's
// machine; in both generators, the account's other hours never changed
// context.
func TestNewContextBringsEvidence(t *testing.T) {
	taken := map[bool]float64{}
	for _, novel := range []bool{false, true} {
		s := newStream(21)
		s.office(org, 30, 42, 150)
		withContexts(s)
		at := day(29).Add(10*time.Hour + 17*time.Minute)
		victim := org + "-adv-3"
		ip, ua := "10.1."+strconv.Itoa(len(victim)%7)+".20", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/122.0"
		if novel {
			ip, ua = "185.220.101.7", "python-requests/2.31.0"
		}
		for k := range 40 {
			s.add(at.Add(time.Duration(k)*3*time.Second), victim, org, "advisor", 150)
			s.evs[len(s.evs)-1].SrcIP, s.evs[len(s.evs)-1].UserAgent = ip, ua
		}
		r := replay(t, DefaultConfig(), s.sorted(), victim, at.UnixMilli())
		mine := alertsFor(r, victim)
		if len(mine) == 0 {
			t.Fatalf("novel=%v: the extraction did not alert", novel)
		}
		taken[novel] = r.recordsAtFirst
		t.Logf("novel=%v: after %.0f records: %s", novel, r.recordsAtFirst, mine[0].Explanation)
	}
	if taken[true] >= taken[false] {
		t.Errorf("from a new context the alert came after %.0f records, from the usual one after %.0f", taken[true], taken[false])
	}
}
