#!/usr/bin/python3
"""Every PromQL expression of dashboards/*.json and rules/*.yml, evaluated by a real Prometheus
that scrapes `lagwatch demo`.

    /usr/bin/python3 tests/lab/check_promql.py path/to/lagwatch [--wait 65] [--keep]

Starts the demo and /usr/bin/prometheus (scrape and rule evaluation every 2 s, every
rules/*.yml loaded) on free loopback ports, waits until the demo's groups have diverged and
rates have samples, then checks through the HTTP API:

- dashboard variables: label_values(metric{...}, label) must find series with that label;
- panel queries (after substituting $cluster, $consumergroup, $topic, $job with the values
  the variables resolved to, the way Grafana does, and $__rate_interval & co. with durations):
  must parse and return data;
- recording rules: must parse and return data;
- alerting rules: must parse, and every vector selector in them must have data (an alert
  that does not fire on the demo returns nothing, correctly).

Before waiting, it triggers the demo's incidents broker-down 2 and broker-slow 3 (docs/demo.md),
so the families that exist only while a broker is down or slow have data. An empty result
passes only when every empty selector in it is in ALLOW_EMPTY below, each with its reason and,
where the reason is a property of the demo cluster, a query that proves the reason holds in
this very run. Exit status 0 when everything passes, 1 otherwise.
Both processes are stopped on every exit path.
"""
import atexit
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promql_util as pu  # noqa: E402

try:
    import yaml
except ImportError:
    sys.exit("check_promql: PyYAML is missing: run it with /usr/bin/python3 (Debian's python3-yaml)")

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
SCRAPE_INTERVAL = "2s"

# Durations Grafana would put in place of its built-in variables (scrape interval 2 s here).
BUILTINS = {
    "__rate_interval": "30s",
    "__interval": "10s",
    "__interval_ms": "10000",
    "__range": "1m",
    "__range_s": "60",
    "__range_ms": "60000",
}

# The demo cluster does not answer DescribeQuorum, so lagwatch takes it for ZooKeeper mode (a
# property of the demo, which has no KRaft quorum to show, not a gap of the mock).
NOT_KRAFT = 'lagwatch_cluster_info{kraft="false"}'
# metric -> (reason, PromQL that must return data for the exemption to apply, or None when
# the exemption needs no proof). Nothing else may be empty.
ALLOW_EMPTY = {
    # Sparse families: a series exists only while the state holds (README, "Cluster health").
    "lagwatch_consumergroup_lag_seconds_is_lower_bound": (
        "sparse: present only where a committed offset is older than lagwatch's history; "
        "the demo's history covers every commit", None),
    "lagwatch_kafka_api_unsupported": (
        "sparse: present only for an API some broker lacks; the demo cluster answers every API "
        "lagwatch asks a ZooKeeper-mode cluster for", "absent(lagwatch_kafka_api_unsupported)"),
    # Sparse, or present only on clusters with the feature.
    "lagwatch_broker_fenced": (
        "sparse: present only for a fenced broker of a KRaft cluster", None),
    "lagwatch_consumergroup_partition_data_lost": (
        "sparse: present only where a committed offset is below the log start offset", None),
    "lagwatch_consumergroup_epoch": (
        "only for KIP-848 (consumer protocol) groups; the demo's groups are classic",
        'absent(lagwatch_consumergroup_info{protocol="consumer"})'),
    # Threshold overrides: the shipped file has only the defaults; the override levels the
    # resolution rules select are empty until a user adds one.
    "lagwatch_threshold:quorum_voter_lag_records": (
        "override levels (cluster label) are empty until a user adds one", None),
    # KRaft metadata quorum: DescribeQuorum, which the mock broker does not answer.
    "lagwatch_cluster_info": (
        "KafkaKRaftQuorumNoLeader selects kraft=\"true\" clusters; the mock cluster is not KRaft "
        "(its series says kraft=\"false\")", NOT_KRAFT),
    **{name: ("KRaft only (DescribeQuorum); the mock cluster is not KRaft", NOT_KRAFT) for name in (
        "lagwatch_kraft_quorum_leader_id", "lagwatch_kraft_quorum_leader_epoch",
        "lagwatch_kraft_quorum_high_watermark", "lagwatch_kraft_quorum_voters",
        "lagwatch_kraft_quorum_voters_live", "lagwatch_kraft_quorum_replica_log_end_offset",
        "lagwatch_kraft_quorum_replica_lag", "lagwatch_kraft_quorum_replica_last_fetch_age_seconds",
        "lagwatch_kraft_quorum_replica_last_caught_up_age_seconds",
        "cluster:lagwatch_threshold_quorum_voter_lag_records:effective")},
}

