.PHONY: setup run test bench hardening load lint format deploy-check

# .ci/run passes --cov here so that the SQLite run measures coverage (see pyproject's [tool.coverage]).
PYTEST_ARGS ?=

setup:
	@bash scripts/setup

run: setup
	@bash scripts/run

test: setup lint
	.venv/bin/zhaoshang makemigrations --check --dry-run
	.venv/bin/zhaoshang check
	ZHAOSHANG_PRODUCTION=1 SECRET_KEY=ci-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') ALLOWED_HOSTS=zhaoshang.example.gov.cn \
		.venv/bin/zhaoshang check --deploy --fail-level WARNING
	.venv/bin/pytest -q $(PYTEST_ARGS)

bench: setup
	python3 -m uv sync --frozen --quiet --group bench
	.venv/bin/python bench/run.py

# The README's deploy steps on a throw-away PostgreSQL, then log-in and a list page through gunicorn.
deploy-check: setup
	bash scripts/deploy-check

# The long reliability and security runs; their figures go to hardening/results.json and the README.
hardening: setup
	python3 -m uv sync --frozen --quiet --group bench
	.venv/bin/python hardening/run.py $(PARTS)

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint src/zhaoshang --check --quiet
	.venv/bin/djlint src/zhaoshang --lint --quiet
	.venv/bin/mypy src/zhaoshang

format:
	.venv/bin/djlint src/zhaoshang --reformat --quiet || true
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# 50 people on gunicorn: the demo county on SQLite (LOAD=county), or 基准省 on PostgreSQL (LOAD=province).
LOAD ?= county
load: setup
	python3 -m uv sync --frozen --quiet --group bench
	.venv/bin/python load/run.py $(LOAD)
