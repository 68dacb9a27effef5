#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: install test dependencies (and Debian's
# Chromium when we can), lint, then pytest (engine, viz, pages, end-to-end in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium (and CJK fonts) for the end-to-end tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "WARNING: no chromium and not root: END-TO-END TESTS WILL BE SKIPPED." >&2
    echo "         install it with: sudo apt-get install -y chromium" >&2
  fi
fi

python -m ruff check .
python -m ruff format --check .

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1  # nothing may come from a model hub
set +e
python -m pytest -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" = "5" ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
