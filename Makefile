# Vigie — run `make help` for the targets.
GO       ?= go
PKGS     ?= ./...
BENCHTIME ?= 1s
COUNT    ?= 1
FUZZTIME ?= 10s
BENCH    ?= .
BENCHPKGS ?= ./ingest/ ./detector/ ./sink/ ./cmd/vigie/
BENCHOUT ?= bin/bench.txt
BENCHTIMEOUT ?= 60m
OLD      ?= bin/bench-old.txt
BIN      := bin/vigie

.PHONY: help build test test-unit demo bench bench-compare fuzz lint dashboards-check soak clean deps

help: ## List the targets.
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z_-]+:.*## /{printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build bin/vigie.
	$(GO) build -o $(BIN) ./cmd/vigie

deps: ## Install clickhouse-server and kcat when missing, and fetch libchdb.so (current ClickHouse) into ~/.cache/vigie (the integration tests use them).
	./scripts/install-test-deps
	./sink/chdbtest/fetch-libchdb >/dev/null

test: deps lint ## Everything: vet, unit and integration tests (real ClickHouse, embedded Kafka, kcat), a short fuzz run.
	CI=$${CI:-true} $(GO) test -count=1 -timeout 20m $(PKGS)
	$(MAKE) fuzz FUZZTIME=5s

test-unit: ## Tests without installing anything (integration tests skip when servers are missing outside CI).
	$(GO) test -count=1 $(PKGS)

demo: build ## Generate a scenario, stream it through an embedded Kafka broker into the detector, print alerts and the evaluation.
	$(BIN) demo

bench: ## Benchmarks: decode, detector, sinks, replay of a generated month and live Kafka -> ClickHouse (docs/performance.md). BENCH=regexp, COUNT=6 for benchstat, results also in BENCHOUT.
	@mkdir -p $(dir $(BENCHOUT))
	bash -o pipefail -c "$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem -benchtime=$(BENCHTIME) -count=$(COUNT) -timeout=$(BENCHTIMEOUT) $(BENCHPKGS) | tee $(BENCHOUT)"

bench-compare: ## Compare BENCHOUT with an earlier run: make bench-compare OLD=before.txt (installs benchstat when missing).
	@command -v benchstat >/dev/null || $(GO) install golang.org/x/perf/cmd/benchstat@latest
	PATH="$$PATH:$$($(GO) env GOPATH)/bin" benchstat $(OLD) $(BENCHOUT)

fuzz: ## Run each decoder fuzz target for FUZZTIME (make fuzz FUZZTIME=5m for a long run).
	@for t in $$($(GO) test -list '^Fuzz' ./ingest/ | grep '^Fuzz'); do \
		echo "fuzz $$t"; $(GO) test -run='^$$' -fuzz="^$$t$$" -fuzztime=$(FUZZTIME) ./ingest/ || exit 1; \
	done

lint: ## gofmt and go vet.
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

dashboards-check: deps ## Run every dashboard query against a real ClickHouse.
	CI=$${CI:-true} $(GO) test -count=1 ./dashboards/

soak: deps ## A few minutes of mixed workload (disorder, late and bad lines, SIGKILLs, a one-minute ClickHouse outage) ending with a consistency check.
	CI=$${CI:-true} VIGIE_SOAK=long $(GO) test -count=1 -timeout 20m -run '^TestSoak$$' -v ./cmd/vigie/

clean: ## Remove build outputs.
	rm -rf bin