_children = []
_tmpdirs = []


def cleanup():
    for p in reversed(_children):
        if p.poll() is None:
            try:
                p.terminate()
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            except ProcessLookupError:
                pass
    _children.clear()
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)
    _tmpdirs.clear()


def _on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


def _die_with_parent():
    """Children get SIGTERM if this script dies without cleaning up (e.g. SIGKILL on a ctest
    timeout). Linux only; elsewhere cleanup() alone has to do."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    """Returns (status, body text); status 0 when the server did not answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
        return 0, ""


class Prom:
    def __init__(self, base):
        self.base = base

    def api(self, path, params):
        url = self.base + path + "?" + urllib.parse.urlencode(params, doseq=True)
        status, body = http_get(url, timeout=15)
        if status == 0:
            return {"status": "error", "errorType": "unreachable", "error": "Prometheus did not answer"}
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            return {"status": "error", "errorType": "http %d" % status, "error": body[:200]}

    def query(self, expr):
        """Returns (ok, result list or scalar, error text)."""
        r = self.api("/api/v1/query", {"query": expr})
        if r.get("status") != "success":
            return False, None, "%s: %s" % (r.get("errorType"), r.get("error"))
        data = r["data"]
        if data["resultType"] in ("scalar", "string"):
            return True, [data["result"]], None
        return True, data["result"], None

    def series(self, selector, minutes=5):
        now = time.time()
        r = self.api("/api/v1/series", {"match[]": selector, "start": now - 60 * minutes, "end": now})
        if r.get("status") != "success":
            return False, None, "%s: %s" % (r.get("errorType"), r.get("error"))
        return True, r["data"], None


def wait_until(what, fn, timeout, procs):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for name, p, log in procs:
            if p.poll() is not None:
                raise RuntimeError("%s exited with %s while waiting for %s:\n%s"
                                   % (name, p.returncode, what, tail(log)))
        if fn():
            return
        time.sleep(0.5)
    raise RuntimeError("timed out after %ss waiting for %s" % (timeout, what))


