# Guwen: `make run` sets everything up and serves the Nanwan demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install assets system-deps migrate demo serve lint format bench fuzz clean

# Debian packages the project needs and cannot get from PyPI or npm:
#   chromium        – the real browser the Playwright tests drive (never a downloaded browser build)
#   fonts-noto-cjk  – a CJK font so Chinese renders in screenshots and PDFs
#   poppler-utils   – pdftoppm, which the document tests use to look at generated PDFs
#   fonts-wqy-microhei – a TrueType-outline CJK font the duty notice boards (公示牌) embed: reportlab
#                     cannot embed the CFF outlines of Noto CJK
#   libreoffice-writer-nogui – soffice --headless, which converts the official documents (mediation
#                     卷宗 and others) to PDF from the same .docx staff download, so one template per document
# Installed only when missing, and only where apt-get can run as root.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -n "$$(fc-list :lang=zh 2>/dev/null | head -n1)" ] || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	command -v soffice >/dev/null || [ -x /usr/bin/soffice ] || missing="$$missing libreoffice-writer-nogui"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:$$missing (browser/PDF tests will skip)"; fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The shipped triage model only loads with the scikit-learn that trained it: after an upgrade it is
# retrained from ../shared/data/consultations/train.jsonl (without that file, a warning says what to do).
# The citing model (data/citing/citing.json.gz) is plain JSON: retrained only when missing or unreadable.
install: $(STAMP) node_modules/.package-lock.json
	@$(BIN)/python manage.py train_triage --if-stale --all --no-corrections -v0
	@$(BIN)/python manage.py train_citing --if-stale -v0

assets: node_modules/.package-lock.json

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

# Web server and worker side by side; Ctrl-C stops both.
run: install demo
	@echo
	@echo "顾问 Guwen 演示： http://$(HOST):$(PORT)/   （两步验证在演示中豁免）"
	@echo
	GUWEN_WAIVE_STAFF_TOTP=1 bash scripts/serve.sh $(HOST) $(PORT)

# The whole suite on SQLite, then on PostgreSQL when DATABASE_URL points at one.
test: install system-deps
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# A deeper run of the API fuzzer than the suite's (which runs a few dozen examples per operation).
fuzz: install
	GUWEN_FUZZ_EXAMPLES=$${GUWEN_FUZZ_EXAMPLES:-500} $(BIN)/pytest -n 2 -p no:cacheprovider guwen/tests/test_api_fuzz.py

bench: install
	bash scripts/bench.sh

clean:
	rm -rf var/guwen.sqlite3* var/static .pytest_cache
