# docrun's build, test and local-cluster targets. The first two commands of the
# README (`make demo`, `make test`) are the entry points for a fresh machine.

SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
export PATH := $(BIN):$(PATH)

.PHONY: all build image test test-real-node unit vet fmt fuzz bench demo screenshot corpus corpus-update cluster-up cluster-down cluster-tools

all: build

## build: compile bin/docrun
build:
	$(GO) build -o $(BIN)/docrun ./cmd/docrun

## image: docrun's own image, which docrun dispatch runs its pods with, into bin/images (the local
## registry's OCI layout) as docrun.dev/docrun:TAG, TAG being bin/docrun's version made a valid tag;
## pushed into the local registry too when the real node runs (tools/docrun-image.sh)
image: build
	@tag=$$($(BIN)/docrun version | sed 's/^docrun //' | tr -c 'A-Za-z0-9_.\n-' '-' | cut -c1-128); \
	bash tools/cluster.sh image "$$tag"

## vet: go vet on every package
vet:
	$(GO) vet ./...

## unit: the quick tests (no cluster), and the offline registry's and the API forwarder's (tools/node, a module of its own)
unit:
	$(GO) test ./...
	cd tools/node && $(GO) test ./registry/ ./apiforward/

## test: go vet, the corpus scoreboard (make corpus) and every test, including
## end-to-end tests on the local cluster (DOCRUN_E2E=1; the first e2e test starts
## the cluster, or reuses a healthy one, and leaves it running: `make
## cluster-down` stops it) and the scoreboard's regression test, on the
## simulated nodes (DOCRUN_CLUSTER=kwok: the committed scoreboard's cluster);
## then test-real-node
test: export DOCRUN_CLUSTER ?= kwok
test: vet cluster-tools corpus
	DOCRUN_E2E=1 $(GO) test -count=1 -timeout 40m ./...
	cd tools/node && $(GO) test -count=1 ./registry/ ./apiforward/
	$(MAKE) test-real-node

## test-real-node: add the real node to the local cluster and run the tests of
## real containers (runner/clustertest's TestRealNode*, TestOfflineImages,
## TestWaitsForContainer, TestContainerShellDir, docrun dispatch's TestDispatch*, the reference page's
## TestClientPrograms); they fail rather than skip when the
## node cannot start (DOCRUN_REQUIRE_REAL_NODE=1). Then remove the node and
## fail if the machine is not as it was before (DOCRUN_NODE_STRICT=1).
test-real-node: cluster-tools
	DOCRUN_CLUSTER=real bash tools/cluster.sh up >/dev/null
	DOCRUN_E2E=1 DOCRUN_REQUIRE_REAL_NODE=1 DOCRUN_CLUSTER=real $(GO) test -count=1 -timeout 20m \
		-run '^(TestRealNode.*|TestOfflineImages|TestWaitsForContainer|TestContainerShellDir|TestDispatch.*|TestClientPrograms)$$' ./runner/clustertest/ ./cmd/docrun/
	DOCRUN_NODE_STRICT=1 bash tools/cluster.sh node-down

## corpus: the corpus scoreboard: run every page of $(CORPUS)/pages.tsv on the
## local cluster (--offline --yes, -j 2, CORPUS_TIMEOUT a step; the cluster-scoped
## objects the pages leave are deleted), write the HTML report to out/corpus/ and
## the scoreboard to out/corpus/corpus.md, and print a line per page, the totals
## by class and the changes against docs/corpus.md. docrun's own output is in
## out/corpus/run.log. Skipped without the corpus.
CORPUS ?= ../shared/corpus
CORPUS_TIMEOUT ?= 60s
ifeq ($(wildcard $(CORPUS)/pages.tsv),)
corpus:
	@echo "corpus: $(CORPUS)/pages.tsv not found: no scoreboard"
else
corpus: export DOCRUN_CLUSTER ?= kwok
corpus: build cluster-up
	@rm -rf out/corpus && mkdir -p out/corpus
	@echo "corpus: running $$(($$(wc -l <$(CORPUS)/pages.tsv) - 1)) pages (docrun's output: out/corpus/run.log)"
	@start=$$SECONDS; KUBECONFIG=$(CURDIR)/.cluster/kubeconfig $(BIN)/docrun run --offline --yes -j 2 --cleanup-cluster-scoped \
		--timeout $(CORPUS_TIMEOUT) --html out/corpus --json out/corpus/result.json \
		$$(awk -F'\t' 'NR > 1 && $$1 != "" { print "$(CORPUS)/" $$1 }' $(CORPUS)/pages.tsv) \
		>out/corpus/run.log 2>&1; status=$$?; \
	echo "corpus: docrun exited $$status after $$((SECONDS - start))s"; \
	test -f out/corpus/result.json || { tail -20 out/corpus/run.log; exit 1; }
	$(GO) run ./internal/scoreboard/cmd -pages $(CORPUS)/pages.tsv -o out/corpus/corpus.md \
		-compare docs/corpus.md out/corpus/result.json
endif

## corpus-update: make the scoreboard of the last `make corpus` the committed one (docs/corpus.md)
corpus-update:
	cp out/corpus/corpus.md docs/corpus.md

