#!/usr/bin/python3
"""Structural check of the Grafana dashboards and their provisioning.

    /usr/bin/python3 tests/lab/check_dashboards.py

For every dashboards/*.json: valid JSON; uid, title and schemaVersion present, unique uids
and titles across files; panel ids unique (rows and the panels nested in collapsed rows
included); every panel has a gridPos inside the 24-column grid and no two panels overlap;
no duplicate panel titles; every panel and target uses the provisioned datasource (uid
"prometheus"); every target has an expression and a unique refId; every variable is a valid
query (label_values(...) with a balanced selector, the provisioned datasource, variables it
uses defined before it) and every $variable a query uses is defined. Panels claiming to work
with kafka_exporter alone use only kafka_exporter's families, every panel that does says so,
and docs/dashboards.md names each of them. The JSON is what dashboards/generate.py writes.

Provisioning: the datasource file parses and provisions uid "prometheus" at
http://prometheus:9090; the dashboard provider is a file provider whose path is where
compose/docker-compose.yml mounts dashboards/, and compose mounts both provisioning folders.
Exit status 0 when everything holds, 1 otherwise.
"""
import glob
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promql_util as pu  # noqa: E402

try:
    import yaml
except ImportError:
    sys.exit("check_dashboards: PyYAML is missing: run it with /usr/bin/python3 (Debian's python3-yaml)")

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DS_UID = "prometheus"
KE_NOTE = "Works with kafka_exporter alone."
# danielqsj/kafka_exporter's metric families.
KAFKA_EXPORTER_FAMILIES = {
    "kafka_brokers", "kafka_broker_info", "kafka_topic_partitions",
    "kafka_topic_partition_current_offset", "kafka_topic_partition_oldest_offset",
    "kafka_topic_partition_in_sync_replica", "kafka_topic_partition_leader",
    "kafka_topic_partition_leader_is_preferred", "kafka_topic_partition_replicas",
    "kafka_topic_partition_under_replicated_partition", "kafka_consumergroup_current_offset",
    "kafka_consumergroup_current_offset_sum", "kafka_consumergroup_lag",
    "kafka_consumergroup_lag_sum", "kafka_consumergroup_members", "kafka_consumer_lag_millis",
    "kafka_consumergroupzookeeper_lag_zookeeper",
}
PANEL_TYPES = {"row", "stat", "timeseries", "state-timeline", "status-history", "table",
               "bargauge", "gauge", "text", "piechart", "barchart", "heatmap"}
BUILTIN_VARS = {"__rate_interval", "__interval", "__interval_ms", "__range", "__range_s",
                "__range_ms", "__dashboard", "__from", "__to", "__name"}
VAR_QUERY = re.compile(r"^\s*(label_values|label_names|metrics|query_result)\(.*\)\s*$", re.S)

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


def load_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        err(os.path.relpath(path, REPO), "cannot parse: %s" % e)
        return None


def check_datasource_ref(where, ds):
    if not isinstance(ds, dict) or ds.get("uid") != DS_UID or ds.get("type") != "prometheus":
        err(where, "datasource must be {type: prometheus, uid: %s}, is %r" % (DS_UID, ds))


def check_variables(where, dash):
    defined = set(BUILTIN_VARS)
    names = []
    for var in dash.get("templating", {}).get("list", []):
        name = var.get("name")
        vw = "%s variable %r" % (where, name)
        if not name or not re.match(r"^\w+$", name):
            err(vw, "missing or invalid name")
            continue
        if name in names:
            err(vw, "duplicate variable name")
        names.append(name)
        if var.get("type") == "query":
            check_datasource_ref(vw, var.get("datasource"))
            q = pu.variable_query_text(var)
            if not VAR_QUERY.match(q):
                err(vw, "query %r is not label_values/label_names/metrics/query_result(...)" % q)
            parsed = pu.parse_label_values(q)
            if q.lstrip().startswith("label_values") and parsed is None:
                err(vw, "cannot parse label_values query %r" % q)
            if parsed and parsed[0]:
                try:
                    sels = pu.selectors(parsed[0])
                except ValueError as e:
                    err(vw, str(e))
                    sels = []
                if len(sels) != 1 or sels[0] != parsed[0].strip():
                    err(vw, "label_values needs one plain series selector, got %r" % parsed[0])
            used = pu.variables_used(q) - defined
            if used:
                err(vw, "uses variables not defined before it: %s" % ", ".join(sorted(used)))
            if var.get("definition") not in (None, q):
                err(vw, "definition %r differs from query %r" % (var.get("definition"), q))
            if var.get("includeAll") and "allValue" in var and var["allValue"] not in (".*", ".+", None):
                err(vw, "unexpected allValue %r" % var["allValue"])
        elif var.get("type") not in ("custom", "interval", "constant", "textbox", "datasource", "adhoc"):
            err(vw, "unknown variable type %r" % var.get("type"))
        defined.add(name)
    return defined


