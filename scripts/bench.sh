#!/usr/bin/env bash
# lagwatch's benchmarks (Release build), which print figures and never pass or fail:
#
#   ./scripts/bench.sh [ARGS]          poll cycle, requests, scrapes and memory on a mock cluster
#                                      (defaults: 3 brokers, 1000 topics x 10 partitions, 1000
#                                      groups x 100 committed partitions); ARGS go to it, e.g.
#                                      --groups 200 or --cycles 1000
#   ./scripts/bench.sh --sweep [ARGS]  the same at several scales, with a table of how it grows
#   ./scripts/bench.sh scrape [ARGS]   rendering and serving /metrics for a synthetic cluster
#
# docs/performance.md has the figures of the last run and what they mean.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
if [ "${1:-}" = "scrape" ]; then
  shift
  cmake --build build-rel --target lagwatch_scrape_bench -j"$(nproc)"
  exec ./build-rel/tests/lagwatch_scrape_bench "$@"
fi
cmake --build build-rel --target lagwatch_poll_bench -j"$(nproc)"
exec ./build-rel/tests/lagwatch_poll_bench "$@"
