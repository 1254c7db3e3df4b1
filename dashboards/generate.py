#!/usr/bin/python3
"""Writes lagwatch's Grafana dashboards (dashboards/*.json) from the definitions below.

The JSON files are what Grafana loads and what the tests check; this script is their source,
so that panel ids, layout and the datasource reference stay consistent. Edit a panel here and
run it again:

    /usr/bin/python3 dashboards/generate.py          # rewrite dashboards/*.json
    /usr/bin/python3 dashboards/generate.py --check  # exit 1 if the JSON differs from this script

Conventions
- Every panel and query uses the provisioned Prometheus datasource, uid "prometheus".
- Variables: $cluster (lagwatch's cluster label; "All" is .* so that kafka_exporter's
  series, which have no cluster label, match too), $consumergroup, $topic; dashboard 4 has
  $job (the scrape job of lagwatch) instead of group and topic.
- A panel whose queries use only kafka_exporter's metric families says so in its
  description with the sentence KE_NOTE; tests/lab/check_dashboards.py verifies the claim and
  docs/dashboards.md lists those panels.
- Panels show zeros rather than "No data" on a healthy cluster: no "> 0" filters on gauges.
"""
import json
import os
import sys

DS = {"type": "prometheus", "uid": "prometheus"}
KE_NOTE = "Works with kafka_exporter alone."
HERE = os.path.dirname(os.path.abspath(__file__))

C = 'cluster=~"$cluster"'
G = 'consumergroup=~"$consumergroup"'
BG = 'consumer_group=~"$consumergroup"'  # Burrow's label name on the burrow_kafka_* families
T = 'topic=~"$topic"'
J = 'job=~"$job"'

# Burrow's colours.
GROUP_STATUS_MAPPINGS = [{"type": "value", "options": {
    "0": {"text": "NOTFOUND", "color": "#8e8e8e", "index": 0},
    "1": {"text": "OK", "color": "green", "index": 1},
    "2": {"text": "WARN", "color": "orange", "index": 2},
    "3": {"text": "ERR", "color": "red", "index": 3},
}}]
PARTITION_STATUS_MAPPINGS = [{"type": "value", "options": {
    "0": {"text": "NOTFOUND", "color": "#8e8e8e", "index": 0},
    "1": {"text": "OK", "color": "green", "index": 1},
    "2": {"text": "WARN", "color": "orange", "index": 2},
    "3": {"text": "ERR", "color": "red", "index": 3},
    "4": {"text": "STOP", "color": "red", "index": 4},
    "5": {"text": "STALL", "color": "dark-red", "index": 5},
    "6": {"text": "REWIND", "color": "purple", "index": 6},
}}]
GROUP_STATE_MAPPINGS = [{"type": "value", "options": {
    "0": {"text": "Unknown", "color": "#8e8e8e", "index": 0},
    "1": {"text": "Stable", "color": "green", "index": 1},
    "2": {"text": "PreparingRebalance", "color": "orange", "index": 2},
    "3": {"text": "CompletingRebalance", "color": "orange", "index": 3},
    "4": {"text": "Empty", "color": "blue", "index": 4},
    "5": {"text": "Dead", "color": "red", "index": 5},
    "6": {"text": "Assigning", "color": "orange", "index": 6},
    "7": {"text": "Reconciling", "color": "yellow", "index": 7},
    "8": {"text": "NotReady", "color": "#8e8e8e", "index": 8},
}}]
STATUS_COLOURS = {"OK": "green", "WARN": "orange", "ERR": "red", "NOTFOUND": "#8e8e8e"}


def thresholds(*steps):
    """steps: (colour, from_value) pairs, the first from None."""
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in steps]}


OK_IF_ZERO = thresholds(("green", None), ("red", 1))
WARN_IF_ANY = thresholds(("green", None), ("orange", 1))
NEUTRAL = thresholds(("blue", None))


def target(expr, legend="", ref="A", instant=False, table=False):
    t = {"refId": ref, "datasource": DS, "expr": expr, "legendFormat": legend,
         "range": not instant, "instant": instant, "editorMode": "code"}
    if table:
        t["format"] = "table"
    return t


def targets(*specs, instant=False, table=False):
    """specs: (expr, legend) pairs; refIds A, B, C, ..."""
    return [target(e, l, chr(ord("A") + i), instant, table) for i, (e, l) in enumerate(specs)]


def desc(text, ke=False):
    return (text + " " + KE_NOTE) if ke else text


def stat(title, expr, legend="", description="", ke=False, unit="none", th=NEUTRAL,
         mappings=None, text_mode="auto", color_mode="background", w=4, h=4, decimals=None,
         overrides=None):
    p = {"type": "stat", "title": title, "description": desc(description, ke),
         "targets": targets((expr, legend), instant=True),
         "fieldConfig": {"defaults": {"unit": unit, "thresholds": th, "mappings": mappings or [],
                                      "color": {"mode": "thresholds"}},
                         "overrides": overrides or []},
         "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                     "colorMode": color_mode, "graphMode": "none", "justifyMode": "auto",
                     "orientation": "auto", "textMode": text_mode, "wideLayout": True,
                     "showPercentChange": False},
         "_size": (w, h)}
    if decimals is not None:
        p["fieldConfig"]["defaults"]["decimals"] = decimals
    return p


