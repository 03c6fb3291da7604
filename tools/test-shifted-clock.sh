#!/usr/bin/env bash
# Runs the whole suite with the clock of Node, PostgreSQL and Chromium moved ahead (400 days
# unless a number of days is given), to prove that no test depends on today's date.
# datefudge (Debian) moves the clock only. libfaketime also wraps epoll_wait, and a signal
# handler that runs inside that wrapper reads the real clock: PostgreSQL then believes its
# lock and statement timeouts are 400 days away and never fires them.
set -euo pipefail
cd "$(dirname "$0")/.."
days="${1:-400}"
if ! command -v datefudge >/dev/null; then
  echo "datefudge is missing: apt-get install datefudge" >&2
  exit 2
fi
npm run --silent build
moved="$(date -d "+${days} days" '+%Y-%m-%d %H:%M:%S')"
echo "Running the suite with the clock at ${moved}, ${days} days ahead"
exec datefudge "$moved" npx vitest run --config tests/vitest.config.ts --outputFile.json=tests/.results/vitest-shifted.json
