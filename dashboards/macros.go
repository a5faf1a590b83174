package dashboards

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// timeRange is the dashboard time range and interval a query is expanded
// for.
type timeRange struct {
	From, To time.Time
	Interval time.Duration
}

// expandMacros rewrites the grafana-clickhouse-datasource macros in sql the
// way the plugin's backend does (pkg/macros/macros.go): times become
// toDateTime(<unix seconds>), $__interval_s the interval in whole seconds
// (at least 1). Macros that need DateTime64 or toStartOfInterval are
// expanded too, faithfully, so that a dashboard using them fails on
// ClickHouse 18.16 as it would in production.
func expandMacros(sql string, tr timeRange) (string, error) {
	var out strings.Builder
	for {
		i := strings.Index(sql, "$__")
		if i < 0 {
			out.WriteString(sql)
			return out.String(), nil
		}
		out.WriteString(sql[:i])
		rest := sql[i+3:]
		n := 0
		for n < len(rest) && (rest[n] == '_' || rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= '0' && rest[n] <= '9') {
			n++
		}
		name := rest[:n]
		rest = rest[n:]
		var args []string
		if strings.HasPrefix(rest, "(") {
			end, err := closingParen(rest)
			if err != nil {
				return "", fmt.Errorf("macro $__%s: %w", name, err)
			}
			args = splitArgs(rest[1:end])
			rest = rest[end+1:]
		}
		exp, err := expandMacro(name, args, tr)
		if err != nil {
			return "", err
		}
		out.WriteString(exp)
		sql = rest
	}
}

func expandMacro(name string, args []string, tr timeRange) (string, error) {
	from, to := tr.From.Unix(), tr.To.Unix()
	dt := func(s int64) string { return fmt.Sprintf("toDateTime(%d)", s) }
	dt64 := func(t time.Time) string { return fmt.Sprintf("fromUnixTimestamp64Milli(%d)", t.UnixMilli()) }
	want := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("macro $__%s: expected %d argument(s), received %d", name, n, len(args))
		}
		return nil
	}
	seconds := int(max(tr.Interval.Seconds(), 1))
	switch name {
	case "fromTime":
		return dt(from), nil
	case "toTime":
		return dt(to), nil
	case "fromTime_ms":
		return dt64(tr.From), nil
	case "toTime_ms":
		return dt64(tr.To), nil
	case "interval_s":
		return strconv.Itoa(seconds), nil
	case "timeFilter":
		if err := want(1); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s >= %s AND %s <= %s", args[0], dt(from), args[0], dt(to)), nil
	case "timeFilter_ms":
		if err := want(1); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s >= %s AND %s <= %s", args[0], dt64(tr.From), args[0], dt64(tr.To)), nil
	case "dateFilter":
		if err := want(1); err != nil {
			return "", err
		}
		d := func(t time.Time) string { return "toDate('" + t.UTC().Format("2006-01-02") + "')" }
		return fmt.Sprintf("%s >= %s AND %s <= %s", args[0], d(tr.From), args[0], d(tr.To)), nil
	case "dateTimeFilter", "dt":
		if err := want(2); err != nil {
			return "", err
		}
		d := func(t time.Time) string { return "toDate('" + t.UTC().Format("2006-01-02") + "')" }
		return fmt.Sprintf("(%s >= %s AND %s <= %s) AND (%s >= %s AND %s <= %s)",
			args[0], d(tr.From), args[0], d(tr.To), args[1], dt(from), args[1], dt(to)), nil
	case "timeInterval":
		if err := want(1); err != nil {
			return "", err
		}
		return fmt.Sprintf("toStartOfInterval(toDateTime(%s), INTERVAL %d second)", args[0], seconds), nil
	case "timeInterval_ms":
		if err := want(1); err != nil {
			return "", err
		}
		ms := max(tr.Interval.Milliseconds(), 1)
		return fmt.Sprintf("toStartOfInterval(toDateTime64(%s, 3), INTERVAL %d millisecond)", args[0], ms), nil
	}
	return "", fmt.Errorf("unknown macro $__%s", name)
}

// closingParen returns the index of the parenthesis closing s[0].
func closingParen(s string) (int, error) {
	depth := 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unbalanced parentheses in %q", s)
}

// splitArgs splits macro arguments on top-level commas.
func splitArgs(s string) []string {
	var args []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(args, strings.TrimSpace(s[start:]))
}

// templateVar matches Grafana variable references: $name, ${name},
// ${name:format} and the deprecated [[name]].
var templateVar = regexp.MustCompile(`\$\{([A-Za-z0-9_.]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]`)

// varRefs returns the variable names referenced in s, without the macros of
// the ClickHouse plugin (which templateVar also matches as $__name).
func varRefs(s string) []string {
	var names []string
	for _, m := range templateVar.FindAllStringSubmatch(s, -1) {
		name := m[1] + m[2] + m[3]
		names = append(names, name)
	}
	return names
}

// expandVars replaces Grafana variable references by their values, as
// Grafana does before sending the query to the plugin (single values are
// inserted raw).
func expandVars(s string, vals map[string]string) (string, error) {
	var err error
	out := templateVar.ReplaceAllStringFunc(s, func(ref string) string {
		m := templateVar.FindStringSubmatch(ref)
		name := m[1] + m[2] + m[3]
		if strings.HasPrefix(name, "__") {
			return ref // a plugin macro, expanded later
		}
		v, ok := vals[name]
		if !ok {
			err = fmt.Errorf("no value for variable %s", name)
		}
		return v
	})
	return out, err
}
