#!/usr/bin/env bash
# Builds lagwatch's benchmarks (Release) and runs the scrape-side one. Arguments go to it,
# e.g. ./scripts/bench.sh --topics 100 --groups 100 --group-partitions 100
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-rel --target lagwatch_scrape_bench -j"$(nproc)"
exec ./build-rel/tests/lagwatch_scrape_bench "$@"
