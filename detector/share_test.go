package detector

import (
	"math"
	"testing"
)

// A member is ranked among the day's accounts of other organisations: its
// own organisation's elevated members must not make each other look
// common. Here the day holds 1,000 ordinary accounts (score 0.2) and one
// organisation of 10 whose members all scored 3; against the others alone
// a score of 3 is rarer than anything seen that day, and the organisation
// scores far beyond any threshold, while counting itself in its
// reference would rank its members at 10 in 1,010 each.
func TestShareRanksAgainstOtherOrganisations(t *testing.T) {
	var day, hist scoreHist
	for range 1000 {
		day.add(0.2)
		hist.add(0.2)
	}
	s := orgShare{}
	for range 10 {
		day.add(3)
		s.Scores = append(s.Scores, 3)
	}
	ref := shareRef{day: day.tail(), hist: hist.tail(), dayN: day.N, histN: hist.N}
	var own scoreHist
	for _, sc := range s.Scores {
		own.add(sc)
	}
	ownTail := own.tail()
	r := ref.memberRate(3, &ownTail, len(s.Scores))
	// Without others at 3 today, the rate is the history's, itself the
	// nominal 10^-3 shrunk by 1,000 ordinary account-days: about 2.3e-4.
	if want := 300 * 1e-3 / 1300; math.Abs(r-want) > 1e-5 {
		t.Errorf("member rate %.6f, want %.6f (history and nominal prior only)", r, want)
	}
	var none [shareBins]float64
	if self := ref.memberRate(3, &none, 0); self < 0.004 {
		t.Errorf("counting its own organisation, a member's rate is %.4f; the test relies on it being about 5/1,060", self)
	}
	sc, k, _ := ref.shareScore(&s)
	if k != 10 || sc < 10 {
		t.Errorf("organisation scored %.1f with %d elevated members, want 10 members and a score of 10 or more", sc, k)
	}
}
