#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter, or explain exactly what to install.
# Rasa Open Source 3.6 runs on Python 3.8-3.10 only; this project uses 3.10.
set -euo pipefail
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
candidates+=(python3.10)
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
    candidates+=("$(pyenv root)/versions/$v/bin/python")
  done
fi
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10 "$HOME/.pyenv/versions/3.10.13/bin/python")
for c in "${candidates[@]}"; do
  if p=$(command -v "$c" 2>/dev/null) && "$p" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
    echo "$p"; exit 0
  fi
done
cat >&2 <<'MSG'
No Python 3.10 interpreter was found. Rasa 3.6 needs Python 3.10 (3.11 does not work).
Install one of these, then run the command again:
  - with pyenv:        pyenv install 3.10.13
  - on Debian/Ubuntu:  apt-get install python3.10 python3.10-venv
  - or point to one:   PYTHON310=/path/to/python3.10 make run
MSG
exit 1