## fuzz: run the fuzz tests (parsers, streaming redaction, page edits, drift alignment, dispatch logs) for FUZZTIME each
## (default 60s); FuzzParseRepeated parses repeated units, the shape of input
## that makes markdown parsers superlinear
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./markdown/shortcode -run '^$$' -fuzz FuzzLex -fuzztime $(FUZZTIME)
	$(GO) test ./markdown -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./markdown -run '^$$' -fuzz '^FuzzParseRepeated$$' -fuzztime $(FUZZTIME)
	$(GO) test ./markdown -run '^$$' -fuzz FuzzTranscript -fuzztime $(FUZZTIME)
	$(GO) test ./markdown -run '^$$' -fuzz FuzzManifestObjects -fuzztime $(FUZZTIME)
	$(GO) test ./render/html -run '^$$' -fuzz FuzzSafeURL -fuzztime $(FUZZTIME)
	$(GO) test ./runner/redact -run '^$$' -fuzz FuzzStream -fuzztime $(FUZZTIME)
	$(GO) test ./runner/redact -run '^$$' -fuzz FuzzString -fuzztime $(FUZZTIME)
	$(GO) test ./markdown/kubectl -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./authoring/update -run '^$$' -fuzz FuzzEdit -fuzztime $(FUZZTIME)
	$(GO) test ./markdown/kubectl/internal/gen -run '^$$' -fuzz FuzzParseAsKubectl -fuzztime $(FUZZTIME)
	$(GO) test ./drift -run '^$$' -fuzz FuzzAlign -fuzztime $(FUZZTIME)
	$(GO) test ./frontend/dispatch -run '^$$' -fuzz FuzzReadResult -fuzztime $(FUZZTIME)

## fmt: gofmt every file
fmt:
	gofmt -l -w .

## cluster-tools: build the local cluster's binaries and offline images missing from bin/ (versions
## pinned by tools/go.mod and tools/node/go.mod; the real node's parts too)
cluster-tools:
	bash tools/cluster.sh build

## cluster-up: start the local cluster "docrun" (or reuse a healthy one) with the real node
## that runs containers when the machine can run it, and print the KUBECONFIG export;
## DOCRUN_CLUSTER=kwok forces the simulated nodes only (README: Local cluster)
cluster-up: cluster-tools
	@bash tools/cluster.sh up

## cluster-down: stop every process of the local cluster (the real node's too), remove its state
## (.cluster/) and restore what the real node changed on the machine
cluster-down:
	bash tools/cluster.sh down

## bench: benchmarks: a page of 200 trivial steps through the runner and the
## session against one bash script (docrun's per-step overhead); the reference
## page's Go step from docrun's warm cache against `go run` in a warm module, and
## its first build (on the local cluster, which it starts); the HTML report of
## the 41 corpus pages, not run, against goldmark alone, with the cache of
## highlighted blocks empty (cold) and re-rendered unchanged (warm), in wall
## and CPU time (skipped without ../shared); the shortcode lexer on large pages; the write of a corpus page
## to its updated HTML in docrun watch and in docrun serve (debounce included);
## 20 one-step pages with -j 1 on the local cluster (docrun's cost per page)
bench: cluster-tools
	$(GO) test -run '^$$' -bench . -benchtime 20x ./runner/ ./runner/session/
	DOCRUN_E2E=1 $(GO) test -run '^$$' -bench . -benchtime 10x ./runner/gostep/
	DOCRUN_E2E=1 $(GO) test -run '^$$' -bench BenchmarkPages20 -benchtime 3x ./runner/
	$(GO) test -run '^$$' -bench . -benchtime 20x ./render/html/ ./markdown/shortcode/ ./frontend/watch/ ./frontend/serve/

## demo: build docrun, start the local cluster, run the project's pages (and the reference page when ../shared is there)
REFERENCE_PAGE := ../shared/corpus/content/ja/docs/tasks/administer-cluster/access-cluster-api.md
## The report is written even when a step fails; docrun's own exit status is
## printed, and demo fails only when no report was written.
demo: build cluster-up
	@rm -rf out/report
	@KUBECONFIG=$(CURDIR)/.cluster/kubeconfig $(BIN)/docrun run --offline --yes --html out/report \
		content $(wildcard $(REFERENCE_PAGE)); status=$$?; echo; \
	if [ -f out/report/index.html ]; then \
		echo "demo: docrun exited $$status; the report: $(CURDIR)/out/report/index.html"; \
	else echo "demo: no report was written (docrun exited $$status)"; exit 1; fi

## screenshot: run the browser tests of the reference page's report and of docrun
## serve and save their screenshots as docs/report.png and docs/serve.png (the
## README's; needs ../shared, chromium and, for the Japanese page, a CJK font
## such as Debian's fonts-ipafont-gothic)
screenshot: cluster-tools
	mkdir -p docs
	DOCRUN_E2E=1 DOCRUN_SCREENSHOT=$(CURDIR)/docs/report.png DOCRUN_SERVE_SCREENSHOT=$(CURDIR)/docs/serve.png \
		$(GO) test -count=1 -run 'TestReportInChromium|TestServeInChromium' ./cmd/docrun/
