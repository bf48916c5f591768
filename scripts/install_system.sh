#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests (driven by
# Playwright's Python client with executable_path; no browser download).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: chromium is not installed; browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi
