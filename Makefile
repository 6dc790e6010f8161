# llm-map lab: the two commands are `make lab` and `make test`; both install what is missing.

SHELL := /bin/bash
export GOEXPERIMENT := simd
# go.mod needs Go 1.27.3; the go command fetches that toolchain from the module proxy (about 10 s
# once), so a machine with only Go 1.26 runs both commands.
export GOTOOLCHAIN := go1.27.3
export GOFLAGS ?= -buildvcs=false
DATA_DIR ?= $(abspath ../shared/data)
export LMKIT_DATA_DIR ?= $(DATA_DIR)
LAB_PORT ?= 8888
GO_TEST_FLAGS ?= -count=1 -timeout 20m

.PHONY: lab lab-setup test deps go-test notebooks notebooks-test check-notebooks e2e docker-test xla build doctor fuzz clean

## lab: install what is missing, then start Jupyter on 127.0.0.1:$(LAB_PORT) with a token
lab: lab-setup
	LAB_PORT=$(LAB_PORT) bash kernel-setup/lab.sh

## lab-setup: Jupyter (apt if needed), GoNB, gopls, goimports; the kernel "gonb" wired to this checkout
lab-setup: deps
	bash kernel-setup/install.sh

## test: install what is missing, run every Go test, execute every notebook, drive the lab in a browser
test: deps go-test check-notebooks notebooks-test e2e docker-test

## deps: the C compiler cgo needs (GoMLX's backends), WordNet (the wordnet corpus), the Go modules
deps:
	@command -v gcc >/dev/null || { echo "make: installing gcc (cgo needs it)"; \
	  $$( [ $$(id -u) -eq 0 ] || echo sudo ) apt-get install -y --no-install-recommends gcc libc6-dev; }
	@test -f /usr/share/wordnet/data.noun || { echo "make: installing wordnet-base (the wordnet corpus: WordNet 3.0's glosses)"; \
	  apt="$$( [ $$(id -u) -eq 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q"; \
	  $$apt install -y --no-install-recommends wordnet-base || { $$apt update && $$apt install -y --no-install-recommends wordnet-base; } || exit 1; }
	go mod download

go-test:
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	LMKIT_REQUIRE_DATA=1 go test $(GO_TEST_FLAGS) $$(go list ./... | grep -v -e '/e2e$$' -e '/docker$$')

## check-notebooks: every committed notebook carries outputs of a clean run
check-notebooks:
	python3 kernel-setup/check-outputs.py

## notebooks-test: execute every notebook headless in quick mode; fails on any cell error
notebooks-test: lab-setup
	bash kernel-setup/run-notebooks.sh --quick

## notebooks: execute every notebook in full and write the outputs back (for commits)
notebooks: lab-setup
	bash kernel-setup/run-notebooks.sh --inplace

## e2e: lab.sh (port, token, loopback), a broken notebook through the runner, and 00_start_here
## run in headless Chromium (installed with apt if missing); screenshot in out/e2e/
e2e: lab-setup
	@command -v chromium >/dev/null || { echo "make: installing chromium (the browser test drives it headless)"; \
	  apt="$$( [ $$(id -u) -eq 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q"; \
	  $$apt install -y --no-install-recommends chromium || { $$apt update && $$apt install -y --no-install-recommends chromium; } || exit 1; }
	LMKIT_REQUIRE_LAB=1 go test -count=1 -timeout 15m -v ./e2e/

## docker-test: build the image (docker/Dockerfile), start the lab with compose, run 00_start_here in it;
## skipped, saying why, where no Docker engine answers (LMKIT_REQUIRE_DOCKER=1 makes that a failure)
docker-test:
	go test -count=1 -timeout 60m -v ./docker/

## build: the lmkit command line into bin/
build:
	go build -o bin/lmkit ./cmd/lmkit

## xla: download the XLA CPU plugin (and CUDA's where a GPU is present); needs internet
xla:
	go run ./cmd/lmkit backend -install-xla

doctor:
	bash kernel-setup/doctor.sh

## fuzz: run each fuzz target for a while: the tokenizers, the checkpoint reader, the TSV reader
FUZZTIME ?= 30s
fuzz:
	for f in FuzzRuneRoundTrip FuzzBPERoundTrip FuzzWordSplit; do go test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./lmkit/text/ || exit 1; done
	go test -run '^$$' -fuzz '^FuzzCheckpointReader$$' -fuzztime $(FUZZTIME) ./lmkit/runfolder/
	go test -run '^$$' -fuzz '^FuzzReadLabeledTSV$$' -fuzztime $(FUZZTIME) ./lmkit/data/

clean:
	rm -rf bin .tools