def timeseries(title, specs, description="", ke=False, unit="short", w=12, h=8, stack=False,
               links=None, min_zero=True, overrides=None, step=False):
    custom = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
              "spanNulls": False, "lineInterpolation": "stepAfter" if step else "linear",
              "stacking": {"mode": "normal" if stack else "none", "group": "A"}}
    defaults = {"unit": unit, "custom": custom, "color": {"mode": "palette-classic"},
                "thresholds": NEUTRAL, "mappings": [], "links": links or []}
    if min_zero:
        defaults["min"] = 0
    return {"type": "timeseries", "title": title, "description": desc(description, ke),
            "targets": targets(*specs),
            "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
            "options": {"legend": {"displayMode": "table", "placement": "right", "showLegend": True,
                                   "calcs": ["lastNotNull", "max"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "_size": (w, h)}


def state_timeline(title, expr, legend, mappings, description="", ke=False, w=24, h=8):
    return {"type": "state-timeline", "title": title, "description": desc(description, ke),
            "targets": targets((expr, legend)),
            "fieldConfig": {"defaults": {"mappings": mappings, "color": {"mode": "thresholds"},
                                         "thresholds": NEUTRAL,
                                         "custom": {"lineWidth": 0, "fillOpacity": 80}},
                            "overrides": []},
            "options": {"mergeValues": True, "showValue": "auto", "alignValue": "left",
                        "rowHeight": 0.85,
                        "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"},
                        "tooltip": {"mode": "single", "sort": "none"}},
            "_size": (w, h)}


def bargauge(title, expr, legend, description="", ke=False, unit="short", w=12, h=8, links=None,
             th=None):
    return {"type": "bargauge", "title": title, "description": desc(description, ke),
            "targets": targets((expr, legend), instant=True),
            "fieldConfig": {"defaults": {"unit": unit, "min": 0, "links": links or [],
                                         "color": {"mode": "thresholds"},
                                         "thresholds": th or thresholds(("green", None)),
                                         "mappings": []},
                            "overrides": []},
            "options": {"orientation": "horizontal", "displayMode": "gradient",
                        "valueMode": "color", "showUnfilled": True, "namePlacement": "left",
                        "sizing": "auto", "minVizHeight": 16, "maxVizHeight": 300,
                        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}},
            "_size": (w, h)}


def table(title, specs, description="", ke=False, w=24, h=8, rename=None, hide=(),
          overrides=None, sort_by=None):
    """An instant table from one or more queries, merged on their common labels."""
    exclude = {"Time": True, "__name__": True, "job": True, "instance": True}
    for col in hide:
        exclude[col] = True
    transformations = []
    if len(specs) > 1:
        transformations.append({"id": "merge", "options": {}})
    transformations.append({"id": "organize", "options": {"excludeByName": exclude,
                                                          "renameByName": rename or {},
                                                          "indexByName": {}}})
    options = {"showHeader": True, "cellHeight": "sm",
               "footer": {"show": False, "reducer": ["sum"], "fields": "", "countRows": False}}
    if sort_by:
        options["sortBy"] = [{"displayName": sort_by, "desc": True}]
    return {"type": "table", "title": title, "description": desc(description, ke),
            "targets": targets(*specs, instant=True, table=True),
            "transformations": transformations,
            "fieldConfig": {"defaults": {"custom": {"align": "auto", "cellOptions": {"type": "auto"},
                                                    "inspect": False},
                                         "mappings": [], "thresholds": NEUTRAL,
                                         "color": {"mode": "thresholds"}},
                            "overrides": overrides or []},
            "options": options,
            "_size": (w, h)}


def override(name, **props):
    """Field override by display name. props: unit=..., mappings=..., color=..., custom cell."""
    properties = []
    for k, v in props.items():
        if k == "color":
            properties.append({"id": "color", "value": {"mode": "fixed", "fixedColor": v}})
        elif k == "cell":
            properties.append({"id": "custom.cellOptions", "value": {"type": v}})
        elif k == "links":
            properties.append({"id": "links", "value": v})
        else:
            properties.append({"id": k, "value": v})
    return {"matcher": {"id": "byName", "options": name}, "properties": properties}


def row(title, panels, collapsed=False):
    return {"type": "row", "title": title, "collapsed": collapsed, "_children": panels}


def group_link(field_expr):
    return [{"title": "Consumer group detail",
             "url": "/d/lagwatch-consumer-group/lagwatch-consumer-group-detail?var-cluster=${__field.labels.cluster}"
                    "&var-consumergroup=" + field_expr + "&${__url_time_range}"}]


def var_query(name, label, query, multi=True, include_all=True, all_value=".*", sort=1):
    v = {"name": name, "label": label, "type": "query", "datasource": DS,
         "definition": query,
         "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
         "refresh": 2, "regex": "", "sort": sort, "multi": multi, "includeAll": include_all,
         "current": {}, "options": [], "hide": 0, "skipUrlSync": False}
    if include_all:
        v["allValue"] = all_value
    return v


def layout(items):
    """Flows panels left to right in rows of 24 columns; row panels start a new line.
    Returns the top-level panel list with ids and gridPos; collapsed rows keep their
    children inside."""
    out = []
    next_id = [1]

    def new_id():
        i = next_id[0]
        next_id[0] += 1
        return i

    y = 0

    def place(panels, y0):
        x, y, line_h = 0, y0, 0
        placed = []
        for p in panels:
            w, h = p.pop("_size")
            if x + w > 24:
                x, y, line_h = 0, y + line_h, 0
            p["id"] = new_id()
            p["gridPos"] = {"h": h, "w": w, "x": x, "y": y}
            p["datasource"] = DS
            x += w
            line_h = max(line_h, h)
            placed.append(p)
        return placed, y + line_h

    for item in items:
        if item["type"] == "row":
            children = item.pop("_children")
            item["id"] = new_id()
            item["gridPos"] = {"h": 1, "w": 24, "x": 0, "y": y}
            y += 1
            placed, y_after = place(children, y)
            if item["collapsed"]:
                item["panels"] = placed
            else:
                item["panels"] = []
                out.append(item)
                out.extend(placed)
                y = y_after
                continue
            out.append(item)
        else:
            placed, y = place([item], y)
            out.extend(placed)
    return out


def dashboard(uid, title, description, variables, items, tags=()):
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["lagwatch", "kafka"] + list(tags),
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "timezone": "browser",
        "refresh": "10s",
        "time": {"from": "now-30m", "to": "now"},
        "timepicker": {},
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "weekStart": "",
        "annotations": {"list": [{
            "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts", "type": "dashboard"}]},
        "links": [{"title": "lagwatch dashboards", "type": "dashboards", "tags": ["lagwatch"],
                   "asDropdown": True, "includeVars": True, "keepTime": True, "icon": "external link",
                   "targetBlank": False, "tooltip": "", "url": ""}],
        "templating": {"list": variables},
        "panels": layout(items),
    }


CLUSTER_VAR = var_query("cluster", "Cluster", "label_values(kafka_brokers, cluster)")


