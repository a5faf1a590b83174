package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigPrecedence checks flag > environment > config file > default,
// that one file can hold keys of other subcommands, and that a key no
// command knows is refused.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vigie.yaml")
	if err := os.WriteFile(cfg, []byte("min-score: 3\nquiet-period: 2h\nalert-budget: 7/day\nbrokers: [a:9092, b:9092]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VIGIE_QUIET_PERIOD", "5h")
	cmd := newRootCmd()
	replay, _, err := cmd.Find([]string{"replay"})
	if err != nil {
		t.Fatal(err)
	}
	fs := replay.Flags()
	fs.AddFlagSet(cmd.PersistentFlags())
	if err := fs.Parse([]string{"--config", cfg, "--alert-budget", "2/day"}); err != nil {
		t.Fatal(err)
	}
	if err := applyConfig(fs, allFlagNames(cmd)); err != nil {
		t.Fatalf("a file with another command's key (brokers) was refused: %v", err)
	}
	for flag, want := range map[string]string{"alert-budget": "2/day", "quiet-period": "5h0m0s", "min-score": "3"} {
		if got := fs.Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}

	if err := os.WriteFile(cfg, []byte("min-scroe: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd = newRootCmd()
	replay, _, _ = cmd.Find([]string{"replay"})
	fs = replay.Flags()
	fs.AddFlagSet(cmd.PersistentFlags())
	if err := fs.Parse([]string{"--config", cfg}); err != nil {
		t.Fatal(err)
	}
	if err := applyConfig(fs, allFlagNames(cmd)); err == nil || !strings.Contains(err.Error(), "min-scroe") {
		t.Fatalf("a misspelt key: got %v, want an error naming it", err)
	}
}
