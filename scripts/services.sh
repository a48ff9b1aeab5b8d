#!/usr/bin/env bash
# Install and start what the tests need beyond Python packages (run by scripts/test.sh).
# Each service is added by the part of onrecord that needs it; keep every step idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
