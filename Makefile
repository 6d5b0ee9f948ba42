# Two commands a newcomer needs: `make crawl` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: crawl test bench eval clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# `make crawl RECORD=output/warc` also writes the crawl as WARC files there.
# Attachments go to output/files/full/<sha256>.<ext>, their text (PDF, DOCX) to attachments[].text.
crawl: $(BIN)/.installed
	rm -rf output/demo-state
	$(BIN)/scrapy crawlall -s REPLAY=tests/fixtures -s STATE_DIR=output/demo-state -s FILES_STORE=output/files -s ATTACHMENT_TEXT=True \
		-O output/articles.jsonl:jsonlines \
		$(if $(RECORD),-s RECORD=$(RECORD))

# Tests run in TEST_WORKERS processes (pytest-xdist; idle ones take queued tests from busy
# ones): most of the suite's time is crawl subprocesses waiting on loopback servers and delays,
# so 4 on 2 cores (10.5 min, against 18 min in one process and 12.5 min one file a process).
TEST_WORKERS ?= 4
test: $(BIN)/.installed
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal

# GNE and trafilatura, measured against, live in a benchmark environment of their own.
BENCH_VENV := .venv-bench
BENCH_BIN := $(BENCH_VENV)/bin
CORPUS ?= $(wildcard ../shared/realpages)

# It sees .venv's packages through a .pth file and installs only the extras, pinned, without
# resolving again what .venv holds: seconds, not the minutes of reinstalling every pin.
SITE_PACKAGES = $(1)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
$(BENCH_BIN)/.installed: $(BIN)/.installed benchmarks/requirements-eval.txt
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(call SITE_PACKAGES,$(abspath $(BIN))) > "$$($(call SITE_PACKAGES,$(BENCH_BIN)))/govnews-project.pth"
	$(BENCH_BIN)/pip install --quiet --disable-pip-version-check --no-deps -r benchmarks/requirements-eval.txt
	$(BENCH_BIN)/pip check --disable-pip-version-check
	touch $@

# Timing on CORPUS (the project's own layout pages when none is given), then dedupe.
bench: $(BENCH_BIN)/.installed
	$(BENCH_BIN)/python -m benchmarks --corpus $(or $(CORPUS),tests/layouts)

eval: $(BENCH_BIN)/.installed
	$(if $(CORPUS),,$(error no corpus: make eval CORPUS=DIR (pages/<key>.html + golds.json)))
	$(BENCH_BIN)/python -m benchmarks.eval --corpus $(CORPUS) --out output/eval.json

# Only what `make crawl`, `make test` and `make bench`/`eval` made: a user's state/ and output/ files stay.
clean:
	rm -rf $(VENV) $(BENCH_VENV) output/demo-state output/articles.jsonl output/eval.json .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
