#!/usr/bin/env bash
# Install what the tests need and run the whole suite (this is what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
mkdir -p test-artifacts
# A real Elasticsearch node for the index tests (cached download; left running if it already was).
export VEILLE_ES_URL="${VEILLE_ES_URL:-$(bash scripts/elasticsearch.sh url)}"
if ! bash scripts/elasticsearch.sh status >/dev/null; then
    bash scripts/elasticsearch.sh start
    trap 'bash scripts/elasticsearch.sh stop' EXIT
fi
python -m pytest -q -p no:cacheprovider --junitxml=test-artifacts/junit.xml "$@"
