#!/usr/bin/env bash
# Issue 16's "done when", end to end with the real binary and a real Prometheus loading
# lagwatch's rules through exporter/demo/prometheus.yml: `lagwatch demo`, then
# `lagwatch demo incident broker-down 2`, and Prometheus shows the offline partition, the lost
# broker, the controller and the alerts KafkaOfflinePartitions and KafkaBrokerDown firing
# (KafkaUnderReplicatedPartitions at least pending: its `for` is 5 minutes); after
# `lagwatch demo incident reset` they resolve.
#
#   tests/demo_alerts_test.sh path/to/lagwatch path/to/prometheus
set -euo pipefail
LAGWATCH=$1
PROMETHEUS=$2
REPO=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  echo "--- lagwatch demo log (tail) ---" >&2
  tail -n 40 "$work/demo.log" >&2 || true
  echo "--- prometheus log (tail) ---" >&2
  tail -n 20 "$work/prometheus.log" >&2 || true
  exit 1
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
demo_port=$(free_port)
prom_port=$(free_port)
demo_addr=127.0.0.1:$demo_port

# --scenario none: the default scenario's inventory/2 outage must not race the checks below.
"$LAGWATCH" demo --scenario none --web.listen-address="$demo_addr" >"$work/demo.log" 2>&1 &
pids+=($!)
# The shipped file, pointed at this demo and this checkout's rules, polling faster.
sed -e "s#localhost:9721#$demo_addr#" -e "s#\.\./\.\./rules/#$REPO/rules/#" -e 's/: 5s/: 2s/' \
  "$REPO/exporter/demo/prometheus.yml" >"$work/prometheus.yml"
grep -q "$REPO/rules/lagwatch-\*.yml" "$work/prometheus.yml" || fail "prometheus.yml: rule_files not rewritten"
"$PROMETHEUS" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

# promql EXPR -> the first sample's value, or "" when the result is empty.
promql() {
  curl -s --max-time 5 "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys
try:
    r = json.load(sys.stdin)["data"]["result"]
    print(r[0]["value"][1] if r else "")
except Exception:
    print("")'
}
# alert NAME -> "firing", "pending" or "" (not active).
alert_state() {
  curl -s --max-time 5 "http://127.0.0.1:$prom_port/api/v1/alerts" |
    python3 -c 'import json,sys
try:
    alerts = json.load(sys.stdin)["data"]["alerts"]
except Exception:
    alerts = []
states = {a["state"] for a in alerts if a["labels"].get("alertname") == sys.argv[1]}
print("firing" if "firing" in states else "pending" if "pending" in states else "")' "$1"
}
until_true() {  # SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what: not within ${limit}s"
    sleep 2
  done
}

healthy() { [[ $(promql 'sum(kafka_brokers{job="lagwatch"})') == 3 && $(promql 'sum(kafka_consumergroup_members{job="lagwatch"})') -ge 4 ]]; }
until_true 120 "Prometheus sees the demo healthy (3 brokers, the groups' members)" healthy
echo "healthy: 3 brokers, $(promql 'sum(kafka_consumergroup_members{job="lagwatch"})') members"
[[ $(alert_state KafkaOfflinePartitions) == "" ]] || fail "KafkaOfflinePartitions active before any incident"

out=$("$LAGWATCH" demo incident broker-down 2 --web.listen-address="$demo_addr") ||
  fail "lagwatch demo incident broker-down 2 failed: $out"
grep -q "broker 2 is down" <<<"$out" || fail "unexpected answer: $out"
echo "$out" | head -n 5

broker_gone() { [[ $(promql 'sum(kafka_brokers{job="lagwatch"})') == 2 ]]; }
until_true 60 "kafka_brokers falls to 2" broker_gone
offline=$(promql 'sum(kafka_controller_kafkacontroller_offlinepartitionscount{job="lagwatch"})')
[[ $offline == 1 ]] || fail "offline partitions (clickstream's on broker 2 only): '$offline'"
urp=$(promql 'sum(kafka_server_replicamanager_underreplicatedpartitions{job="lagwatch"})')
[[ $urp -ge 1 ]] || fail "under-replicated partitions: '$urp'"
controllers=$(promql 'sum(kafka_controller_kafkacontroller_activecontrollercount{job="lagwatch"})')
[[ $controllers == 1 ]] || fail "active controllers: '$controllers'"
down=$(promql 'lagwatch_broker_up{job="lagwatch",broker="2"}')
[[ $down == 0 ]] || fail "lagwatch_broker_up{broker=\"2\"}: '$down'"
echo "after broker-down 2: offline=$offline urp=$urp active controllers=$controllers broker 2 up=$down"

fired() {
  [[ $(alert_state KafkaOfflinePartitions) == firing && $(alert_state KafkaBrokerDown) == firing &&
     -n $(alert_state KafkaUnderReplicatedPartitions) ]]
}
until_true 200 "KafkaOfflinePartitions and KafkaBrokerDown firing, KafkaUnderReplicatedPartitions pending" fired
echo "alerts: KafkaOfflinePartitions=$(alert_state KafkaOfflinePartitions) KafkaBrokerDown=$(alert_state KafkaBrokerDown)" \
  "KafkaUnderReplicatedPartitions=$(alert_state KafkaUnderReplicatedPartitions)"

"$LAGWATCH" demo incident reset --web.listen-address="$demo_addr" >/dev/null || fail "reset failed"
resolved() {
  [[ -z $(alert_state KafkaOfflinePartitions) && -z $(alert_state KafkaBrokerDown) &&
     -z $(alert_state KafkaUnderReplicatedPartitions) ]]
}
until_true 60 "the alerts resolve after reset" resolved
echo "after reset: the alerts resolved"
echo "PASS"
