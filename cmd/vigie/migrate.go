package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigie/vigie/sink"
)

func init() { subcommands = append(subcommands, newMigrateCmd) }

// newMigrateCmd creates or upgrades Vigie's ClickHouse schema. Running it
// again is harmless: it only adds what is missing.
func newMigrateCmd() *cobra.Command {
	var cfg sink.ClickHouseConfig
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade Vigie's tables in ClickHouse",
		Long: `migrate creates the ClickHouse database and the alerts, incidents, windows
and dead_letters tables when missing, and adds the columns that tables made
by an older Vigie lack. It never drops or changes existing data, so it is
safe to run at every deployment. Newer servers get LowCardinality columns
and a retention TTL on dead_letters; 18.16 gets the portable subset.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			resolveClickHouseDSN(&cfg)
			if err := cfg.Validate(); err != nil {
				return err
			}
			ctx := cmd.Context()
			ch, err := sink.OpenClickHouse(ctx, cfg)
			if err != nil {
				return err
			}
			defer ch.Close()
			if err := ch.Migrate(ctx); err != nil {
				return err
			}
			v := ch.Version()
			fmt.Fprintf(cmd.OutOrStdout(), "migrated database %s on ClickHouse %s (LowCardinality: %v, dead letter TTL: %v)\n",
				ch.Database(), v, v.LowCardinality(), v.TTL() && cfg.DeadLetterTTLDays > 0)
			return nil
		},
	}
	cfg.RegisterFlags(cmd.Flags())
	return cmd
}

// resolveClickHouseDSN falls back on VIGIE_CLICKHOUSE_DSN when neither
// --clickhouse nor VIGIE_CLICKHOUSE (the automatic name) set a DSN: the
// longer name is the one deployment files tend to use.
func resolveClickHouseDSN(cfg *sink.ClickHouseConfig) {
	if cfg.DSN == "" {
		cfg.DSN = os.Getenv("VIGIE_CLICKHOUSE_DSN")
	}
}
