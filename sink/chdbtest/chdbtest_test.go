package chdbtest

import (
	"strings"
	"testing"
)

func TestQuery(t *testing.T) {
	db := Open(t)
	out, err := db.Query("SELECT version(), 1 + 1", "TabSeparated")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(out)
	if len(fields) != 2 || !strings.HasPrefix(fields[0], "26.") || fields[1] != "2" {
		t.Errorf("output = %q, want a 26.x version and 2", out)
	}
	if _, err := db.Query("SELEC 1", "TabSeparated"); err == nil || !strings.Contains(err.Error(), "Syntax error") {
		t.Errorf("bad SQL: err = %v", err)
	}
}