# ---------------------------------------------------------------------------------------------
# 1. Cluster health
# ---------------------------------------------------------------------------------------------
def cluster_health():
    topic_var = var_query("topic", "Topic",
                          'label_values(kafka_topic_partitions{cluster=~"$cluster"}, topic)')
    up_map = [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red", "index": 0},
                                            "1": {"text": "up", "color": "green", "index": 1}}}]
    items = [
        row("Cluster", [
            stat("Cluster reachable", f"lagwatch_cluster_up{{{C}}}", "{{cluster}}",
                 "1 if the cluster answered Metadata on lagwatch's last poll.", mappings=up_map,
                 th=thresholds(("red", None), ("green", 1))),
            stat("Brokers", f"sum by (cluster) (kafka_brokers{{{C}}})", "{{cluster}}",
                 "Brokers in the cluster's metadata.", ke=True),
            stat("Brokers down", f"lagwatch_cluster_brokers_down{{{C}}}", "{{cluster}}",
                 "Brokers named in replica sets but missing from the broker list.", th=OK_IF_ZERO),
            stat("Controller", f"lagwatch_cluster_controller_id{{{C}}}", "{{cluster}}",
                 "Node id of the active controller: the controller broker Metadata names in "
                 "ZooKeeper mode, the KRaft quorum's leader in KRaft mode (a controller node, "
                 "which need not be a broker).",
                 mappings=[{"type": "value", "options": {"-1": {"text": "none", "color": "red",
                                                                "index": 0}}}]),
            stat("Active controllers",
                 f'sum by (cluster) (kafka_controller_kafkacontroller_activecontrollercount{{{C}, broker!=""}})',
                 "{{cluster}}",
                 "Sum of ActiveControllerCount as lagwatch computes it, over the live brokers "
                 "(ZooKeeper mode, from Metadata) or the quorum's voters (KRaft, from DescribeQuorum): "
                 "must be exactly 1. (broker!=\"\" keeps lagwatch's series apart from a JMX exporter's "
                 "series of the same name.)",
                 th=thresholds(("red", None), ("green", 1), ("red", 2))),
            stat("Partitions", f"sum by (cluster) (kafka_topic_partitions{{{C}}})", "{{cluster}}",
                 "Partitions of the topics lagwatch reports (after its topic filters).", ke=True),
            stat("Under-replicated partitions",
                 f"sum by (cluster) (kafka_topic_partition_under_replicated_partition{{{C}}})",
                 "{{cluster}}", "Partitions whose ISR is smaller than their replica set.", ke=True,
                 th=OK_IF_ZERO),
            stat("Offline partitions", f"lagwatch_cluster_offline_partitions{{{C}}}", "{{cluster}}",
                 "Partitions without a live leader: unavailable for produce and consume.",
                 th=OK_IF_ZERO),
            stat("Under min ISR",
                 f"sum by (cluster) (lagwatch_topic_partition_under_min_isr{{{C}}})", "{{cluster}}",
                 "Online partitions whose ISR is below the topic's min.insync.replicas: acks=all "
                 "producers fail. Needs DescribeConfigs (absent on lagwatch's demo mock).",
                 th=OK_IF_ZERO),
            stat("At min ISR",
                 f"sum by (cluster) (lagwatch_topic_partition_at_min_isr{{{C}}})", "{{cluster}}",
                 "Online partitions whose ISR equals min.insync.replicas: one more replica lost "
                 "blocks acks=all producers. Needs DescribeConfigs.", th=WARN_IF_ANY),
            stat("Checklist violations",
                 f"sum by (cluster) (lagwatch_topic_checklist_violation{{{C}}})", "{{cluster}}",
                 "Topic rules of the production checklist that are broken (table below).",
                 th=WARN_IF_ANY),
            stat("Leaders not preferred", f"lagwatch_cluster_not_preferred_leader_partitions{{{C}}}",
                 "{{cluster}}",
                 "Online partitions not led by their first replica (run a preferred leader election "
                 "after a broker restart).", th=WARN_IF_ANY),
            stat("Cluster id and mode", f"lagwatch_cluster_info{{{C}}}",
                 "{{cluster}}: {{cluster_id}}, KRaft {{kraft}}",
                 "The cluster's id and whether it runs in KRaft mode (true), with ZooKeeper (false), "
                 "or not known yet (unknown).", text_mode="name", color_mode="none", w=8),
            stat("Quorum leader", f"lagwatch_kraft_quorum_leader_id{{{C}}}", "{{cluster}}",
                 "KRaft: node id of the metadata quorum's leader, the active controller; none (-1) "
                 "without one. No data on ZooKeeper clusters.",
                 mappings=[{"type": "value", "options": {"-1": {"text": "none", "color": "red",
                                                                "index": 0}}}]),
            stat("Leader epoch", f"lagwatch_kraft_quorum_leader_epoch{{{C}}}", "{{cluster}}",
                 "KRaft: epoch of the quorum's leader; it grows by one with every election, so a "
                 "fast-rising epoch means controllers keep failing over."),
            stat("Voters live",
                 f"max by (cluster) (lagwatch_kraft_quorum_voters_live{{{C}}})",
                 "{{cluster}}",
                 "KRaft: voters (controllers) that are the leader or fetched from it within 15 s "
                 "(needs Kafka 3.3+); compare with 'Voters to spare'."),
            stat("Voters to spare",
                 f"max by (cluster) (lagwatch_kraft_quorum_voters_live{{{C}}}) - on (cluster) "
                 f"(floor(max by (cluster) (lagwatch_kraft_quorum_voters{{{C}}}) / 2) + 1)",
                 "{{cluster}}",
                 "KRaft: live voters above the majority (floor(voters / 2) + 1) the quorum needs. "
                 "0: one more controller lost stops metadata changes; below 0 the quorum is lost.",
                 th=thresholds(("red", None), ("orange", 0), ("green", 1))),
            table("Quorum replicas",
                  [(f"lagwatch_kraft_quorum_replica_lag{{{C}}}", ""),
                   (f"lagwatch_kraft_quorum_replica_log_end_offset{{{C}}}", ""),
                   (f"lagwatch_kraft_quorum_replica_last_fetch_age_seconds{{{C}}}", ""),
                   (f"lagwatch_kraft_quorum_replica_last_caught_up_age_seconds{{{C}}}", "")],
                  "KRaft: every voter (controller) and observer (broker) of the metadata quorum: "
                  "records behind the leader's log end, its log end offset, and seconds since it "
                  "last fetched and was last caught up (leader's clock; Kafka 3.3+).", w=12, h=8,
                  rename={"Value #A": "lag (records)", "Value #B": "log end offset",
                          "Value #C": "last fetch", "Value #D": "last caught up"},
                  overrides=[override("last fetch", unit="s"), override("last caught up", unit="s")],
                  sort_by="lag (records)"),
            timeseries("Quorum replica lag",
                       [(f'lagwatch_kraft_quorum_replica_lag{{{C}, role="voter"}}',
                         "{{cluster}} voter {{node}}"),
                        (f'max by (cluster) (lagwatch_kraft_quorum_replica_lag{{{C}, role="observer"}})',
                         "{{cluster}} worst observer")],
                       "KRaft: records each voter is behind the quorum leader's log end, and the "
                       "worst observer (broker). A healthy follower stays within a few records.",
                       step=True, w=12),
            table("Fenced brokers", [(f"lagwatch_broker_fenced{{{C}}}", "")],
                  "KRaft: brokers that are registered but fenced (DescribeCluster v2): they serve no "
                  "partitions. Empty when none is.", w=24, h=4, hide=("Value",)),
        ]),
        row("Partitions over time", [
            timeseries("Under-replicated partitions by topic",
                       [(f"sum by (cluster, topic) (kafka_topic_partition_under_replicated_partition{{{C}, {T}}})",
                         "{{cluster}} {{topic}}")],
                       "Partitions whose ISR is smaller than their replica set.", ke=True, step=True),
            timeseries("Offline, under min ISR and at min ISR",
                       [(f"lagwatch_cluster_offline_partitions{{{C}}}", "{{cluster}} offline"),
                        (f"sum by (cluster) (lagwatch_topic_partition_under_min_isr{{{C}, {T}}})",
                         "{{cluster}} under min ISR"),
                        (f"sum by (cluster) (lagwatch_topic_partition_at_min_isr{{{C}, {T}}})",
                         "{{cluster}} at min ISR")],
                       "Offline: no live leader. Under min ISR: acks=all producers fail. At min ISR: "
                       "one more loss and they fail. The min-ISR series need DescribeConfigs.",
                       step=True),
            state_timeline("Offline partitions per topic",
                           f"max by (cluster, topic) (lagwatch_topic_partition_offline{{{C}, {T}}})",
                           "{{cluster}} {{topic}}",
                           [{"type": "value", "options": {
                               "0": {"text": "online", "color": "green", "index": 0},
                               "1": {"text": "OFFLINE", "color": "red", "index": 1}}}],
                           "Red while any partition of the topic has no live leader."),
        ]),
        row("Per broker", [
            state_timeline("Broker up", f"lagwatch_broker_up{{{C}}}", "{{cluster}} broker {{broker}}",
                           [{"type": "value", "options": {
                               "0": {"text": "DOWN", "color": "red", "index": 0},
                               "1": {"text": "up", "color": "green", "index": 1}}}],
                           "1 while the broker is in the cluster's broker list, 0 while only replica "
                           "sets still name it.", w=12, h=8),
            table("Broker list", [(f"kafka_broker_info{{{C}}}", "")],
                  "Brokers in the cluster's metadata, with address and rack.", ke=True, w=12, h=8, hide=("Value",),
                  rename={"id": "broker id"}),
            timeseries("Leaders per broker",
                       [(f'kafka_server_replicamanager_leadercount{{{C}, broker!=""}}',
                         "{{cluster}} broker {{broker}}")],
                       "Partitions each broker leads. A stopped broker drops to 0 and its leaders "
                       "move; after its return they move back only with a preferred leader election.",
                       step=True, w=8),
            timeseries("Replicas per broker",
                       [(f'kafka_server_replicamanager_partitioncount{{{C}, broker!=""}}',
                         "{{cluster}} broker {{broker}}")],
                       "Partitions with a replica on each broker (the checklist's limit is 4000).",
                       step=True, w=8),
            timeseries("Leader share per broker",
                       [(f"lagwatch_broker_leader_share{{{C}}}", "{{cluster}} broker {{broker}}")],
                       "Share of the online partitions each broker leads; balanced is 1/brokers.",
                       unit="percentunit", step=True, w=8),
        ]),
        row("Log dirs", [
            timeseries("Log size per broker",
                       [(f"lagwatch_broker_log_size_bytes{{{C}}}", "{{cluster}} broker {{broker}}")],
                       "Bytes of all replicas on each broker (DescribeLogDirs, read every "
                       "log_dirs.interval, 5 minutes by default).", unit="bytes", step=True, w=8),
            bargauge("Top 10 topics by size",
                     f"topk(10, lagwatch_topic_log_size_bytes{{{C}, {T}}})", "{{cluster}} {{topic}}",
                     "Bytes of a topic's replicas over all brokers: every copy counted, so about "
                     "replication factor x its data.", unit="bytes", w=8),
            bargauge("Largest replica per topic (limit 25 GB)",
                     f"topk(10, lagwatch_topic_partition_max_size_bytes{{{C}, {T}}})",
                     "{{cluster}} {{topic}}",
                     "The topic's largest partition replica against the production checklist's "
                     "partition size limit (log_dirs.partition_size_limit, 25 GB by default): red "
                     "above it, orange from 20 GB.", unit="decbytes", w=8,
                     th=thresholds(("green", None), ("orange", 20e9), ("red", 25e9))),
            table("Log directories",
                  [(f"lagwatch_log_dir_error{{{C}}}", ""),
                   (f"lagwatch_log_dir_size_bytes{{{C}}}", ""),
                   (f"lagwatch_log_dir_usable_bytes{{{C}}}", ""),
                   (f"lagwatch_log_dir_total_bytes{{{C}}}", "")],
                  "Every log directory of every broker: state, bytes of its replicas, free and "
                  "total bytes of its volume (the last two need Kafka 3.3+).", w=12,
                  rename={"Value #A": "state", "Value #B": "replicas", "Value #C": "free",
                          "Value #D": "volume"},
                  overrides=[override("state", mappings=[{"type": "value", "options": {
                      "0": {"text": "online", "color": "green", "index": 0},
                      "1": {"text": "OFFLINE", "color": "red", "index": 1}}}],
                      cell="color-background"),
                      override("replicas", unit="bytes"), override("free", unit="bytes"),
                      override("volume", unit="bytes")]),
            timeseries("Free space per log directory",
                       [(f"lagwatch_log_dir_usable_bytes{{{C}}} / lagwatch_log_dir_total_bytes{{{C}}}",
                         "{{cluster}} broker {{broker}} {{log_dir}}")],
                       "Share of each log directory's volume that is free (Kafka 3.3+); "
                       "KafkaLogDirAlmostFull warns below 10 %.", unit="percentunit", w=12),
        ]),
        row("Topics", [
            timeseries("Topic throughput (messages/s)",
                       [(f"sum by (cluster, topic) (rate(kafka_topic_partition_current_offset{{{C}, {T}}}[5m]))",
                         "{{cluster}} {{topic}}")],
                       "Records appended per second: the rate of the log end offsets over 5 minutes.",
                       ke=True, unit="short"),
            timeseries("Records retained per topic",
                       [(f"sum by (cluster, topic) (kafka_topic_partition_current_offset{{{C}, {T}}} "
                         f"- kafka_topic_partition_oldest_offset{{{C}, {T}}})", "{{cluster}} {{topic}}")],
                       "Log end offset minus log start offset, summed over the topic's partitions.",
                       ke=True),
            table("Topic configuration",
                  [(f"kafka_topic_partitions{{{C}, {T}}}", ""),
                   (f"lagwatch_topic_replication_factor{{{C}, {T}}}", ""),
                   (f"lagwatch_topic_min_insync_replicas{{{C}, {T}}}", ""),
                   (f"lagwatch_topic_retention_seconds{{{C}, {T}}}", "")],
                  "Partitions, replication factor, effective min.insync.replicas and retention "
                  "(-1: unlimited). The last two need DescribeConfigs.", w=12,
                  rename={"Value #A": "partitions", "Value #B": "replication factor",
                          "Value #C": "min.insync.replicas", "Value #D": "retention"},
                  overrides=[override("retention", unit="s")]),
            table("Production checklist",
                  [(f"lagwatch_topic_checklist_violation{{{C}, {T}}}", "")],
                  "Each topic against each rule: replication_factor_below_3, min_insync_below_2, "
                  "min_insync_not_below_rf (these two need DescribeConfigs), "
                  "partition_size_above_limit (needs DescribeLogDirs).", w=12,
                  rename={"Value": "result"},
                  overrides=[override("result", mappings=[{"type": "value", "options": {
                      "0": {"text": "pass", "color": "green", "index": 0},
                      "1": {"text": "VIOLATION", "color": "red", "index": 1}}}],
                      cell="color-background")]),
        ]),
    ]
    return dashboard("lagwatch-cluster-health", "lagwatch / Kafka cluster health",
                     "Brokers, controller and KRaft quorum, partition health, per-broker load, log "
                     "directories, production checklist and topic throughput, from lagwatch (and "
                     "kafka_exporter's families where noted).",
                     [CLUSTER_VAR, topic_var], items)