def overlaps(a, b):
    return not (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or
                a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])


def check_grid(where, panels):
    placed = []
    for p in panels:
        gp = p.get("gridPos")
        pw = "%s panel %r" % (where, p.get("title"))
        if not isinstance(gp, dict) or not all(isinstance(gp.get(k), int) for k in "hwxy"):
            err(pw, "gridPos with integer h, w, x, y is required, got %r" % gp)
            continue
        if gp["w"] < 1 or gp["h"] < 1 or gp["x"] < 0 or gp["y"] < 0 or gp["x"] + gp["w"] > 24:
            err(pw, "gridPos %r is outside the 24-column grid" % gp)
        for other_title, other in placed:
            if overlaps(gp, other):
                err(pw, "overlaps panel %r" % other_title)
        placed.append((p.get("title"), gp))


def check_dashboard(path, seen_uids, seen_titles, ke_panels):
    where = os.path.relpath(path, REPO)
    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        err(where, "invalid JSON: %s" % e)
        return 0
    for key in ("uid", "title", "schemaVersion", "panels", "templating"):
        if key not in dash:
            err(where, "missing %r" % key)
    if not isinstance(dash.get("schemaVersion"), int) or dash.get("schemaVersion", 0) < 36:
        err(where, "schemaVersion %r: Grafana 10/11 dashboards have 36 or more" % dash.get("schemaVersion"))
    uid, title = dash.get("uid"), dash.get("title")
    if uid in seen_uids:
        err(where, "uid %r also used by %s" % (uid, seen_uids[uid]))
    seen_uids[uid] = where
    if title in seen_titles:
        err(where, "title %r also used by %s" % (title, seen_titles[title]))
    seen_titles[title] = where
    if uid and len(uid) > 40:
        err(where, "uid longer than 40 characters")

    defined = check_variables(where, dash)

    ids, titles = {}, {}
    top = dash.get("panels", [])
    # Expanded layout: the top-level panels; each collapsed row's children among themselves.
    check_grid(where, top)
    for p in top:
        if p.get("type") == "row" and p.get("collapsed"):
            check_grid(where + " row %r" % p.get("title"), p.get("panels", []))
        elif p.get("type") == "row" and p.get("panels"):
            err(where, "expanded row %r must not nest panels" % p.get("title"))
    count = 0
    for p in pu.walk_panels(top):
        count += 1
        pw = "%s panel %r" % (where, p.get("title"))
        pid = p.get("id")
        if not isinstance(pid, int):
            err(pw, "id must be an integer, is %r" % pid)
        elif pid in ids:
            err(pw, "id %d also used by panel %r" % (pid, ids[pid]))
        else:
            ids[pid] = p.get("title")
        if not p.get("title"):
            err(pw, "no title")
        elif p.get("title") in titles:
            err(pw, "duplicate title in this dashboard")
        else:
            titles[p.get("title")] = pid
        ptype = p.get("type")
        if ptype not in PANEL_TYPES:
            err(pw, "unknown panel type %r" % ptype)
        if ptype == "row":
            continue
        check_datasource_ref(pw, p.get("datasource"))
        targets = p.get("targets") or []
        if ptype != "text" and not targets:
            err(pw, "no queries")
        refids = set()
        metrics = set()
        for t in targets:
            tw = "%s target %s" % (pw, t.get("refId"))
            check_datasource_ref(tw, t.get("datasource"))
            if not t.get("refId") or t.get("refId") in refids:
                err(tw, "missing or duplicate refId")
            refids.add(t.get("refId"))
            expr = t.get("expr", "")
            if not expr.strip():
                err(tw, "empty expr")
                continue
            used = {v for v in pu.variables_used(expr) if not v.isdigit()} - defined
            if used:
                err(tw, "undefined variables: %s" % ", ".join(sorted(used)))
            try:
                metrics |= {pu.metric_name(s) for s in pu.selectors(expr)}
            except ValueError as e:
                err(tw, str(e))
        claims_ke = KE_NOTE in (p.get("description") or "")
        only_ke = bool(metrics) and metrics <= KAFKA_EXPORTER_FAMILIES
        if claims_ke and not only_ke:
            err(pw, "says it works with kafka_exporter alone but uses %s"
                % ", ".join(sorted(metrics - KAFKA_EXPORTER_FAMILIES)))
        if only_ke and not claims_ke:
            err(pw, "uses only kafka_exporter's families: add %r to its description" % KE_NOTE)
        if claims_ke:
            ke_panels.append((where, p.get("title")))
    return count


