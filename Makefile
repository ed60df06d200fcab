# KPU Provinsi Jawa Tengah website. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address emails and the approval archive link to: where `make run` / `make serve` listen.
BASE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install install-run run serve test lint check pytest migrate clean messages backup restore

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

RUN_STAMP := $(VENV)/.installed-run

# What running the site needs (requirements.txt); `make test` adds the test tools and npm packages.
$(RUN_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP) requirements-dev.txt package.json
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@# axe-core for the accessibility tests (test-only; skipped locally when npm is missing)
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; fi
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements and the test tools

install-run: $(RUN_STAMP) ## Create .venv and install only what running the site needs

migrate: install-run ## Apply database migrations (SQLite in var/ unless DATABASE_URL is set)
	$(MANAGE) migrate --noinput

run: migrate ## Set up everything and serve the site with demo content at http://127.0.0.1:8000/
	BASE_URL=$(BASE_URL) $(MANAGE) ensure_admin
	BASE_URL=$(BASE_URL) $(MANAGE) load_demo_content
	BASE_URL=$(BASE_URL) $(MANAGE) load_ppid_demo
	@echo "Situs: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	BASE_URL=$(BASE_URL) $(MANAGE) runserver $(HOST):$(PORT)

serve: migrate ## Serve under gunicorn with production settings on 127.0.0.1 (for trying it as it will run)
	HOST=$(HOST) PORT=$(PORT) BASE_URL=$(BASE_URL) bin/serve

lint: install ## ruff lint and format check; the apps' import contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

check: install ## Django system checks and migration drift
	DJANGO_SETTINGS_MODULE=kpu_site.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=kpu_site.settings.test $(MANAGE) makemigrations --check --dry-run

# Three processes on two cores: much of the suite waits on servers and browsers. Each file stays in one
# process (module fixtures are built once). PYTEST_ARGS= (empty) runs it serially.
PYTEST_ARGS ?= -n 3 --dist loadfile

pytest: install ## The pytest suite only
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint check pytest ## Set up and run everything CI runs on SQLite: ruff, checks, pytest

backup: install-run ## Back up the database (pg_dump) and media (MEDIA_ROOT or S3) into var/backups/<time>/
	$(BIN)/python bin/backup

restore: install-run ## Restore BACKUP=var/backups/<time> into the (new, empty) database and media of the settings
	@test -n "$(BACKUP)" || { echo "Pemakaian: make restore BACKUP=var/backups/<waktu>"; exit 2; }
	$(BIN)/python bin/restore "$(BACKUP)"

MSGFMT ?= msgfmt
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/*.po)

messages: ## Recompile the admin translation catalogues (locale/*.po to the committed .mo)
	@for po in $(CATALOGUES); do \
		echo "$(MSGFMT) --check -o $${po%.po}.mo $$po"; \
		$(MSGFMT) --check -o "$${po%.po}.mo" "$$po" || exit 1; \
	done

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