# ---------------------------------------------------------------------------------------------
# 2. Consumer lag overview
# ---------------------------------------------------------------------------------------------
def consumer_lag():
    group_var = var_query("consumergroup", "Consumer group",
                          'label_values(kafka_consumergroup_lag{cluster=~"$cluster"}, consumergroup)')
    topic_var = var_query("topic", "Topic",
                          'label_values(kafka_consumergroup_lag{cluster=~"$cluster", '
                          'consumergroup=~"$consumergroup"}, topic)')
    status_overrides = [
        {"matcher": {"id": "byName", "options": s},
         "properties": [{"id": "thresholds", "value": thresholds(("text", None), (colour, 1))}]}
        for s, colour in STATUS_COLOURS.items()]
    items = [
        row("Status", [
            stat("Groups by status", f"sum by (status) (lagwatch_consumergroup_status{{{C}, {G}}})",
                 "{{status}}",
                 "How many groups are OK, WARN, ERR or NOTFOUND (Burrow-style evaluation; "
                 "docs/evaluation.md).", text_mode="value_and_name", w=8, h=6,
                 overrides=status_overrides),
            state_timeline("Group status over time",
                           f"burrow_kafka_consumer_status{{{C}, {BG}}}", "{{cluster}} {{consumer_group}}",
                           GROUP_STATUS_MAPPINGS,
                           "Burrow's index per group: NOTFOUND grey, OK green, WARN orange, ERR red.",
                           w=16, h=6),
            table("Groups",
                  [(f'max by (cluster, consumergroup) (label_replace(burrow_kafka_consumer_status{{{C}, {BG}}}, '
                    f'"consumergroup", "$1", "consumer_group", "(.*)"))', ""),
                   (f"sum by (cluster, consumergroup) (kafka_consumergroup_lag{{{C}, {G}, {T}}})", ""),
                   (f"max by (cluster, consumergroup) (lagwatch_consumergroup_lag_seconds{{{C}, {G}, {T}}})", ""),
                   (f"sum by (cluster, consumergroup) (lagwatch_consumergroup_uncommitted_partitions{{{C}, {G}, {T}}})", "")],
                  "Every group with its status, lag in records and in time. Click a group for its "
                  "detail.", h=8,
                  rename={"Value #A": "status", "Value #B": "lag (records)",
                          "Value #C": "lag (time)", "Value #D": "partitions without commit"},
                  sort_by="lag (time)",
                  overrides=[override("status", mappings=GROUP_STATUS_MAPPINGS, cell="color-background"),
                             override("lag (time)", unit="s"),
                             override("consumergroup", links=[{
                                 "title": "Consumer group detail",
                                 "url": "/d/lagwatch-consumer-group/lagwatch-consumer-group-detail"
                                        "?var-cluster=${__data.fields.cluster}"
                                        "&var-consumergroup=${__value.raw}&${__url_time_range}"}])]),
        ]),
        row("Top groups", [
            bargauge("Top 10 groups by lag (records)",
                     f"topk(10, sum by (cluster, consumergroup) (kafka_consumergroup_lag{{{C}, {G}, {T}}}))",
                     "{{consumergroup}}", "Records produced but not yet consumed, per group.", ke=True,
                     links=group_link("${__field.labels.consumergroup}"),
                     th=thresholds(("green", None), ("orange", 1000), ("red", 10000))),
            bargauge("Top 10 groups by lag (time)",
                     f"topk(10, max by (cluster, consumergroup) (lagwatch_consumergroup_lag_seconds{{{C}, {G}, {T}}}))",
                     "{{consumergroup}}",
                     "Age of the oldest record a group has not consumed, its worst partition.",
                     unit="s", links=group_link("${__field.labels.consumergroup}"),
                     th=thresholds(("green", None), ("orange", 60), ("red", 300))),
        ]),
        row("Trends", [
            timeseries("Lag per group (records)",
                       [(f"sum by (cluster, consumergroup) (kafka_consumergroup_lag{{{C}, {G}, {T}}})",
                         "{{cluster}} {{consumergroup}}")],
                       "Sum of the group's lag over its partitions.", ke=True,
                       links=group_link("${__field.labels.consumergroup}")),
            timeseries("Lag per group (time)",
                       [(f"max by (cluster, consumergroup) (lagwatch_consumergroup_lag_seconds{{{C}, {G}, {T}}})",
                         "{{cluster}} {{consumergroup}}")],
                       "Worst partition's lag in seconds: grows 1 s per second for a stopped consumer.",
                       unit="s", links=group_link("${__field.labels.consumergroup}")),
            timeseries("Lag growth (records/s)",
                       [(f"sum by (cluster, consumergroup) (deriv(kafka_consumergroup_lag_sum{{{C}, {G}, {T}}}[5m]))",
                         "{{cluster}} {{consumergroup}}")],
                       "Slope of the lag over 5 minutes: above 0 the group falls behind, below 0 it "
                       "catches up.", ke=True, min_zero=False),
            timeseries("Lag per group and topic (records)",
                       [(f"sum by (cluster, consumergroup, topic) (kafka_consumergroup_lag{{{C}, {G}, {T}}})",
                         "{{cluster}} {{consumergroup}} {{topic}}")],
                       "The same lag split by topic, for groups that read several.", ke=True),
        ]),
    ]
    return dashboard("lagwatch-consumer-lag", "lagwatch / Consumer lag overview",
                     "Every consumer group's Burrow-style status, the groups furthest behind in "
                     "records and in time, and how their lag moves.",
                     [CLUSTER_VAR, group_var, topic_var], items)


