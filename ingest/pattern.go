package ingest

import (
	"errors"
	"fmt"
	"regexp"
)

// Text logs. An application that writes sentences (a Log4j or Logback
// pattern layout, "2025-11-13 07:03:43,996 INFO [exec-7] JournalAcces
// [598641fb|jdupont|CAF-094] Recherche : 12 résultat(s)") has no field
// names to infer. --line-pattern gives a regular expression (Go's RE2
// syntax) whose named groups are the line's fields, matched against the
// field map's names as any other log's keys are, and sampled for the
// inference too:
//
//	^(?P<ts>\S+ \S+) +\w+ +\[[^]]*\] \S+ \[[^|]*\|(?P<user>[^|]*)\|(?P<structure>[^]]*)\] (?:.*: (?P<records>[\d  ]+) résultat)?
//
// A line the expression does not match is an unmatched_line dead letter;
// a group that matched nothing is an absent field (records then count 1).

// compilePattern compiles a --line-pattern, which must name at least one
// group.
func compilePattern(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("--line-pattern: %w", err)
	}
	named := false
	for _, n := range re.SubexpNames() {
		named = named || n != ""
	}
	if !named {
		return nil, fmt.Errorf("--line-pattern %q: no named group ((?P<account>...))", p)
	}
	return re, nil
}

// patternPairs returns the pair reader of re: each named group that
// matched, by its name.
func patternPairs(re *regexp.Regexp) func(line []byte, pair func(key, val []byte, esc bool)) error {
	names := re.SubexpNames()
	keys := make([][]byte, len(names))
	for i, n := range names {
		keys[i] = []byte(n)
	}
	return func(line []byte, pair func(key, val []byte, esc bool)) error {
		loc := re.FindSubmatchIndex(line)
		if loc == nil {
			return errNoMatch
		}
		for g := 1; g < len(names); g++ {
			if names[g] != "" && loc[2*g] >= 0 && loc[2*g+1] > loc[2*g] {
				pair(keys[g], line[loc[2*g]:loc[2*g+1]], false)
			}
		}
		return nil
	}
}

var errNoMatch = errors.New("the line does not match --line-pattern")
