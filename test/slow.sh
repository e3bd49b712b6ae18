#!/bin/sh
# `npm run test:slow`: the slow tier (test/slow), without coverage. Arguments go to tap.
# Two test processes per CPU: the slow tier's files mostly wait (on real-time webhook retries, child servers starting,
# PostgreSQL working), so with one per CPU the machine stood half idle. Measured on 2 CPUs against PostgreSQL, the
# tier alone: 4 min 36 s with 2 jobs (177 CPU seconds of Node), 3 min 9 s with 4 (docs/testing.md).
jobs=$(node -p 'require("node:os").availableParallelism() * 2')
exec tap --include 'test/slow/**/*.test.ts' --disable-coverage --jobs="$jobs" "$@"
