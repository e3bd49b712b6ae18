#!/bin/sh
# `npm run test:slow`: the slow tier (test/slow), without coverage. Arguments go to tap.
# Against PostgreSQL (TEST_DATABASE_URL) two test processes per CPU: the files mostly wait there (on the server, on
# real-time webhook retries, on child servers starting), and on 2 CPUs the tier alone took 4 min 36 s with 2 processes
# (177 CPU seconds of Node in that time) and 3 min 9 s with 4. On PGlite one per CPU (tap's default): each file's
# database runs in its own process, so they do not wait, and at 4 the webhook and start-up tests' deadlines were missed
# under CI's load (docs/testing.md).
cpus=$(node -p 'require("node:os").availableParallelism()')
if [ -n "$TEST_DATABASE_URL" ]; then jobs=$((cpus * 2)); else jobs=$cpus; fi
exec tap --include 'test/slow/**/*.test.ts' --disable-coverage --jobs="$jobs" "$@"
