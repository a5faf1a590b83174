package chtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Restartable is a throwaway clickhouse-server that a test can stop (an
// outage) and start again on the same ports and data directory, so the
// data written before the outage is still there after it.
type Restartable struct {
	Server
	bin       string
	dir       string
	tcp, http int
	cmd       *exec.Cmd
}

// LaunchRestartable starts clickhouse-server (bin) in a new temporary
// directory on free ports. Close stops it and removes the directory.
func LaunchRestartable(bin string) (*Restartable, error) {
	dir, err := os.MkdirTemp("", "vigie-clickhouse-")
	if err != nil {
		return nil, err
	}
	r := &Restartable{bin: bin, dir: dir}
	if r.tcp, err = freePort(); err != nil {
		return nil, err
	}
	if r.http, err = freePort(); err != nil {
		return nil, err
	}
	for _, sub := range []string{"tmp", "uf", "fs"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	r.Addr = fmt.Sprintf("127.0.0.1:%d", r.tcp)
	r.HTTPAddr = fmt.Sprintf("127.0.0.1:%d", r.http)
	if err := r.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return r, nil
}

// Start starts the server again after Stop and waits until it answers.
func (r *Restartable) Start() error {
	if r.cmd != nil {
		return nil
	}
	d := r.dir
	cmd := exec.Command(r.bin, "--config-file=/etc/clickhouse-server/config.xml", "--",
		"--path="+d+"/", "--tmp_path="+d+"/tmp/", "--user_files_path="+d+"/uf/",
		"--format_schema_path="+d+"/fs/",
		fmt.Sprintf("--tcp_port=%d", r.tcp), fmt.Sprintf("--http_port=%d", r.http),
		"--logger.log="+d+"/log", "--logger.errorlog="+d+"/err",
		"--listen_host=127.0.0.1", "--mysql_port=0", "--interserver_http_port=0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting clickhouse-server: %w", err)
	}
	r.cmd = cmd
	if err := waitReady(&r.Server, 60*time.Second); err != nil {
		errLog, _ := os.ReadFile(filepath.Join(d, "err"))
		r.Stop()
		return fmt.Errorf("%w; server log: %s", err, tail(errLog, 2000))
	}
	return nil
}

// Stop kills the server (SIGKILL: an outage, not a maintenance) and waits
// for it to exit. Its data directory is kept for Start.
func (r *Restartable) Stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// Close stops the server and removes its directory. It is safe to call
// twice.
func (r *Restartable) Close() {
	r.Stop()
	if r.dir != "" {
		_ = os.RemoveAll(r.dir)
		r.dir = ""
	}
}
