#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (never `playwright install`).
# Prints one line. Exit 0 when the browser is there (or was installed), 1 when it is not.
set -u
if [ -x /usr/bin/chromium ]; then
  echo "browser tests: using /usr/bin/chromium"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser tests: installing Debian's chromium (apt-get install -y chromium)…"
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; } >/tmp/exocheck-apt.log 2>&1; then
    echo "browser tests: chromium installed"
    exit 0
  fi
  echo "browser tests: apt-get install chromium failed (see /tmp/exocheck-apt.log)"
  exit 1
fi
echo "browser tests: SKIPPED — /usr/bin/chromium is missing; run 'sudo apt-get install -y chromium' to enable them"
exit 1
