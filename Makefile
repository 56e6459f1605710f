# Power-utility customer service: build, run and test from a fresh clone.
# `make run` builds what is missing or stale, then starts every service; `make test`
# builds what the tests need and runs the whole suite. Each step is skipped when its
# inputs have not changed (stamps under var/stamps/).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PY311 ?= python3.11
PY310 ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.10.13/bin/python
VENV := .venv
RVENV := .venv-rasa
STAMPS := var/stamps
export PYTHONPATH := $(CURDIR)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

CORE_SRC := $(shell find backend_core -name '*.py' -o -name '*.yml' -o -name '*.ini' | sort)
# What the built index depends on: not the modules that only read it (compose, evaluate,
# bench) nor the evaluation questions, which nothing in the build reads.
KB_SRC := $(shell find knowledge_base nlu_data/train -type f -not -name '*.pyc' -not -name compose.py -not -name evaluate.py -not -name bench.py -not -name 'eval_*.jsonl' | sort)
RASA_SRC := config.yml $(shell find bot nlu_data/train -type f -not -name '*.pyc' -not -path 'bot/tests/*' | sort)

.PHONY: help build run run-scaled test venvs clean eval bench

help:
	@echo "make run    build what is missing, then start every service (Ctrl-C stops them)"
	@echo "make run-scaled  the same behind HAProxy: 2 replicas each of hub, Rasa, actions; PostgreSQL, Redis"
	@echo "make test   build what the tests need, then ruff, mypy and the whole test suite"
	@echo "make build  the set-up alone: environments, demo database, knowledge base, Rasa model"
	@echo "make eval   NLU, knowledge-base, conversation and out-of-domain evaluations (reports/)"
	@echo "make bench  benchmarks (reports/)"

build: venvs $(STAMPS)/core-db $(STAMPS)/kb $(STAMPS)/rasa-model

venvs: $(STAMPS)/venv-app $(STAMPS)/venv-rasa

$(STAMPS)/venv-app: requirements/app.txt scripts/make_venv.sh
	scripts/make_venv.sh app $(PY311) requirements/app.txt $(VENV)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-rasa: requirements/rasa.txt scripts/make_venv.sh
	scripts/make_venv.sh rasa $(PY310) requirements/rasa.txt $(RVENV)
	@mkdir -p $(STAMPS) && touch $@

# The demo database: migrations, then the demo customers of ../shared/spec plus generated ones.
$(STAMPS)/core-db: $(STAMPS)/venv-app $(CORE_SRC)
	$(VENV)/bin/python -m backend_core.seed
	@touch $@

# The knowledge base: our own encoder (trained when missing or stale), chunks, indexes.
$(STAMPS)/kb: $(STAMPS)/venv-app $(KB_SRC)
	$(VENV)/bin/python -m knowledge_base.build
	@mkdir -p $(STAMPS) && touch $@

# The Rasa model (models/powerdesk.tar.gz).
$(STAMPS)/rasa-model: $(STAMPS)/venv-rasa $(RASA_SRC)
	$(RVENV)/bin/rasa train --config config.yml --domain bot/domain --data nlu_data/train bot/data \
	  --out models --fixed-model-name powerdesk --quiet
	@mkdir -p $(STAMPS) && touch $@

run: build
	$(VENV)/bin/python scripts/supervise.py

# Needs postgresql, redis-server and haproxy (Debian packages); data in var/scaled/.
run-scaled: build
	$(VENV)/bin/python -m scripts.scaled

test: build
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(RVENV)/bin/rasa data validate --config config.yml --domain bot/domain --data nlu_data/train bot/data --fail-on-warnings
	$(RVENV)/bin/rasa test core --model models/powerdesk.tar.gz --stories bot/tests \
	  --endpoints bot/endpoints.yml --fail-on-prediction-errors --out var/rasa-test-results
	$(RVENV)/bin/python -m pytest -q -p no:cacheprovider tests/bot
	$(VENV)/bin/python -m pytest -q tests --ignore=tests/bot

eval: build
	$(VENV)/bin/python -m knowledge_base.evaluate
	$(VENV)/bin/python scripts/nlu_eval.py
	$(VENV)/bin/python -m evaluation.conversations.run dev
	$(VENV)/bin/python -m evaluation.conversations.run blind
	$(VENV)/bin/python -m evaluation.ood.run dev
	$(VENV)/bin/python -m evaluation.ood.run blind

bench: build
	$(VENV)/bin/python -m backend_core.bench
	$(VENV)/bin/python -m knowledge_base.bench
	$(VENV)/bin/python -m benchmarks.hub_bench
	$(VENV)/bin/python -m benchmarks.wechat_bench
	$(VENV)/bin/python -m benchmarks.load_bench

clean:
	rm -rf var models $(VENV) $(RVENV)
