# The whole set-up: `make run` serves the dashboard on the bundled seeds, `make test` runs every test.
PY      := .venv/bin/python
STAMP   := .venv/.installed
STORE   := seeds/events.parquet
PORT    ?= 8501
ADDRESS ?= localhost

.PHONY: run test bench

$(PY):
	python3 -m venv .venv

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

$(STORE): $(STAMP) $(wildcard seeds/*.txt) seeds/seeds.csv
	$(PY) -m events build seeds --out $(STORE)

run: $(STAMP) $(STORE)
	$(if $(filter localhost 127.0.0.1 ::1,$(ADDRESS)),,EVENTS_SERVE_NETWORK=1) $(PY) -m streamlit run dashboard/app.py \
		--server.address $(ADDRESS) --server.port $(PORT) -- --data $(STORE)

test: $(STAMP)
	$(PY) -m pytest -q -ra $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/accuracy.py seeds dev
	$(PY) bench/geoparse.py
	$(PY) bench/build.py
	$(PY) bench/dashboard.py
