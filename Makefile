# Ripple: `make run` to try it, `make test` to check it.
# Everything a fresh machine lacks (uv, the Python packages, Debian's
# Chromium for the browser tests) is installed here, never by hand.

PYTHON ?= python3
UV := $(PYTHON) -m uv
MANAGE := $(UV) run --frozen python manage.py
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install chromium redis gettext messages translations migrate content demo lint format ci lighthouse

run: install chromium messages migrate content demo
	@echo ""
	@echo "Ripple is starting on http://127.0.0.1:8000  (Ctrl+C to stop)"
	@echo "Log in with password ripple-demo as: demo (patient), clinician, editor, reviewer, admin"
	@echo "(staff and clinicians set up a second factor, an authenticator app, at first login)"
	@echo "The background worker (reminders, rescoring) runs beside it."
	@echo ""
	@$(MANAGE) schedule_reminders
	@# The worker stops with the server: Ctrl+C, or the server failing to start.
	@$(MANAGE) db_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# One pytest process a core (pytest-xdist), each handed a test at a time ("loadgroup"
# with no groups): each process then runs its tests in collection order, which keeps
# pytest-django's rule that tests emptying the database run after those that need
# its migrated rows. `make test PYTEST_ARGS="-n0"` runs them in one process.
PYTEST_ARGS ?= -n auto --dist loadgroup

test: install chromium redis messages
	@$(UV) run --frozen pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure." >&2; fi; \
	exit $$status

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode
	@touch $@

chromium: $(CHROMIUM)

# The translations: locale/<language>/LC_MESSAGES/django.po is kept in git; the .mo
# Django reads is compiled from it here (msgfmt, as `compilemessages` runs it), never
# committed. After marking new strings: `make translations`, translate, commit the .po.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/es/LC_MESSAGES/django.po))
# English needs no translating, but a catalogue of its own words, each its own
# translation (msgen), makes every lookup on an English page hit at once: without it
# each falls through Django's chain of English catalogues, about 5 µs instead of 1.4
# (measured: docs/PERFORMANCE.md, issue 14). Made from the Spanish one, not kept in git.
ENGLISH := locale/en_GB/LC_MESSAGES/django

messages: $(CATALOGUES) $(ENGLISH).mo

$(ENGLISH).po: locale/es/LC_MESSAGES/django.po | gettext
	@mkdir -p $(@D)
	msgfilter --keep-header --no-wrap -i $< -o $@.tmp sed -e d
	msgen --no-wrap $@.tmp | sed 's/^"Language: es\\n"/"Language: en_GB\\n"/' > $@
	@rm -f $@.tmp

locale/%.mo: locale/%.po | gettext
	msgfmt --check -o $@ $<

gettext:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext; }

translations: install gettext
	$(MANAGE) makemessages --locale es --no-obsolete --ignore 'bench/*' --ignore 'staticfiles/*' --ignore 'tests/*'
	@echo "Untranslated: $$(msgattrib --untranslated --no-obsolete locale/es/LC_MESSAGES/django.po | grep -c '^msgid ' || true) (the header counts as one when any)"

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The tests of the Redis queue (RQ) need a Redis on 127.0.0.1:6379; these machines
# run one, and a machine without it gets Debian's, started here.
redis:
	@$(PYTHON) -c "import socket; socket.create_connection(('127.0.0.1', 6379), 1)" 2>/dev/null || { \
	  command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server; }; \
	  redis-server --daemonize yes --save '' --appendonly no; sleep 1; }

migrate: install
	RIPPLE_NEW_DATABASE=1 $(MANAGE) migrate --noinput

content: install
	$(MANAGE) load_content

demo: install
	$(MANAGE) seed_demo

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

ci:
	bash .ci/run

# Issue 13's Lighthouse bench (bench/lighthouse.py): Lighthouse is a bench tool, pinned
# in bench/lighthouse/package-lock.json and installed there by npm; Ripple itself needs
# no npm. `make lighthouse ARGS="--runs 5"` passes options to the script.
LIGHTHOUSE := bench/lighthouse/node_modules/.installed

lighthouse: install chromium $(LIGHTHOUSE)
	$(UV) run --frozen python bench/lighthouse.py $(ARGS)

$(LIGHTHOUSE): bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@
