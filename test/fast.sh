#!/bin/sh
# `npm test`: the fast tier (package.json's "tap" "include": everything under test/ except test/slow), with
# the coverage thresholds enforced; then one last line naming the slow tier, so no one forgets it exists.
# Arguments go to tap: `npm test -- test/config.test.ts` runs one file. See docs/testing.md.
# One test process more than there are CPUs: a test file waits on its database, timers and sockets about a quarter
# of its time, so with one per CPU the CPUs stood idle that much (measured: 250 s with 2 jobs, 208 s with 3, on 2 CPUs).
jobs=$(node -p 'require("node:os").availableParallelism() + 1')
tap --jobs="$jobs" "$@"
status=$?
echo "Not run by npm test: the slow tier (test/slow: process kills, several instances, load-like and browser tests). Run it with: npm run test:slow (CI always does)."
exit $status
