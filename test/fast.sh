#!/bin/sh
# `npm test`: the fast tier (package.json's "tap" "include": everything under test/ except test/slow), with
# the coverage thresholds enforced; then one last line naming the slow tier, so no one forgets it exists.
# Arguments go to tap: `npm test -- test/config.test.ts` runs one file. See docs/testing.md.
tap "$@"
status=$?
echo "Not run by npm test: the slow tier (test/slow: process kills, several instances, load-like and browser tests). Run it with: npm run test:slow (CI always does)."
exit $status
