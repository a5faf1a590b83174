package dashboards

import (
	"strings"
	"testing"
	"time"
)

func TestExpandMacros(t *testing.T) {
	tr := timeRange{
		From:     time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC), // 1700000000
		To:       time.Date(2023, 11, 14, 23, 13, 20, 0, time.UTC), // 1700003600
		Interval: 30 * time.Second,
	}
	for _, tc := range []struct {
		name, in, want, err string
	}{
		{"timeFilter", "WHERE $__timeFilter(fired_at)", "WHERE fired_at >= toDateTime(1700000000) AND fired_at <= toDateTime(1700003600)", ""},
		{"from and to", "x BETWEEN $__fromTime AND $__toTime", "x BETWEEN toDateTime(1700000000) AND toDateTime(1700003600)", ""},
		{"interval", "intDiv(toUInt32(t), $__interval_s) * $__interval_s", "intDiv(toUInt32(t), 30) * 30", ""},
		{"nested argument", "$__timeFilter(toDateTime(ts))", "toDateTime(ts) >= toDateTime(1700000000) AND toDateTime(ts) <= toDateTime(1700003600)", ""},
		{"dateFilter", "$__dateFilter(d)", "d >= toDate('2023-11-14') AND d <= toDate('2023-11-14')", ""},
		{"timeInterval stays unportable", "$__timeInterval(t)", "toStartOfInterval(toDateTime(t), INTERVAL 30 second)", ""},
		{"ms filter", "$__timeFilter_ms(t)", "t >= fromUnixTimestamp64Milli(1700000000000) AND t <= fromUnixTimestamp64Milli(1700003600000)", ""},
		{"unknown", "$__nope", "", "unknown macro $__nope"},
		{"arity", "$__timeFilter(a, b)", "", "expected 1 argument"},
		{"unbalanced", "$__timeFilter(a", "", "unbalanced"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := expandMacros(tc.in, tr)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("expandMacros(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestExpandVars(t *testing.T) {
	got, err := expandVars("entity = '${entity}' AND r = '$resolution' AND [[entity]] AND $__timeFilter(t)",
		map[string]string{"entity": "a.b", "resolution": "hour"})
	want := "entity = 'a.b' AND r = 'hour' AND a.b AND $__timeFilter(t)"
	if err != nil || got != want {
		t.Fatalf("expandVars = %q, %v; want %q", got, err, want)
	}
	if _, err := expandVars("x = '$missing'", nil); err == nil {
		t.Fatal("expandVars accepted an undefined variable")
	}
}
