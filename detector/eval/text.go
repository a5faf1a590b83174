package eval

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// maxListed bounds the entities printed per line of the text report; the
// JSON output has them all.
const maxListed = 5

// WriteText writes the report for people: one row per attack, the benign
// traps that drew alerts, the false alerts, then the one-line summary.
func (r *Result) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ATTACK\tSHAPE\tACCOUNTS\tSTART\tRECORDS\tDETECTED\tDELAY\tTAKEN BEFORE ALERT\tFIRST ALERT")
	for _, a := range r.Attacks {
		detected, delay, first := "MISSED", "-", "-"
		if a.Detected {
			detected = "yes"
			delay = FormatDelay(a.Delay)
			first = a.FirstAlert.Detector + " on " + a.FirstAlert.EntityType + " " + a.FirstAlert.Entity
		}
		taken := "-"
		if a.RecordsBeforeAlert >= 0 {
			taken = strconv.FormatInt(a.RecordsBeforeAlert, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\n", a.ID, a.Shape, len(a.Accounts),
			a.Start.Format(time.DateTime), a.Records, detected, delay, taken, first)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "BENIGN TRAP\tTRAPS\tALERTED\tENTITY-DAYS\tENTITIES")
	for _, b := range r.Benign {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", b.Kind, b.Traps, b.Alerted, b.Pairs, list(b.Entities))
	}
	fmt.Fprintln(tw)
	if len(r.FalseAlerts) > 0 {
		fmt.Fprintln(tw, "FALSE ALERT DAY\tENTITY\tALERTS\tDETECTORS\tBENIGN TRAP")
		for i, f := range r.FalseAlerts {
			if i == 20 {
				fmt.Fprintf(tw, "... and %d more\t\t\t\t\n", len(r.FalseAlerts)-i)
				break
			}
			fmt.Fprintf(tw, "%s\t%s %s\t%d\t%s\t%s\n", f.Day, f.EntityType, f.Entity, f.Alerts,
				strings.Join(f.Detectors, ","), list(f.Benign))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	if _, err := fmt.Fprintln(w, r.Summary); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

func list(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	if len(s) > maxListed {
		return strings.Join(s[:maxListed], ",") + ",... (" + strconv.Itoa(len(s)) + ")"
	}
	return strings.Join(s, ",")
}
