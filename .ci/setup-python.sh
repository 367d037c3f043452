#!/usr/bin/env bash
# Optional Python subjects for the guard's tests (fixtures/adapters/numpy_ga.py, torch_ga.py).
# Debian's python3-numpy and python3-torch go to /usr/bin/python3; properties/guard.subjects
# .test.ts looks for an interpreter with each module (python3 on PATH, then /usr/bin/python3)
# and skips with a visible message when there is none. Never fails the CI run.
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq python3-numpy python3-torch >/dev/null; } \
    || echo "setup-python: could not install python3-numpy/python3-torch; the Python subject tests will be skipped"
else
  echo "setup-python: no apt-get; the Python subject tests will be skipped"
fi
for py in python3 /usr/bin/python3; do
  command -v "$py" >/dev/null 2>&1 || continue
  "$py" -c 'import numpy' 2>/dev/null && echo "setup-python: $py has numpy"
  "$py" -c 'import torch' 2>/dev/null && echo "setup-python: $py has torch"
done
exit 0
