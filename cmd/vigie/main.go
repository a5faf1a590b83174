// Command vigie detects bulk extractions in data-access logs.
//
// Subcommands: replay (files → alerts), run (Kafka → alerts), demo, gen,
// eval, migrate, report. Every flag can also be set in a YAML file given with
// --config (same key as the flag name) or in the environment as
// VIGIE_<FLAG_NAME> (upper case, dashes as underscores). Precedence: flag,
// then environment, then config file, then default.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vigie:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "vigie",
		Short:         "Vigie detects bulk extractions in data-access logs",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("config", "", "YAML file whose keys are flag names")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		return applyConfig(cmd.Flags(), allFlagNames(cmd.Root()))
	}
	for _, sub := range subcommands {
		root.AddCommand(sub())
	}
	return root
}

// subcommands lists the constructors of every subcommand; each file adds its
// own in an init function so the subcommands stay independent.
var subcommands []func() *cobra.Command

// applyConfig fills every flag the user did not set on the command line,
// first from the environment (VIGIE_FLAG_NAME), then from the --config YAML.
// One file may serve several subcommands (replay and run share most keys),
// so a key is an error only when no subcommand has such a flag: a typo.
func applyConfig(flags *pflag.FlagSet, anyCommand map[string]bool) error {
	var file map[string]any
	if path, _ := flags.GetString("config"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading config: %w", err)
		}
		if err := yaml.Unmarshal(data, &file); err != nil {
			return fmt.Errorf("parsing config %s: %w", path, err)
		}
	}
	var errs []error
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed {
			return
		}
		env := "VIGIE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("environment %s: %w", env, err))
			}
			return
		}
		v, ok := file[f.Name]
		if !ok {
			return
		}
		for _, s := range configValues(v) {
			if err := f.Value.Set(s); err != nil {
				errs = append(errs, fmt.Errorf("config key %q: %w", f.Name, err))
			}
		}
	})
	for k := range file {
		if !anyCommand[k] {
			errs = append(errs, fmt.Errorf("config key %q: no command has such a flag", k))
		}
	}
	return errors.Join(errs...)
}

// allFlagNames returns the flag names of root and every subcommand.
func allFlagNames(root *cobra.Command) map[string]bool {
	names := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return names
}

// configValues renders a YAML value as the strings a flag accepts; a list
// sets a repeated or slice flag once per element.
func configValues(v any) []string {
	if list, ok := v.([]any); ok {
		out := make([]string, 0, len(list))
		for _, e := range list {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}
