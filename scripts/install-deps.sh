#!/usr/bin/env bash
# Installs every Debian package lagwatch needs to build, test and run its lab tools.
# Idempotent: packages already present are skipped, and apt is only touched when
# something is missing. Needs root (or sudo) on Debian bookworm.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates curl
  librdkafka-dev zlib1g-dev liblz4-dev libsnappy-dev libzstd-dev libssl-dev openssl
  libcrypt-dev
  prometheus-cpp-dev
  libboost-dev
  libyaml-cpp-dev
  libre2-dev
  libspdlog-dev libfmt-dev
  nlohmann-json3-dev
  googletest libgtest-dev libgmock-dev
  clang libclang-rt-14-dev clang-format
  libbenchmark-dev
  kcat
  prometheus prometheus-alertmanager
  python3 python3-yaml
  docker-compose
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
