# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PYTHONDONTWRITEBYTECODE := 1
# pytest-xdist workers for `make test`; a whole file stays on one worker (module fixtures).
# More than the machine's cores only adds contention: `make test TEST_WORKERS=auto` to pick.
TEST_WORKERS ?= 2

.PHONY: run test bench lint format ci install migrate clean mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_bundled_catalogs
	$(BIN)/python manage.py seed_demo

run: migrate
	@echo "Scorecard on http://127.0.0.1:8000 — demo logins are listed in README.md"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	@if [ ! -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then \
	  echo "NOTE: Debian chromium not found: browser tests are left out (apt-get install -y chromium)."; fi
	@mkdir -p var
	$(BIN)/pytest -m "not celery_worker" -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: install
	$(BIN)/pytest tests/benchmarks --benchmark-only --benchmark-columns=min,mean,max,rounds -s $(PYTEST_ARGS)

# Mutation testing (slow, not part of `make test`): every flip of one role in the permission
# table must fail the access matrix, then mutmut mutates the scoring engine against
# tests/scoring and prints its score (killed / mutants that some test runs).
mutate: install
	PYTHONPATH=$(CURDIR) $(BIN)/python tests/access/mutate_permissions.py
	$(BIN)/mutmut run --max-children 2 > /dev/null || true
	$(BIN)/mutmut export-cicd-stats > /dev/null
	$(BIN)/python -c "import json; s = json.load(open('mutants/mutmut-cicd-stats.json')); \
	  tested = s['total'] - s['no_tests'] - s['skipped']; \
	  print(f\"engine mutation score: {s['killed']}/{tested} killed \" \
	        f\"({100 * s['killed'] / max(tested, 1):.1f}%), {s['survived']} survived, \" \
	        f\"{s['no_tests']} not run by any test\")"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ci:
	bash .ci/run

clean:
	rm -rf var/scorecard.sqlite3 var/static var/media
