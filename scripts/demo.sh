#!/usr/bin/env bash
# Installs what is missing, builds lagwatch (Release) and runs `lagwatch demo`:
# a 3-broker mock Kafka cluster with traffic, monitored on http://localhost:9721/metrics.
# Extra arguments go to `lagwatch demo` (e.g. --web.listen-address=:9999).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLAGWATCH_BUILD_TESTS=OFF >/dev/null
cmake --build build --target lagwatch -j"$(nproc)"
exec ./build/exporter/lagwatch demo "$@"
