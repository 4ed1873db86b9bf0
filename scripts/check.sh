#!/usr/bin/env bash
# Every check: typecheck, lint and test in every package (turbo, cached by inputs), then
# one closing line that adds up the tests of all packages.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -f {apps,packages}/*/test-results/vitest.json contracts/test-results/vitest.json test/test-results/vitest.json
turbo run typecheck lint test --concurrency=3 "$@"
status=$?
node scripts/test-summary.mjs
exit $status
