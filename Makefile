# keikaku: `make demo` sets everything up and shows a cross-city query; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/keikaku.duckdb
DEMO_SQL := SELECT municipality, fiscal_year, kind, value, unit, coalesce(indicator, measure) AS what \
            FROM observations WHERE (measure LIKE '%収納率%' OR indicator LIKE '%収納率%') AND unit = '%' \
            ORDER BY municipality, fiscal_year, kind, what

.PHONY: install demo test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/keikaku ingest samples/pdf --db $(DB)
	$(BIN)/keikaku documents --db $(DB)
	@echo
	@echo "Cross-city: every 収納率 (collection rate) figure, however each city printed it"
	$(BIN)/keikaku query "$(DEMO_SQL)" --db $(DB)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) data .pytest_cache
