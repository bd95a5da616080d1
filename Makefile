# Maillage: `make run` to try it, `make test` to check it, `make bench` to measure it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
TRANSLATIONS := coordination/translations

.PHONY: run test e2e bench lint format messages translations clean

# The virtual environment, rebuilt when the dependencies change.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Catalogues are compiled here, never by hand (the .mo files are not committed).
translations: $(BIN)/.installed
	$(BIN)/pybabel -q compile --statistics -d $(TRANSLATIONS)

run: $(BIN)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty
	@echo "Maillage: http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(BIN)/.installed-test translations
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

e2e: $(BIN)/.installed-test translations
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

bench: $(BIN)/.installed-test translations
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(BIN)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract the strings of the code and templates, then merge them into each catalogue.
messages: $(BIN)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output -o $(TRANSLATIONS)/messages.pot .
	for lang in fr en; do \
	  test -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po || \
	    $(BIN)/pybabel -q init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; \
	done
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --no-wrap

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find $(TRANSLATIONS) -name '*.mo' -delete
