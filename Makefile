# Two commands a newcomer needs: `make crawl` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: crawl test bench clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# `make crawl RECORD=output/warc` also writes the crawl as WARC files there.
crawl: $(BIN)/.installed
	rm -rf output/demo-state
	$(BIN)/scrapy crawlall -s REPLAY=tests/fixtures -s STATE_DIR=output/demo-state -O output/articles.jsonl:jsonlines \
		$(if $(RECORD),-s RECORD=$(RECORD))

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) output state
