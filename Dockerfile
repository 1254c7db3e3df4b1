# syntax=docker/dockerfile:1
# lagwatch container image.
#
#   docker build -t lagwatch .
#   docker run --rm -p 9721:9721 -v $PWD/lagwatch.yml:/etc/lagwatch/lagwatch.yml:ro lagwatch
#   docker run --rm -p 9721:9721 lagwatch --kafka.server=kafka-1:9092    # no config file
#   docker run --rm -p 9721:9721 lagwatch demo                           # no Kafka needed
#
# The lab (compose/docker-compose.yml) builds it; tests/lab/check_compose.sh checks that the
# runtime packages below cover every shared library the binary links.

# ---- build: the packages of scripts/install-deps.sh that the binary needs ------------------
FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config ca-certificates \
      librdkafka-dev zlib1g-dev prometheus-cpp-dev libboost-dev libyaml-cpp-dev \
      libspdlog-dev libfmt-dev nlohmann-json3-dev libre2-dev \
      liblz4-dev libsnappy-dev libzstd-dev libssl-dev libcrypt-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY exporter ./exporter
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLAGWATCH_BUILD_TESTS=OFF \
 && cmake --build build --target lagwatch -j"$(nproc)" \
 && strip build/exporter/lagwatch \
 && build/exporter/lagwatch version

# ---- runtime: the shared libraries `ldd lagwatch` lists, by Debian package ------------------
FROM debian:bookworm-slim
# librdkafka1 (librdkafka.so.1), libyaml-cpp0.7, libspdlog1.10,
# libfmt9, libre2-9 (libre2), zlib1g (libz), libstdc++6, libgcc-s1, libc6 (libc, libm), liblz4-1, libzstd1, libsnappy1v5,
# libsasl2-2, libssl3 (libssl, libcrypto), libcrypt1 (libcrypt: bcrypt of basic auth); ca-certificates for TLS clusters; curl for the
# health check.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      librdkafka1 libyaml-cpp0.7 libspdlog1.10 libfmt9 libre2-9 \
      zlib1g libstdc++6 libgcc-s1 libc6 liblz4-1 libzstd1 libsnappy1v5 libsasl2-2 libssl3 libcrypt1 \
      ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 lagwatch \
 && useradd --system --uid 10001 --gid lagwatch --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin lagwatch \
 && mkdir -p /etc/lagwatch
COPY --from=build /src/build/exporter/lagwatch /usr/local/bin/lagwatch
COPY lagwatch.example.yml /etc/lagwatch/lagwatch.example.yml
USER 10001:10001
EXPOSE 9721
# /healthz answers as soon as the process serves HTTP; it assumes the default port.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:9721/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/lagwatch"]
CMD ["serve", "--config", "/etc/lagwatch/lagwatch.yml"]
