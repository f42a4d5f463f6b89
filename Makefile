# KIM Portal: `make run` serves the demo (with the jobs worker), `make test` runs the tests. Both need
# only Python 3.11+.
# Without DATABASE_URL, a private PostgreSQL (the pgserver wheel) is started in .pgdata/ and reused.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WITH_DB := $(PY) scripts/devdb.py run --
PORT ?= 8000
ARGS ?=

export DJANGO_SETTINGS_MODULE := kimportal.settings

.PHONY: run test bench bench-phone bench-phash bench-outage bench-proxy install migrate seed db-stop lint messages clean prod-smoke

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 SITE_PORT=:$(PORT) $(WITH_DB) sh -c '\
	  $(PY) manage.py migrate_portal -v 0 && \
	  $(PY) manage.py seed_demo && \
	  { $(PY) manage.py jobs_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; } && \
	  echo "Serving on http://kim.localhost:$(PORT)/ (Ctrl+C stops; make db-stop stops the database)" && \
	  $(PY) manage.py runserver 0.0.0.0:$(PORT)'

test: install
	DEBUG=1 SECRET_KEY=test-only $(WITH_DB) $(VENV)/bin/pytest $(ARGS)

migrate: install
	DEBUG=1 $(WITH_DB) $(PY) manage.py migrate_portal

seed: install
	DEBUG=1 $(WITH_DB) $(PY) manage.py seed_demo

db-stop: install
	$(PY) scripts/devdb.py stop

# The production stack without containers (nginx over https with a test CA, gunicorn with DEBUG off,
# Redis, the job worker), driven end to end; needs Debian's nginx (`apt-get install nginx`, as root).
# KIM_WORKER_COMMAND: manage.py arguments that run the job worker (issue 19), as in deploy/; empty
# until that command exists, and then the approval email must arrive through it.
KIM_WORKER_COMMAND ?= $(if $(wildcard kimportal/management/commands/jobs_worker.py),jobs_worker,)
prod-smoke: install
	KIM_WORKER_COMMAND='$(KIM_WORKER_COMMAND)' $(WITH_DB) $(PY) scripts/prod_smoke.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 SECRET_KEY=lint DATABASE_URL=postgres://lint/lint $(VENV)/bin/mypy

# Regenerate the translation catalogues (needs GNU gettext; the compiled .mo files are committed).
messages: install
	DEBUG=1 SECRET_KEY=x DATABASE_URL=postgres://x/x $(PY) manage.py makemessages -l en --ignore='.venv/*'
	DEBUG=1 SECRET_KEY=x DATABASE_URL=postgres://x/x $(PY) manage.py compilemessages --ignore='.venv/*'

clean: db-stop
	rm -rf $(VENV) .pgdata media staticfiles

# Benchmarks (loopback only): seeds two sizes once, loads them with wrk, writes docs/benchmarks.md.
# Needs wrk: `apt-get install wrk` on Debian/Ubuntu.
bench: install
	@command -v wrk >/dev/null || { echo "wrk is missing: install it with 'apt-get install wrk'"; exit 1; }
	$(PY) bench/run.py
	$(PY) bench/proxy.py
	$(MAKE) bench-phone
	$(MAKE) bench-phash

# Photos from a phone on weak data (a browser test with network emulation, ~2 min; needs chromium):
# writes its own section of docs/benchmarks.md.
bench-phone: install
	DEBUG=1 SECRET_KEY=bench-only $(WITH_DB) $(PY) bench/phone_upload.py

# Photos seen before: near-duplicate lookups among a million perceptual hashes (database
# kim_bench_phash on DATABASE_URL's server), and the hash's cost per upload; its own section.
bench-phash: install
	DEBUG=1 SECRET_KEY=bench-only $(WITH_DB) $(PY) bench/phash.py

# The reverse proxy's figure alone (nginx micro-cache against gunicorn alone; needs nginx and wrk).
bench-proxy: install
	$(PY) bench/proxy.py

# Redis, then PostgreSQL, killed and restarted under a 16-connection wrk load (~1.5 min; private servers,
# needs wrk and redis-server): answers by kind and time to recovery, printed as a table.
bench-outage: install
	@command -v wrk >/dev/null || { echo "wrk is missing: install it with 'apt-get install wrk'"; exit 1; }
	$(PY) bench/outage.py
