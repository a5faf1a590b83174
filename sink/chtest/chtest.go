// Package chtest gives tests a real ClickHouse server: the one named by
// VIGIE_TEST_CLICKHOUSE (a native-protocol address such as 127.0.0.1:9000,
// as `make test` exports), or else a throwaway clickhouse-server started on
// free ports in a temporary directory and killed when the test process exits.
//
// A missing server is a failure under CI (CI=true) and a skip elsewhere, so a
// developer without clickhouse-server can still run the unit tests while CI
// never silently skips integration tests.
package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Server is a running ClickHouse reachable over the native protocol.
type Server struct {
	// Addr is host:port of the native protocol.
	Addr string
	// HTTPAddr is host:port of the HTTP interface ("" when not known).
	HTTPAddr string
}

var (
	once    sync.Once
	shared  *Server
	initErr error
)

// Start returns the shared server, starting one if needed.
func Start(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() { shared, initErr = start() })
	if initErr != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("clickhouse: %v", initErr)
		}
		tb.Skipf("clickhouse not available: %v", initErr)
	}
	return shared
}

// DSN returns a clickhouse:// DSN for database db.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("clickhouse://%s/%s?dial_timeout=5s", s.Addr, db)
}

// NewDatabase creates a database with a unique name, dropped when the test
// ends, and returns its name.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "test_" + hex.EncodeToString(b[:])
	conn := s.Conn(tb, "default")
	ctx := context.Background()
	if err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		tb.Fatalf("creating database %s: %v", db, err)
	}
	tb.Cleanup(func() { _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db) })
	return db
}

// Conn opens a native connection to database db, closed when the test ends.
func (s *Server) Conn(tb testing.TB, db string) clickhouse.Conn {
	tb.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{s.Addr},
		Auth:        clickhouse.Auth{Database: db, Username: "default"},
		DialTimeout: 5 * time.Second,
	})
	if err != nil {
		tb.Fatalf("opening clickhouse: %v", err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	return conn
}

func start() (*Server, error) {
	if addr := os.Getenv("VIGIE_TEST_CLICKHOUSE"); addr != "" {
		s := &Server{Addr: addr}
		return s, waitReady(s, 30*time.Second)
	}
	bin, err := exec.LookPath("clickhouse-server")
	if err != nil {
		return nil, fmt.Errorf("clickhouse-server not installed (make test installs it): %w", err)
	}
	s, _, err := Launch(bin)
	return s, err
}

// Launch starts clickhouse-server in a new temporary directory on free ports.
// The server dies with the calling process. The returned function stops it
// and removes its directory.
func Launch(bin string) (*Server, func(), error) {
	dir, err := os.MkdirTemp("", "vigie-clickhouse-")
	if err != nil {
		return nil, nil, err
	}
	tcp, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	http, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	for _, sub := range []string{"tmp", "uf", "fs"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, nil, err
		}
	}
	cmd := exec.Command(bin, "--config-file=/etc/clickhouse-server/config.xml", "--",
		"--path="+dir+"/", "--tmp_path="+dir+"/tmp/", "--user_files_path="+dir+"/uf/",
		"--format_schema_path="+dir+"/fs/",
		fmt.Sprintf("--tcp_port=%d", tcp), fmt.Sprintf("--http_port=%d", http),
		"--logger.log="+dir+"/log", "--logger.errorlog="+dir+"/err",
		"--listen_host=127.0.0.1", "--mysql_port=0", "--interserver_http_port=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("starting clickhouse-server: %w", err)
	}
	s := &Server{Addr: fmt.Sprintf("127.0.0.1:%d", tcp), HTTPAddr: fmt.Sprintf("127.0.0.1:%d", http)}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	if err := waitReady(s, 60*time.Second); err != nil {
		errLog, _ := os.ReadFile(filepath.Join(dir, "err"))
		stop()
		return nil, nil, fmt.Errorf("%w; server log: %s", err, tail(errLog, 2000))
	}
	return s, stop, nil
}

func waitReady(s *Server, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{s.Addr}, DialTimeout: time.Second})
		if err == nil {
			err = conn.Ping(context.Background())
			_ = conn.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("clickhouse at %s not ready after %s: %w", s.Addr, timeout, last)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
