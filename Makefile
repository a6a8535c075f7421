# keikaku: `make demo` sets everything up and shows a cross-city query; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/keikaku.duckdb
DEMO_SQL := SELECT indicator_key, municipality, municipality_code AS code, fiscal_year AS year, value, unit, document, page \
            FROM indicator_compare WHERE indicator_key LIKE 'tax_collection_rate%' AND kind = 'target' \
            ORDER BY indicator_key, municipality, year

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
	@echo
	@echo "Cross-city: the municipal-tax collection-rate targets, one key per KPI however each city printed it"
	$(BIN)/keikaku query "$(DEMO_SQL)" --db $(DB)
	@echo
	$(BIN)/keikaku search "ふるさと納税" --db $(DB)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_cities.py

clean:
	rm -rf $(VENV) data .pytest_cache
