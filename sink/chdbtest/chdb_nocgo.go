//go:build !cgo || !linux

package chdbtest

import "errors"

// DB is a chDB engine connection; without cgo on Linux none can be opened.
type DB struct{}

func open(string) (*DB, error) {
	return nil, errors.New("chdbtest needs cgo on linux to load libchdb.so")
}

// Query always fails: no engine is loaded in this build.
func (db *DB) Query(query, format string) (string, error) {
	return "", errors.New("chdbtest needs cgo on linux")
}