# ---------------------------------------------------------------------------------------------
# 3. Consumer group detail
# ---------------------------------------------------------------------------------------------
def consumer_group():
    group_var = var_query("consumergroup", "Consumer group",
                          'label_values(kafka_consumergroup_lag{cluster=~"$cluster"}, consumergroup)',
                          multi=False, include_all=False)
    topic_var = var_query("topic", "Topic",
                          'label_values(kafka_consumergroup_lag{cluster=~"$cluster", '
                          'consumergroup=~"$consumergroup"}, topic)')
    cg = f"{C}, {G}, {T}"
    items = [
        row("Group", [
            stat("Status", f"max(burrow_kafka_consumer_status{{{C}, {BG}}})", "",
                 "Burrow-style status of the group: the worst of its partitions.",
                 mappings=GROUP_STATUS_MAPPINGS),
            stat("Lag (records)", f"sum(kafka_consumergroup_lag{{{cg}}})", "",
                 "Records produced but not yet consumed, all partitions.", ke=True),
            stat("Lag (time)", f"max(lagwatch_consumergroup_lag_seconds{{{cg}}})", "",
                 "Age of the oldest record not yet consumed.", unit="s",
                 th=thresholds(("green", None), ("orange", 60), ("red", 300))),
            stat("Members", f"sum(kafka_consumergroup_members{{{C}, {G}}})", "",
                 "Members of the group (needs DescribeGroups; absent on lagwatch's demo mock).",
                 ke=True),
            stat("State", f"lagwatch_consumergroup_info{{{C}, {G}}}", "{{state}} ({{protocol}})",
                 "The broker's group state (Stable, Empty, PreparingRebalance, Dead, ...) and the "
                 "group's protocol: classic, or consumer for KIP-848 groups.",
                 text_mode="name", color_mode="none"),
            stat("Window completeness", f"min(lagwatch_consumergroup_window_completeness{{{C}, {G}}})", "",
                 "Share of partitions whose evaluation window is full; below it the status is "
                 "provisional.", unit="percentunit",
                 th=thresholds(("orange", None), ("green", 1))),
            stat("Time until unread data is deleted",
                 f"min(lagwatch_consumergroup_seconds_until_data_loss{{{C}, {G}}})", "",
                 "lagwatch's estimate of how long until retention deletes the oldest record the "
                 "group has not read, if it made no more progress (docs/data-loss.md). Red below "
                 "1 hour. No data without lag, or for topics without a retention limit "
                 "(needs DescribeConfigs).", unit="s", w=8,
                 th=thresholds(("red", None), ("orange", 3600), ("green", 21600))),
            stat("Partitions with data lost",
                 f"sum(lagwatch_consumergroup_data_lost_partitions{{{C}, {G}}})", "",
                 "Partitions whose committed offset is below the log start offset: records the "
                 "group never read were deleted.", th=OK_IF_ZERO, w=8),
            stat("Rebalances (time range)",
                 f"sum(increase(lagwatch_consumergroup_rebalances_total{{{C}, {G}}}[$__range]))", "",
                 "Rebalances lagwatch saw in the dashboard's time range: group epoch changes "
                 "(KIP-848 groups), membership or assignment changes (classic groups).",
                 decimals=0, w=8),
        ]),
        row("Partitions", [
            timeseries("Lag per partition (records)",
                       [(f"kafka_consumergroup_lag{{{cg}}}", "{{topic}}/{{partition}}")],
                       "Log end offset minus committed offset.", ke=True),
            timeseries("Lag per partition (time)",
                       [(f"lagwatch_consumergroup_lag_seconds{{{cg}}}", "{{topic}}/{{partition}}")],
                       "Age of the oldest record not yet consumed on each partition.", unit="s"),
            state_timeline("Partition status over time",
                           f"lagwatch_consumergroup_partition_status{{{cg}}}", "{{topic}}/{{partition}}",
                           PARTITION_STATUS_MAPPINGS,
                           "Burrow's partition status: OK green, WARN orange, STOP red, STALL dark red, "
                           "REWIND purple."),
            timeseries("Consumed vs produced (messages/s)",
                       [(f"sum by (cluster, topic) (rate(kafka_consumergroup_current_offset{{{cg}}}[$__rate_interval]))",
                         "{{topic}} consumed (committed)"),
                        (f"sum by (cluster, topic) ((kafka_consumergroup_current_offset{{{cg}}} * 0) "
                         f"+ on (cluster, topic, partition) group_left "
                         f"rate(kafka_topic_partition_current_offset{{{C}, {T}}}[$__rate_interval]))",
                         "{{topic}} produced")],
                       "Rate of the committed offsets against the rate of the log end offsets of the "
                       "same partitions: consumed below produced means the lag grows.", ke=True),
            timeseries("Members over time",
                       [(f"kafka_consumergroup_members{{{C}, {G}}}", "{{cluster}} {{consumergroup}}")],
                       "Members over time: a drop to 0 with lag growing is a stopped consumer.",
                       ke=True, step=True),
            table("Partitions now",
                  [(f"kafka_consumergroup_current_offset{{{cg}}}", ""),
                   (f"(kafka_consumergroup_current_offset{{{cg}}} * 0) + on (cluster, topic, partition) "
                    f"group_left kafka_topic_partition_current_offset{{{C}, {T}}}", ""),
                   (f"kafka_consumergroup_lag{{{cg}}}", ""),
                   (f"lagwatch_consumergroup_lag_seconds{{{cg}}}", ""),
                   (f"lagwatch_consumergroup_partition_status{{{cg}}}", ""),
                   (f"lagwatch_consumergroup_lag_seconds_is_lower_bound{{{cg}}}", "")],
                  "Committed and log end offsets, lag in records and time, and status per partition. "
                  "'time is a lower bound' = 1 when the committed offset is older than lagwatch's "
                  "history and its record could not be read yet.", h=10,
                  rename={"Value #A": "committed offset", "Value #B": "log end offset",
                          "Value #C": "lag (records)", "Value #D": "lag (time)", "Value #E": "status",
                          "Value #F": "time is a lower bound"},
                  overrides=[override("lag (time)", unit="s"),
                             override("status", mappings=PARTITION_STATUS_MAPPINGS,
                                      cell="color-background")]),
        ]),
    ]
    items.append(row("Assignment and retention", [
        timeseries("Time until unread data is deleted per partition",
                   [(f"lagwatch_consumergroup_partition_seconds_until_data_loss{{{cg}}}",
                     "{{topic}}/{{partition}}")],
                   "Per partition, the estimated time until retention deletes records the group "
                   "has not read (docs/data-loss.md). A line falling one second per second: the "
                   "group makes no progress there.", unit="s", w=12),
        table("Assignment per topic",
              [(f"lagwatch_consumergroup_topic_members{{{C}, {G}, {T}}}", ""),
               (f"lagwatch_consumergroup_assigned_partitions{{{C}, {G}, {T}}}", ""),
               (f"lagwatch_consumergroup_unassigned_partitions{{{C}, {G}, {T}}}", "")],
              "Members with at least one partition of the topic, partitions some member owns, and "
              "partitions with lag that no member owns (nothing consumes those). Needs "
              "DescribeGroups or ConsumerGroupDescribe.", w=12,
              rename={"Value #A": "members", "Value #B": "assigned partitions",
                      "Value #C": "unassigned with lag"},
              overrides=[override("unassigned with lag", cell="color-background",
                                  thresholds=thresholds(("green", None), ("red", 1)))]),
        timeseries("Rebalances per hour",
                   [(f"sum by (cluster, consumergroup) (rate(lagwatch_consumergroup_rebalances_total{{{C}, {G}}}[$__rate_interval])) * 3600",
                     "{{cluster}} {{consumergroup}}")],
                   "Rebalances lagwatch sees, per hour. A steady rate is a rebalance storm "
                   "(KafkaConsumerGroupRebalancingFrequently).", w=12),
        state_timeline("Group state over time",
                       f"lagwatch_consumergroup_state{{{C}, {G}}}", "{{consumergroup}}",
                       GROUP_STATE_MAPPINGS,
                       "The broker's group state as a number (lagwatch_consumergroup_state): Stable "
                       "green, rebalancing orange, Reconciling yellow, Empty blue, Dead red.",
                       w=12),
    ]))
    return dashboard("lagwatch-consumer-group", "lagwatch / Consumer group detail",
                     "One consumer group: lag per partition in records and time, partition statuses "
                     "over time, consumption against production, members, assignment, rebalances "
                     "and the time until unread data is deleted.",
                     [CLUSTER_VAR, group_var, topic_var], items)


