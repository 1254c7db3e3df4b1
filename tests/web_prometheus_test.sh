#!/usr/bin/env bash
# A real Prometheus scrapes lagwatch over HTTPS with basic auth and a private CA (issue 15),
# as docs/security.md tells operators to set it up (the same openssl commands):
#   job lagwatch        right CA, right password      -> up == 1
#   job wrong-password  right CA, wrong password      -> up == 0, lastError says 401
#   job no-ca           the system CAs, right password -> up == 0, lastError about the certificate
# and lagwatch's log never holds a password. Bounded: 90 s of polling at most.
# Usage: web_prometheus_test.sh LAGWATCH_BINARY PROMETHEUS_BINARY
set -euo pipefail
lagwatch=$1
prometheus=$2
py=/usr/bin/python3
dir=$(mktemp -d /tmp/lagwatch-web-prom-XXXXXX)
lag_pid=
prom_pid=
cleanup() {
  [[ -n $lag_pid ]] && kill "$lag_pid" 2>/dev/null && wait "$lag_pid" 2>/dev/null || true
  [[ -n $prom_pid ]] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- lagwatch log (tail) ---" >&2
  tail -n 40 "$dir/lagwatch.log" >&2 || true
  echo "--- prometheus log (tail) ---" >&2
  tail -n 20 "$dir/prometheus.log" >&2 || true
  exit 1
}
cd "$dir"

# A private CA and a server certificate for 127.0.0.1 (docs/security.md).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj "/CN=lagwatch test CA" -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
  -extfile server.ext -out server.crt 2>/dev/null

# bcrypt of "lagwatch-test" ($2y$, htpasswd -B's format): test data, not a secret.
password=lagwatch-test
cat > web.yml <<'YAML'
tls_server_config:
  cert_file: server.crt
  key_file: server.key
http_server_config:
  headers:
    X-Frame-Options: deny
basic_auth_users:
  prometheus: $2y$05$abcdefghijklmnopqrstuu19b3e0f3gEuedb27QZzTmuLvBt3SQJO
YAML

printf 'clusters:\n  - name: t\n    bootstrap_servers: [127.0.0.1:1]\n' > lagwatch.yml
"$lagwatch" check-config --web.config.file="$dir/web.yml" lagwatch.yml > check.out 2>&1 ||
  { cat check.out; fail "check-config refused a good web config"; }
# ... and refuses a broken one, naming the key.
printf 'basic_auth_users:\n  prometheus: plaintext\n' > broken.yml
if "$lagwatch" check-config --web.config.file="$dir/broken.yml" lagwatch.yml > check.out 2>&1; then
  fail "check-config accepted a web config with a plaintext password"
fi
grep -q "basic_auth_users.prometheus: not a bcrypt hash" check.out || { cat check.out; fail "unclear check-config error"; }

"$lagwatch" demo --web.listen-address=127.0.0.1:0 --web.config.file="$dir/web.yml" > lagwatch.log 2>&1 &
lag_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*listening on .* (port \([0-9]*\)).*/\1/p' lagwatch.log | head -n 1)
  [[ -n $port ]] && break
  kill -0 "$lag_pid" 2>/dev/null || fail "lagwatch exited"
  sleep 0.1
done
[[ -n $port ]] || fail "lagwatch did not report its port"
grep -q "web: serving HTTPS on 127.0.0.1:0 (TLS 1.2+, client certs: none, basic auth: 1 user)" lagwatch.log ||
  fail "no startup line saying what is on"

prom_port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > prometheus.yml <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: lagwatch
    scheme: https
    tls_config: {ca_file: $dir/ca.crt}
    basic_auth: {username: prometheus, password: $password}
    static_configs: [{targets: ["127.0.0.1:$port"]}]
  - job_name: wrong-password
    scheme: https
    tls_config: {ca_file: $dir/ca.crt}
    basic_auth: {username: prometheus, password: not-the-password}
    static_configs: [{targets: ["127.0.0.1:$port"]}]
  - job_name: no-ca
    scheme: https
    basic_auth: {username: prometheus, password: $password}
    static_configs: [{targets: ["127.0.0.1:$port"]}]
YAML
"$prometheus" --config.file=prometheus.yml --storage.tsdb.path="$dir/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" > prometheus.log 2>&1 &
prom_pid=$!

check() {
  "$py" - "$prom_port" <<'PY'
import json, sys, urllib.request
port = sys.argv[1]
def get(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return json.load(r)
up = {s["metric"]["job"]: s["value"][1] for s in get("/api/v1/query?query=up")["data"]["result"]}
targets = {t["labels"]["job"]: t for t in get("/api/v1/targets")["data"]["activeTargets"]}
def scraped(job):
    return job in targets and targets[job]["lastScrape"] and not targets[job]["lastScrape"].startswith("0001")
ok = (up.get("lagwatch") == "1" and up.get("wrong-password") == "0" and up.get("no-ca") == "0"
      and scraped("wrong-password") and scraped("no-ca")
      and "401" in targets["wrong-password"]["lastError"]
      and "certificate" in targets["no-ca"]["lastError"])
print(json.dumps({"up": up, "errors": {j: t["lastError"] for j, t in targets.items()}}))
sys.exit(0 if ok else 1)
PY
}
last=
passed=
for _ in $(seq 1 90); do
  if last=$(check 2>&1); then
    passed=1
    break
  fi
  kill -0 "$lag_pid" 2>/dev/null || fail "lagwatch exited"
  kill -0 "$prom_pid" 2>/dev/null || fail "prometheus exited"
  sleep 1
done
[[ -n $passed ]] || fail "Prometheus did not see the expected targets within 90 s; last answer: $last"
echo "Prometheus: $last"

if grep -q -e "$password" -e "not-the-password" -e "Authorization" -e "cHJvbWV0aGV1czp" lagwatch.log; then
  fail "lagwatch's log holds a password or an Authorization header"
fi
grep -q 'wrong password (user "prometheus")' lagwatch.log || fail "the refusal is not logged with the user"
grep -q 'TLS handshake with 127.0.0.1:[0-9]* failed' lagwatch.log || fail "the failed handshake is not logged"
echo "1 passed, 0 failed"