def check_provisioning(compose):
    ds_path = os.path.join(REPO, "dashboards", "provisioning", "datasources", "prometheus.yml")
    db_path = os.path.join(REPO, "dashboards", "provisioning", "dashboards", "lagwatch.yml")
    ds = load_yaml(ds_path)
    if ds is not None:
        w = os.path.relpath(ds_path, REPO)
        items = ds.get("datasources") if isinstance(ds, dict) else None
        if ds.get("apiVersion") != 1 or not isinstance(items, list):
            err(w, "needs apiVersion: 1 and a datasources list")
        else:
            prom = [d for d in items if d.get("uid") == DS_UID]
            if len(prom) != 1:
                err(w, "exactly one datasource with uid %r is required" % DS_UID)
            else:
                d = prom[0]
                if d.get("type") != "prometheus":
                    err(w, "datasource %r must have type prometheus" % DS_UID)
                if d.get("url") != "http://prometheus:9090":
                    err(w, "datasource url must be http://prometheus:9090, is %r" % d.get("url"))
    db = load_yaml(db_path)
    provider_path = None
    if db is not None:
        w = os.path.relpath(db_path, REPO)
        providers = db.get("providers") if isinstance(db, dict) else None
        if db.get("apiVersion") != 1 or not isinstance(providers, list) or len(providers) != 1:
            err(w, "needs apiVersion: 1 and one provider")
        else:
            pv = providers[0]
            if pv.get("type") != "file":
                err(w, "the provider must be of type file")
            provider_path = (pv.get("options") or {}).get("path")
            if not provider_path:
                err(w, "the provider needs options.path")
    if compose is None:
        return
    grafana = (compose.get("services") or {}).get("grafana")
    w = "compose/docker-compose.yml service grafana"
    if not grafana:
        err(w, "missing")
        return
    mounts = {}
    for v in grafana.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            src, dst = parts[0], parts[1] if len(parts) > 1 else None
        else:
            src, dst = v.get("source"), v.get("target")
        if dst:
            mounts[dst.rstrip("/")] = os.path.normpath(os.path.join(REPO, "compose", src))
    want = {
        "/etc/grafana/provisioning/datasources": os.path.dirname(ds_path),
        "/etc/grafana/provisioning/dashboards": os.path.dirname(db_path),
    }
    if provider_path:
        want[provider_path.rstrip("/")] = os.path.join(REPO, "dashboards")
    for dst, src in want.items():
        if mounts.get(dst) != src:
            err(w, "must mount %s at %s (mounts: %r)" % (os.path.relpath(src, REPO), dst, mounts))


def main():
    r = subprocess.run([sys.executable, os.path.join(REPO, "dashboards", "generate.py"), "--check"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        err("dashboards/generate.py --check", (r.stdout + r.stderr).strip())

    paths = sorted(glob.glob(os.path.join(REPO, "dashboards", "*.json")))
    if not paths:
        err("dashboards", "no *.json")
    seen_uids, seen_titles, ke_panels = {}, {}, []
    summary = []
    for path in paths:
        n = check_dashboard(path, seen_uids, seen_titles, ke_panels)
        summary.append("%s: %d panels" % (os.path.relpath(path, REPO), n))

    compose_path = os.path.join(REPO, "compose", "docker-compose.yml")
    compose = load_yaml(compose_path) if os.path.exists(compose_path) else None
    if compose is None:
        err("compose/docker-compose.yml", "missing or invalid (needed to check the provisioning mounts)")
    check_provisioning(compose)

    docs = os.path.join(REPO, "docs", "dashboards.md")
    try:
        with open(docs, encoding="utf-8") as f:
            doc_text = f.read()
        for where, title in ke_panels:
            if title not in doc_text:
                err("docs/dashboards.md", "does not list %r (%s) among the panels that work with "
                                          "kafka_exporter alone" % (title, where))
    except OSError:
        err("docs/dashboards.md", "missing")

    for line in summary:
        print("check_dashboards: " + line)
    print("check_dashboards: %d panels work with kafka_exporter alone" % len(ke_panels))
    if errors:
        for e in errors:
            print("FAIL " + e)
        print("check_dashboards: FAILED (%d)" % len(errors))
        return 1
    print("check_dashboards: PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
