#!/usr/bin/env bash
# Install what the tests need and run the whole suite (this is what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
mkdir -p test-artifacts
python -m pytest -q -p no:cacheprovider --junitxml=test-artifacts/junit.xml "$@"
