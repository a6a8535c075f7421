# keikaku: `make demo` sets everything up and shows a cross-city query; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/keikaku.duckdb
DEMO_SQL := SELECT indicator_key, municipality, municipality_code AS code, fiscal_year AS year, value, unit, document, page \
            FROM indicator_compare WHERE indicator_key LIKE 'tax_collection_rate%' AND kind = 'target' \
            ORDER BY indicator_key, municipality, year

.PHONY: install browser demo test bench clean

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

# The review report's tests drive Debian's chromium through chromedriver (never a downloaded browser).
# As root with apt, install them; otherwise, or if apt fails, those tests skip and say why.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and chromium-driver (apt) for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	    >/dev/null) || echo "warning: could not install chromium; the browser tests will be skipped"; \
	else echo "note: no chromium/chromedriver and not root: the browser tests will be skipped"; fi

test: install browser
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_cities.py
	$(BIN)/python benchmarks/bench_scale.py --documents 1000 --observations 575000   # full size: no flags (~20 min)

clean:
	rm -rf $(VENV) data .pytest_cache
