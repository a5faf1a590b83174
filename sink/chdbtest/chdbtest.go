// Package chdbtest runs SQL on a current ClickHouse release inside the test
// process, through libchdb.so (ClickHouse as a library), so that tests can
// check that the statements Vigie sends parse and run on the newest servers,
// not only on the 18.16 server of sink/chtest.
//
// The library is large (~560 MB) and never committed: fetch-libchdb (run by
// `make deps`) puts it in $HOME/.cache/vigie/chdb-VERSION/, and VIGIE_LIBCHDB
// may name another copy. A missing library is a failure under CI (CI set)
// and a skip elsewhere.
package chdbtest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Version is the chDB release that fetch-libchdb installs.
const Version = "26.5.3"

// LibraryPath is where the library is looked for: VIGIE_LIBCHDB, else the
// cache that fetch-libchdb fills.
func LibraryPath() string {
	if p := os.Getenv("VIGIE_LIBCHDB"); p != "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "vigie", "chdb-"+Version, "libchdb.so")
}

var (
	once    sync.Once
	shared  *DB
	openErr error
)

// Open returns the process's chDB engine, loading the library on first use.
// The engine lives until the process exits; tests isolate themselves by
// using databases of their own.
func Open(tb testing.TB) *DB {
	tb.Helper()
	once.Do(func() { shared, openErr = open(LibraryPath()) })
	if openErr != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("chdb: %v (run sink/chdbtest/fetch-libchdb)", openErr)
		}
		tb.Skipf("chdb not available: %v (run sink/chdbtest/fetch-libchdb)", openErr)
	}
	return shared
}

// engineDir makes a fresh directory for this process's engine under
// $TMPDIR/vigie-chdb, first removing the directories that earlier test
// processes left there more than an hour ago (the engine cannot be shut
// down and its directory removed before the process exits).
func engineDir() (string, error) {
	root := filepath.Join(os.TempDir(), "vigie-chdb")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	if entries, err := os.ReadDir(root); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
				_ = os.RemoveAll(filepath.Join(root, e.Name()))
			}
		}
	}
	return os.MkdirTemp(root, "engine-")
}