# ---------------------------------------------------------------------------------------------
# 4. lagwatch itself
# ---------------------------------------------------------------------------------------------
def self_monitoring():
    job_var = var_query("job", "Job", "label_values(lagwatch_build_info, job)")
    cluster_var = var_query("cluster", "Cluster",
                            'label_values(lagwatch_cluster_up{job=~"$job"}, cluster)')
    jc = f"{J}, {C}"
    items = [
        row("Exporter", [
            stat("Version", f"lagwatch_build_info{{{J}}}", "{{version}} (librdkafka {{librdkafka}})",
                 "lagwatch's version and the librdkafka it runs on.", text_mode="name",
                 color_mode="none"),
            stat("Scrape up", f"up{{{J}}}", "{{instance}}",
                 "Prometheus's own view: 1 if the last scrape of lagwatch succeeded.",
                 mappings=[{"type": "value", "options": {
                     "0": {"text": "DOWN", "color": "red", "index": 0},
                     "1": {"text": "up", "color": "green", "index": 1}}}],
                 th=thresholds(("red", None), ("green", 1))),
            stat("Clusters up", f"sum(lagwatch_cluster_up{{{jc}}})", "",
                 "Clusters that answered Metadata on their last poll."),
            stat("Groups tracked", f"sum(lagwatch_consumergroups{{{jc}}})", "",
                 "Consumer groups lagwatch reports."),
            stat("Partitions tracked", f"sum(lagwatch_partitions{{{jc}}})", "",
                 "Partitions lagwatch reports (after topic filters)."),
            stat("Data age", f"max(lagwatch_data_age_seconds{{{jc}}})", "",
                 "Seconds since the served data was collected; about one poll interval when healthy.",
                 unit="s", th=thresholds(("green", None), ("orange", 60), ("red", 120))),
        ]),
        row("Polls", [
            timeseries("Poll duration", [(f"lagwatch_poll_duration_seconds{{{jc}}}", "{{cluster}}")],
                       "Duration of each cluster's last poll; close to the poll interval means polls "
                       "back up.", unit="s", w=8),
            timeseries("Polls per minute",
                       [(f"sum by (cluster) (rate(lagwatch_polls_total{{{jc}}}[$__rate_interval])) * 60",
                         "{{cluster}}")],
                       "Completed polls per minute (60 / poll interval when healthy).", w=8),
            timeseries("Poll errors by kind (per minute)",
                       [(f"sum by (cluster, kind) (rate(lagwatch_poll_errors_total{{{jc}}}[$__rate_interval])) * 60",
                         "{{cluster}} {{kind}}")],
                       "Failed Kafka requests: metadata, list_offsets, list_groups, group_offsets.", w=8),
            timeseries("Kafka requests per poll by API",
                       [(f"lagwatch_poll_requests{{{jc}}}", "{{cluster}} {{api}}")],
                       "Requests of the last poll per API: ListOffsets grows with brokers, OffsetFetch "
                       "with groups.", step=True, w=8),
            timeseries("Data age and time since the last complete poll",
                       [(f"lagwatch_data_age_seconds{{{jc}}}", "{{cluster}} data age"),
                        (f"time() - lagwatch_last_successful_poll_timestamp_seconds{{{jc}}}",
                         "{{cluster}} since last complete poll")],
                       "Both stay near the poll interval; a rising line means polls fail or hang.",
                       unit="s", w=8),
            table("Kafka APIs unavailable", [(f"lagwatch_kafka_api_unsupported{{{jc}}}", "")],
                  "APIs the brokers lack (ListGroups, DescribeGroups) or that failed on their last "
                  "attempt (DescribeConfigs); the metrics depending on them are absent.", w=8,
                  rename={"Value": "state"},
                  overrides=[override("state", mappings=[{"type": "value", "options": {
                      "0": {"text": "available", "color": "green", "index": 0},
                      "1": {"text": "unavailable", "color": "orange", "index": 1}}}],
                      cell="color-background")]),
        ]),
        row("Scrapes", [
            timeseries("/metrics body size",
                       [(f"lagwatch_metrics_body_bytes{{{J}}}", "{{encoding}}")],
                       "Size of the last rendered /metrics page, plain and gzip-compressed.",
                       unit="bytes", step=True, w=8),
            timeseries("Series on /metrics",
                       [(f"lagwatch_metrics_series{{{J}}}", "rendered by lagwatch"),
                        (f"scrape_samples_scraped{{{J}}}", "scraped by Prometheus ({{instance}})")],
                       "Series on the last rendered page, and what Prometheus ingested per scrape.",
                       step=True, w=8),
            timeseries("Scrape duration",
                       [(f"scrape_duration_seconds{{{J}}}", "{{instance}}")],
                       "How long Prometheus took to scrape lagwatch (a scrape only copies the page "
                       "rendered at the last poll).", unit="s", w=8),
        ]),
        row("Process", [
            timeseries("CPU (cores)",
                       [(f"rate(process_cpu_seconds_total{{{J}}}[$__rate_interval])", "{{instance}}")],
                       "CPU time lagwatch uses per second, user and system: 1 is one core.", w=8),
            timeseries("Memory",
                       [(f"process_resident_memory_bytes{{{J}}}", "{{instance}} resident"),
                        (f"process_virtual_memory_bytes{{{J}}}", "{{instance}} virtual")],
                       "Resident (RSS) and virtual memory of the lagwatch process.", unit="bytes",
                       w=8),
            timeseries("Open file descriptors",
                       [(f"process_open_fds{{{J}}}", "{{instance}} open"),
                        (f"process_max_fds{{{J}}}", "{{instance}} limit")],
                       "Open file descriptors against the process's limit (one connection per "
                       "broker, plus scrapes and notifiers); LagwatchFileDescriptorsNearLimit warns "
                       "above 80 %.", w=8),
            stat("Uptime", f"time() - process_start_time_seconds{{{J}}}", "{{instance}}",
                 "Time since the lagwatch process started; a small value that keeps resetting is a "
                 "crash loop.", unit="s", w=12),
            stat("Threads", f"process_threads{{{J}}}", "{{instance}}",
                 "OS threads of the lagwatch process.", w=12),
        ]),
        row("Notifications", [
            timeseries("Notifications per minute",
                       [(f"sum by (notifier) (rate(lagwatch_notifications_sent_total{{{J}}}[$__rate_interval])) * 60",
                         "{{notifier}} sent"),
                        (f"sum by (notifier) (rate(lagwatch_notifications_failed_total{{{J}}}[$__rate_interval])) * 60",
                         "{{notifier}} failed"),
                        (f"sum by (notifier) (rate(lagwatch_notification_retries_total{{{J}}}[$__rate_interval])) * 60",
                         "{{notifier}} retries")],
                       "Notifications lagwatch sent, gave up on, and retried, per notifier.", w=16),
            stat("Failed notifications (1h)",
                 f"sum(increase(lagwatch_notifications_failed_total{{{J}}}[1h]))", "",
                 "Notifications that could not be delivered in the last hour.", th=OK_IF_ZERO,
                 w=8, h=8, decimals=0),
        ]),
    ]
    return dashboard("lagwatch-self", "lagwatch / Exporter self-monitoring",
                     "Is lagwatch healthy: polls, errors, request counts, data age, the size of "
                     "/metrics, its process (CPU, memory, file descriptors) and notifications.", [job_var, cluster_var], items)


DASHBOARDS = {
    "lagwatch-cluster-health.json": cluster_health,
    "lagwatch-consumer-lag.json": consumer_lag,
    "lagwatch-consumer-group.json": consumer_group,
    "lagwatch-self.json": self_monitoring,
}


def render(fn):
    return json.dumps(fn(), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    stale = []
    for name, fn in DASHBOARDS.items():
        path = os.path.join(HERE, name)
        text = render(fn)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote", os.path.relpath(path))
    if stale:
        print("dashboards differ from dashboards/generate.py: " + ", ".join(stale) +
              "\n  run /usr/bin/python3 dashboards/generate.py (and edit generate.py, not the JSON)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
