package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
	"github.com/vigie/vigie/sink/chtest"
)

// helperEnv makes the test binary behave as the vigie command, so the
// reliability tests can SIGKILL a real process without building one.
const helperEnv = "VIGIETEST_HELPER_PROCESS"

// killAfterSnapshotEnv=N makes the helper SIGKILL itself right after its Nth
// snapshot holding records not yet committed, before committing them: a
// snapshot of a quiet stream, all of whose records are committed, would
// leave nothing for Kafka to re-deliver.
const killAfterSnapshotEnv = "VIGIETEST_KILL_AFTER_SNAPSHOT"

// TestReliabilityHelperProcess is not a test: it runs vigie with the
// arguments after "--" when started by vigieProcess.
func TestReliabilityHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process of the reliability tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	if v := os.Getenv(killAfterSnapshotEnv); v != "" {
		n, _ := strconv.Atoi(v)
		afterSnapshot = func(records bool) {
			if !records {
				return
			}
			if n--; n == 0 {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
		}
	}
	ctx, stop := signalContext()
	defer stop()
	root := newRootCmd()
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "vigie:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// vigieProcess is a vigie subprocess and its combined output.
type vigieProcess struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan error
}

// startVigie starts `vigie args...` as a child process, killed when the test
// ends.
func startVigie(tb testing.TB, args ...string) *vigieProcess {
	return startVigieEnv(tb, nil, args...)
}

// startVigieEnv is startVigie with extra environment variables.
func startVigieEnv(tb testing.TB, env []string, args ...string) *vigieProcess {
	tb.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestReliabilityHelperProcess$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), helperEnv+"=1"), env...)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting vigie: %v", err)
	}
	p := &vigieProcess{cmd: cmd, out: out, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	tb.Cleanup(func() { p.kill() })
	return p
}

// kill sends SIGKILL and waits for the process to exit.
func (p *vigieProcess) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(10 * time.Second):
	}
}

// wait waits up to timeout for a clean exit.
func (p *vigieProcess) wait(tb testing.TB, timeout time.Duration) {
	tb.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			tb.Fatalf("vigie exited with %v; output:\n%s", err, tailString(p.out.String(), 4000))
		}
	case <-time.After(timeout):
		p.kill()
		tb.Fatalf("vigie still running after %s; output:\n%s", timeout, tailString(p.out.String(), 4000))
	}
}

// exited reports whether the process has ended, without waiting.
func (p *vigieProcess) exited() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	default:
		return false
	}
}

func tailString(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// relScenario returns a small deterministic synthetic scenario, as lines.
func relScenario(tb testing.TB, accounts, days, disorder int) [][]byte {
	tb.Helper()
	cfg := synth.DefaultConfig()
	cfg.Accounts, cfg.Orgs, cfg.Days = accounts, max(4, accounts/12), days
	cfg.BulkRecords = 50_000
	cfg.Disorder = disorder
	var buf bytes.Buffer
	if _, err := synth.Generate(cfg, &buf); err != nil {
		tb.Fatalf("generating scenario: %v", err)
	}
	return bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
}

// relBroker starts an embedded Kafka broker with one single-partition
// topic, closed when the test ends.
func relBroker(tb testing.TB, topic string, partitions int) *ingest.EmbeddedBroker {
	tb.Helper()
	b, err := ingest.StartEmbeddedBroker(context.Background(), map[string]int{topic: partitions})
	if err != nil {
		tb.Fatalf("starting broker: %v", err)
	}
	tb.Cleanup(b.Close)
	return b
}

// relProduce writes lines to topic in order.
func relProduce(tb testing.TB, brokers []string, topic string, lines [][]byte) {
	tb.Helper()
	p := ingest.NewProducer(brokers, topic)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for len(lines) > 0 {
		n := min(len(lines), 5000)
		if err := p.Produce(ctx, nil, lines[:n]...); err != nil {
			tb.Fatalf("producing: %v", err)
		}
		lines = lines[n:]
	}
}

// runArgs are the flags of a deterministic `vigie run` for the tests: the
// wall clock never advances event time (idle-timeout far away), and the run
// ends once the topic has been quiet for exit-when-idle.
func runArgs(brokers []string, topic, group string, s *chtest.Server, db string, extra ...string) []string {
	args := []string{"run",
		"--brokers", strings.Join(brokers, ","), "--topic", topic, "--group", group,
		"--clickhouse", s.DSN(db), "--clickhouse-database", db, "--metrics-addr", "",
		"--idle-timeout", "1h", "--exit-when-idle", "2s", "--retry-max", "500ms",
		// A restart after SIGKILL waits for the group to drop the dead
		// member: keep that short (kfake's floor is 6s of session).
		"--kafka-session-timeout", "6s", "--kafka-rebalance-timeout", "2s",
		"--log-level", "info",
	}
	return append(args, extra...)
}

// tableDigest summarises a table read with FINAL: the sorted rows of query,
// one string each.
func queryRows(tb testing.TB, s *chtest.Server, db, query string) []string {
	tb.Helper()
	conn := s.Conn(tb, db)
	rows, err := conn.Query(context.Background(), query)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	cols := rows.ColumnTypes()
	for rows.Next() {
		vals := make([]any, len(cols))
		for i, c := range cols {
			vals[i] = newScanValue(c.ScanType())
		}
		if err := rows.Scan(vals...); err != nil {
			tb.Fatalf("scanning %s: %v", query, err)
		}
		var sb strings.Builder
		for i, v := range vals {
			if i > 0 {
				sb.WriteByte('|')
			}
			fmt.Fprint(&sb, deref(v))
		}
		out = append(out, sb.String())
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	sort.Strings(out)
	return out
}

// diffRows describes how got differs from want, "" when equal.
func diffRows(want, got []string) string {
	w := map[string]int{}
	for _, r := range want {
		w[r]++
	}
	for _, r := range got {
		w[r]--
	}
	var missing, extra []string
	for r, n := range w {
		for ; n > 0; n-- {
			missing = append(missing, r)
		}
		for ; n < 0; n++ {
			extra = append(extra, r)
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return fmt.Sprintf("%d rows missing, %d extra\nmissing: %.2000s\nextra: %.2000s", len(missing), len(extra),
		strings.Join(missing, "\n"), strings.Join(extra, "\n"))
}

func relStateDir(tb testing.TB) string { return filepath.Join(tb.TempDir(), "state") }

func newScanValue(t reflect.Type) any { return reflect.New(t).Interface() }

func deref(v any) any { return reflect.ValueOf(v).Elem().Interface() }

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
