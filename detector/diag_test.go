package detector

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
)

// TestDiagCalibration replays a generated month (VIGIE_DIAG_EVENTS, with
// its labels in VIGIE_DIAG_LABELS) and prints, per test family, how many
// benign tests (entity-days after the warm-up) exceed each score, next to
// the nominal rate, and the largest score each attack reached (an
// organisation's own tests marked "(org)"). VIGIE_DIAG_WATCH, a list of
// entity names, prints their day and CUSUM scores day by day (with
// VIGIE_DIAG_ALL set, every test's, open windows' included). It is a
// measuring tool, skipped unless the files are given.
func TestDiagCalibration(t *testing.T) {
	evPath, lbPath := os.Getenv("VIGIE_DIAG_EVENTS"), os.Getenv("VIGIE_DIAG_LABELS")
	if evPath == "" || lbPath == "" {
		t.Skip("VIGIE_DIAG_EVENTS and VIGIE_DIAG_LABELS not set")
	}
	var labels struct {
		Attacks []struct {
			ID       string
			Accounts []string
			Org      string
			Start    time.Time
			End      time.Time
		}
	}
	b, err := os.ReadFile(lbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &labels); err != nil {
		t.Fatal(err)
	}
	attacker := map[string]string{}
	for _, a := range labels.Attacks {
		for _, acc := range a.Accounts {
			attacker[acc] = a.ID
		}
		attacker[a.Org] = a.ID
	}
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		fam string
		ent int32
		day int64
	}
	benign := map[key]float64{}
	attack := map[string]float64{} // attack id + family -> max score
	watch := os.Getenv("VIGIE_DIAG_WATCH")
	d.trace = func(fam string, i int32, ts int64, sc float64) {
		if ts-d.firstTS < d.cfg.Warmup.Milliseconds() {
			return
		}
		e := &d.ents[i]
		if watch != "" && strings.Contains(watch, e.Key) && (fam == DetVolumeDay || fam == DetCusumDay || os.Getenv("VIGIE_DIAG_ALL") != "") {
			fmt.Printf("watch %s %-9s %s %.2f\n", time.UnixMilli(ts).UTC().Format(time.DateTime), e.Key, fam, sc)
		}
		if id, ok := attacker[e.Key]; ok {
			k := id + " " + fam
			if e.Kind == kindOrg {
				k += " (org)"
			}
			attack[k] = max(attack[k], sc)
			return
		}
		k := key{fam, i, (ts + 2*3600_000) / 86400_000}
		benign[k] = max(benign[k], sc)
	}
	fields := ingest.DefaultFieldMap()
	keys, err := ingest.SampleFiles([]string{evPath}, ingest.FormatAuto, 5000)
	if err != nil {
		t.Fatal(err)
	}
	fields.Infer(keys) // logs that name their fields their own way, as replay reads them
	r, err := ingest.NewFileReader([]string{evPath}, fields, ingest.DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ev ingest.Event
	for {
		raw, dec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ev.Reset()
		if dec.Decode(raw.Data, &ev) != nil {
			continue
		}
		d.Observe(&ev)
	}
	d.Close()
	for _, br := range tailBreadth {
		f := brFamily[br]
		fmt.Printf("threshold %-18s base %.2f learned shift %+.2f (%.0f entity-days near it in %.0f days)\n",
			[...]string{"hour", "day", "cusum", "share", "request", "distinct"}[f], d.base[f], d.tailShift(f), d.tails[f].N, d.tails[f].Days)
	}
	fams := map[string][]float64{}
	for k, v := range benign {
		fams[k.fam] = append(fams[k.fam], v)
	}
	names := make([]string, 0, len(fams))
	for f := range fams {
		names = append(names, f)
	}
	slices.Sort(names)
	fmt.Printf("%-20s %8s", "family (entity-days)", "n")
	thrs := []float64{2, 3, 4, 5, 6, 7}
	for _, x := range thrs {
		fmt.Printf("  >%.0f(nom)      ", x)
	}
	fmt.Println()
	for _, f := range names {
		v := fams[f]
		fmt.Printf("%-20s %8d", f, len(v))
		for _, x := range thrs {
			n := 0
			for _, s := range v {
				if s >= x {
					n++
				}
			}
			fmt.Printf("  %5d(%7.3f)", n, float64(len(v))*pow10(-x))
		}
		fmt.Println()
	}
	// VIGIE_DIAG_TOP=family lists that family's largest benign scores
	// (VIGIE_DIAG_TOPN of them, default ten).
	if fam := os.Getenv("VIGIE_DIAG_TOP"); fam != "" {
		type top struct {
			k  key
			sc float64
		}
		var tops []top
		for k, v := range benign {
			if k.fam == fam {
				tops = append(tops, top{k, v})
			}
		}
		slices.SortFunc(tops, func(a, b top) int { return cmp.Compare(b.sc, a.sc) })
		n, err := strconv.Atoi(os.Getenv("VIGIE_DIAG_TOPN"))
		if err != nil || n <= 0 {
			n = 10
		}
		for _, t := range tops[:min(n, len(tops))] {
			e := &d.ents[t.k.ent]
			fmt.Printf("top %s %s %s day %s score %.2f\n", fam, e.Key, e.Role, time.UnixMilli(t.k.day*86400_000).UTC().Format(time.DateOnly), t.sc)
		}
	}
	ks := make([]string, 0, len(attack))
	for k := range attack {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	for _, k := range ks {
		fmt.Printf("%-45s %6.2f\n", k, attack[k])
	}
}

func pow10(x float64) float64 {
	r := 1.0
	for ; x < 0; x++ {
		r /= 10
	}
	return r
}
