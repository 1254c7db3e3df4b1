#!/usr/bin/env python3
"""Seeds the Kafka fuzz targets' corpora from the Kafka 2.4.0 wire captures.

fuzz_kafka_response: [api index][version offset][response frame], a few per API and version.
fuzz_kafka_frames:   a size-prefixed response frame per file (Fetch answers carry record batches).
Run from the repository root; the files are committed (tests/fuzz/corpus/<target>/).
"""
import gzip, json, os, collections

KEYS = [18, 3, 2, 10, 16, 15, 9, 32, 1, 17, 36, 55, 69, 35, 60]  # order of kKeys in fuzz_kafka_response.cpp
MIN_VERSION = {18: 0, 3: 0, 2: 1, 10: 0, 16: 0, 15: 0, 9: 1, 32: 0, 1: 4, 17: 0, 36: 0, 55: 0, 69: 0, 35: 0, 60: 0}
PER_VERSION = 4

frames = [json.loads(l) for l in gzip.open("tests/data/kafka-2.4.0/frames.jsonl.gz", "rt")]
seen = collections.Counter()
out_r = "tests/fuzz/corpus/fuzz_kafka_response"
out_f = "tests/fuzz/corpus/fuzz_kafka_frames"
os.makedirs(out_r, exist_ok=True)
os.makedirs(out_f, exist_ok=True)
for f in frames:
    key, version, resp = f["api_key"], f["api_version"], f["response_hex"]
    if key not in KEYS or resp is None:
        continue
    if seen[(key, version)] >= PER_VERSION:
        continue
    seen[(key, version)] += 1
    body = bytes.fromhex(resp)
    seed = bytes([KEYS.index(key), version - MIN_VERSION[key]]) + body
    with open(f"{out_r}/capture-{f['seq']:04d}-api{key}-v{version}", "wb") as fh:
        fh.write(seed)
    if key == 1 or seen[(key, version)] == 1:
        with open(f"{out_f}/capture-{f['seq']:04d}-api{key}-v{version}", "wb") as fh:
            fh.write(len(body).to_bytes(4, "big") + body)
# fuzz_demo_front: captured request frames (no size prefix) of the APIs the demo front answers
# (ListGroups 16, DescribeGroups 15, DescribeConfigs 32, DescribeLogDirs 35) or observes
# (JoinGroup 11, SyncGroup 14, Heartbeat 12, OffsetCommit 8), two per API and version.
out_d = "tests/fuzz/corpus/fuzz_demo_front"
os.makedirs(out_d, exist_ok=True)
front_seen = collections.Counter()
for f in frames:
    key, version, req = f["api_key"], f["api_version"], f.get("request_hex")
    if key not in (16, 15, 32, 35, 11, 14, 12, 8) or not req or front_seen[(key, version)] >= 2:
        continue
    front_seen[(key, version)] += 1
    with open(f"{out_d}/capture-{f['seq']:04d}-api{key}-v{version}", "wb") as fh:
        fh.write(bytes.fromhex(req))
print(f"{sum(seen.values())} seeds, {sum(front_seen.values())} demo front seeds")