def tail(path, n=30):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def rule_files(rules_dir):
    """rules/*.yml that hold Prometheus rule groups (promtool test files are skipped)."""
    files = []
    rules_dir = os.path.abspath(rules_dir)
    for path in sorted(glob.glob(os.path.join(rules_dir, "*.yml")) +
                       glob.glob(os.path.join(rules_dir, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if isinstance(doc, dict) and "groups" in doc:
            files.append((path, doc))
    return files


class Checker:
    def __init__(self, prom):
        self.prom = prom
        self.rows = []  # (verdict, source, item, series, note)
        self.failures = 0
        self._sel_cache = {}
        self._cond_cache = {}
        self.used_allowances = {}

    def record(self, verdict, source, item, series, note="", expr=None):
        if verdict == "FAIL":
            self.failures += 1
            if expr:
                note = (note + "\n" if note else "") + "expr: " + expr
        self.rows.append((verdict, source, item, series, note))

    def selector_count(self, sel):
        if sel not in self._sel_cache:
            ok, res, err = self.prom.query(sel)
            self._sel_cache[sel] = (len(res) if ok else None, err)
        return self._sel_cache[sel]

    def condition_holds(self, cond):
        if cond is None:
            return True
        if cond not in self._cond_cache:
            ok, res, _ = self.prom.query(cond)
            self._cond_cache[cond] = bool(ok and res)
        return self._cond_cache[cond]

    def explain_empty(self, expr):
        """For an expression without data: (allowed, note)."""
        empty = []
        for sel in pu.selectors(expr):
            n, err = self.selector_count(sel)
            if err:
                return False, "selector %s: %s" % (sel, err)
            if n == 0:
                empty.append(sel)
        if not empty:
            return False, "every selector has data, but the expression returns nothing"
        reasons = []
        for sel in empty:
            name = pu.metric_name(sel)
            entry = ALLOW_EMPTY.get(name)
            if entry is None:
                return False, "no data for %s" % sel
            reason, cond = entry
            if not self.condition_holds(cond):
                return False, ("no data for %s, and the allow-list's reason does not hold here "
                               "(%s returns nothing)" % (sel, cond))
            self.used_allowances[name] = reason
            reasons.append(name)
        return True, "allow-listed: " + ", ".join(sorted(set(reasons)))

    def check_expr(self, source, item, expr, must_have_data=True):
        ok, res, err = self.prom.query(expr)
        if not ok:
            self.record("FAIL", source, item, "-", err, expr)
            return
        if res:
            self.record("ok", source, item, str(len(res)),
                        "" if must_have_data else "firing on the demo now")
            return
        if not must_have_data:
            # Alerting rule: empty means "not firing". Its selectors must have data.
            bad = []
            allowed = []
            for sel in pu.selectors(expr):
                n, serr = self.selector_count(sel)
                if serr:
                    bad.append("%s: %s" % (sel, serr))
                elif n == 0:
                    a, note = self.explain_empty(sel)
                    (allowed if a else bad).append(sel if a else note)
            if bad:
                self.record("FAIL", source, item, "0", "; ".join(bad), expr)
            elif allowed:
                self.record("allowed", source, item, "0",
                            "not firing; allow-listed empty: " +
                            ", ".join(sorted({pu.metric_name(s) for s in allowed})))
            else:
                self.record("ok", source, item, "0", "not firing; every selector has data")
            return
        allowed, note = self.explain_empty(expr)
        self.record("allowed" if allowed else "FAIL", source, item, "0", note,
                    None if allowed else expr)

    # ---- dashboards ------------------------------------------------------------------------
    def resolve_variables(self, dash, source):
        values = dict(BUILTINS)
        for var in dash.get("templating", {}).get("list", []):
            name = var.get("name")
            vtype = var.get("type")
            if vtype == "query":
                query = pu.substitute(pu.variable_query_text(var), values)
                parsed = pu.parse_label_values(query)
                item = "variable $%s" % name
                if parsed is None:
                    ok, res, err = self.prom.query(query)
                    if not ok:
                        self.record("FAIL", source, item, "-", err, query)
                        continue
                    vals = sorted({str(r.get("metric", {})) for r in res})
                else:
                    sel, label = parsed
                    if sel is None:
                        st, body = http_get(self.prom.base + "/api/v1/label/%s/values" % label)
                        vals = sorted(json.loads(body)["data"]) if st == 200 else []
                        err = None if st == 200 else body
                        ok = st == 200
                    else:
                        ok, res, err = self.prom.series(sel)
                        vals = sorted({s[label] for s in res if label in s}) if ok else []
                    if not ok:
                        self.record("FAIL", source, item, "-", err, query)
                        continue
                    if not vals:
                        allowed, note = self.explain_empty(sel) if sel else (False, "")
                        if not allowed:
                            note = ("no series of %s has the label %s" % (sel, label)
                                    if not note.startswith("no data") else note)
                        self.record("allowed" if allowed else "FAIL", source, item, "0", note,
                                    None if allowed else query)
                    else:
                        self.record("ok", source, item, str(len(vals)),
                                    "values: " + ", ".join(vals[:6]) + (" ..." if len(vals) > 6 else ""))
                if var.get("includeAll"):
                    values[name] = var.get("allValue") or (
                        "(" + "|".join(v.replace(".", "\\\\.") for v in vals) + ")" if vals else ".*")
                else:
                    values[name] = vals[0] if vals else ""
            elif vtype == "custom":
                opts = [o.strip() for o in str(var.get("query", "")).split(",") if o.strip()]
                values[name] = opts[0] if opts else ""
            elif vtype == "interval":
                opts = [o.strip() for o in str(var.get("query", "")).split(",") if o.strip()]
                values[name] = opts[0] if opts else "1m"
            elif vtype in ("constant", "textbox"):
                values[name] = str(var.get("query", ""))
        return values

    def check_dashboard(self, path):
        source = os.path.relpath(path, REPO)
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
        values = self.resolve_variables(dash, source)
        for panel in pu.walk_panels(dash.get("panels", [])):
            for t in panel.get("targets", []) or []:
                expr = t.get("expr")
                if not expr:
                    continue
                unknown = {v for v in pu.variables_used(expr) if v not in values and not v.isdigit()}
                item = "panel '%s' %s" % (panel.get("title"), t.get("refId", ""))
                if unknown:
                    self.record("FAIL", source, item, "-",
                                "undefined variables: " + ", ".join(sorted(unknown)), expr)
                    continue
                self.check_expr(source, item, pu.substitute(expr, values))

    # ---- rules -----------------------------------------------------------------------------
    def check_rules(self, path, doc):
        source = os.path.relpath(path, REPO)
        for group in doc.get("groups") or []:
            for rule in group.get("rules") or []:
                expr = str(rule.get("expr", ""))
                if "record" in rule:
                    self.check_expr(source, "record %s" % rule["record"], expr)
                elif "alert" in rule:
                    self.check_expr(source, "alert %s" % rule["alert"], expr, must_have_data=False)
                else:
                    self.record("FAIL", source, "group %s" % group.get("name"), "-",
                                "rule with neither record nor alert")

    def print_table(self):
        w_src = max([len(r[1]) for r in self.rows] + [6])
        w_item = min(max([len(r[2]) for r in self.rows] + [4]), 70)
        print("%-7s  %-*s  %-*s  %6s  %s" % ("RESULT", w_src, "SOURCE", w_item, "ITEM", "SERIES", "NOTE"))
        for verdict, source, item, series, note in self.rows:
            lines = note.split("\n") if note else [""]
            print("%-7s  %-*s  %-*s  %6s  %s" % (verdict, w_src, source, w_item, item, series, lines[0]))
            for extra in lines[1:]:
                print("%-7s  %-*s  %-*s  %6s    %s" % ("", w_src, "", w_item, "", "", extra))


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lagwatch", help="path of the lagwatch binary")
    ap.add_argument("--wait", type=float, default=65,
                    help="seconds of demo traffic before evaluating (default 65)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--dashboards-dir", default=os.path.join(REPO, "dashboards"),
                    help="where the dashboards' JSON is (default: the repository's dashboards/)")
    ap.add_argument("--rules-dir", default=os.path.join(REPO, "rules"),
                    help="where the rule files are (default: the repository's rules/)")
    args = ap.parse_args(argv)

    started = time.time()
    binary = os.path.abspath(args.lagwatch)
    for exe in (binary, PROMETHEUS):
        if not os.access(exe, os.X_OK):
            print("check_promql: %s is not an executable" % exe)
            return 1

    rules = rule_files(args.rules_dir)
    if rules and os.access(PROMTOOL, os.X_OK):
        for path, _ in rules:
            r = subprocess.run([PROMTOOL, "check", "rules", path], capture_output=True, text=True)
            if r.returncode != 0:
                print("check_promql: promtool rejects %s:\n%s%s" % (os.path.relpath(path, REPO),
                                                                   r.stdout, r.stderr))
                return 1

    tmp = tempfile.mkdtemp(prefix="lagwatch-promql-")
    if not args.keep:
        _tmpdirs.append(tmp)
    demo_port, prom_port = free_port(), free_port()
    while prom_port == demo_port:
        prom_port = free_port()
    config = {
        "global": {"scrape_interval": SCRAPE_INTERVAL, "evaluation_interval": SCRAPE_INTERVAL,
                   "scrape_timeout": SCRAPE_INTERVAL},
        "rule_files": [p for p, _ in rules],
        "scrape_configs": [{"job_name": "lagwatch",
                            "static_configs": [{"targets": ["127.0.0.1:%d" % demo_port]}]}],
    }
    with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
        yaml.safe_dump(config, f)

    demo_log = os.path.join(tmp, "demo.log")
    prom_log = os.path.join(tmp, "prometheus.log")
    with open(demo_log, "w") as out:
        # A notifier aimed at a closed port, so the notifier counters exist (as failures).
        demo = subprocess.Popen([binary, "demo", "--web.listen-address=127.0.0.1:%d" % demo_port,
                                 "--notifier.url=http://127.0.0.1:%d/hook" % free_port()],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent)
    _children.append(demo)
    with open(prom_log, "w") as out:
        prom_proc = subprocess.Popen(
            [PROMETHEUS, "--config.file=" + os.path.join(tmp, "prometheus.yml"),
             "--storage.tsdb.path=" + os.path.join(tmp, "data"),
             "--web.listen-address=127.0.0.1:%d" % prom_port, "--log.level=warn"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent)
    _children.append(prom_proc)
    procs = [("lagwatch demo", demo, demo_log), ("prometheus", prom_proc, prom_log)]
    prom = Prom("http://127.0.0.1:%d" % prom_port)

    try:
        wait_until("lagwatch /healthz",
                   lambda: http_get("http://127.0.0.1:%d/healthz" % demo_port)[0] == 200, 30, procs)
        wait_until("prometheus /-/ready", lambda: http_get(prom.base + "/-/ready")[0] == 200, 30, procs)
        # The incidents that make the sparse families present (docs/demo.md): broker 2 down
        # (an offline partition, under-replicated ones), broker 3 slow (payments under min
        # ISR). Through the command a student types; retried until the demo has seen its
        # partitions.
        for incident in (["broker-down", "2"], ["broker-slow", "3"]):
            def triggered(incident=incident):
                r = subprocess.run([binary, "demo", "incident"] + incident +
                                   ["--web.listen-address=127.0.0.1:%d" % demo_port],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
                return r.returncode == 0
            wait_until("lagwatch demo incident %s" % " ".join(incident), triggered, 30, procs)
        print("check_promql: lagwatch demo on :%d, prometheus %s on :%d, %d rule file(s); "
              "waiting %.0fs for traffic" % (demo_port, PROMETHEUS, prom_port, len(rules), args.wait))
        wait_until("%.0fs of demo traffic" % args.wait,
                   lambda: time.time() - started >= args.wait, args.wait + 5, procs)

        def polled():
            ok, res, _ = prom.query('lagwatch_polls_total{job="lagwatch"} >= 5')
            return bool(ok and res)
        wait_until("5 polls scraped by Prometheus", polled, 30, procs)
        if rules:
            def rules_ran():
                r = prom.api("/api/v1/rules", {})
                groups = r.get("data", {}).get("groups", []) if r.get("status") == "success" else []
                return bool(groups) and all(
                    not str(g.get("lastEvaluation", "0001")).startswith("0001") for g in groups)
            wait_until("every rule group evaluated", rules_ran, 20, procs)

        checker = Checker(prom)
        dashboards = sorted(glob.glob(os.path.join(args.dashboards_dir, "*.json")))
        if not dashboards:
            print("check_promql: no *.json in %s" % args.dashboards_dir)
            return 1
        for path in dashboards:
            checker.check_dashboard(path)
        for path, doc in rules:
            checker.check_rules(path, doc)

        checker.print_table()
        for name, (reason, _cond) in ALLOW_EMPTY.items():
            n, _ = checker.selector_count(name)
            # An entry used in this run is needed, whatever the bare name matches (the
            # threshold names have their default series but empty override levels).
            if n and name not in checker.used_allowances:
                print("NOTE: allow-list entry %s is no longer needed (%d series now): remove it" % (name, n))
        counts = {}
        for r in checker.rows:
            counts[r[0]] = counts.get(r[0], 0) + 1
        print("\ncheck_promql: %d checked: %s; %d dashboard(s), %d rule file(s); %.0fs"
              % (len(checker.rows), ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items())),
                 len(dashboards), len(rules), time.time() - started))
        if checker.used_allowances:
            print("allow-listed empty metrics used:")
            for name, reason in sorted(checker.used_allowances.items()):
                print("  %s: %s" % (name, reason))
        if checker.failures:
            print("check_promql: FAILED (%d)" % checker.failures)
            return 1
        print("check_promql: PASSED")
        return 0
    except RuntimeError as e:
        print("check_promql: %s" % e)
        return 1
    finally:
        if args.keep:
            print("check_promql: kept %s" % tmp)
        cleanup()


if __name__ == "__main__":
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sys.exit(main(sys.argv[1:]))
