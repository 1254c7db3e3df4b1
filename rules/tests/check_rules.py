#!/usr/bin/python3
"""What promtool does not check about rules/, alerts/ and docs/alerts.md.

    /usr/bin/python3 rules/tests/check_rules.py

- every alerting rule has a `for`, a severity label (critical, warning or info) and the
  annotations summary, description and runbook_url; its runbook_url ends with
  docs/alerts.md#<alert name in lower case>, and docs/alerts.md has a heading for it;
- alert names are unique;
- every alert is tested in rules/tests/*.yml both firing (non-empty exp_alerts) and not
  firing (empty exp_alerts), and every recording rule of lagwatch-recording.yml and every
  *:effective threshold rule appears in a promql_expr_test;
- the matchers on alertname in alerts/alertmanager.yml's inhibit rules each match an alert,
  so that renaming an alert cannot silently break an inhibition.

Exit status 0 when everything holds, 1 otherwise (each problem on its own line).
"""
import glob
import os
import re
import sys

sys.dont_write_bytecode = True

try:
    import yaml
except ImportError:
    sys.exit("check_rules: PyYAML is missing: run it with /usr/bin/python3 (Debian's python3-yaml)")

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SEVERITIES = {"critical", "warning", "info"}
ANNOTATIONS = ("summary", "description", "runbook_url")

problems = []


def problem(where, text):
    problems.append("%s: %s" % (where, text))


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def github_anchor(heading):
    """The anchor GitHub gives a Markdown heading."""
    a = heading.strip().lower()
    a = re.sub(r"[^\w\- ]", "", a)
    return a.replace(" ", "-")


def main():
    # ---- rules -----------------------------------------------------------------------------
    alerts = {}      # name -> rule
    records = {}     # name -> file
    for path in sorted(glob.glob(os.path.join(REPO, "rules", "*.yml"))):
        rel = os.path.relpath(path, REPO)
        doc = load(path)
        if not isinstance(doc, dict) or "groups" not in doc:
            problem(rel, "not a rule file (no groups); promtool test files go in rules/tests/")
            continue
        for group in doc["groups"]:
            for rule in group.get("rules") or []:
                if "record" in rule:
                    records.setdefault(rule["record"], rel)
                    continue
                name = rule.get("alert")
                where = "%s: alert %s" % (rel, name)
                if name in alerts:
                    problem(where, "defined twice")
                alerts[name] = rule
                if not rule.get("for"):
                    problem(where, "no for")
                severity = (rule.get("labels") or {}).get("severity")
                if severity not in SEVERITIES:
                    problem(where, "severity label %r is not one of %s" % (severity, sorted(SEVERITIES)))
                ann = rule.get("annotations") or {}
                for a in ANNOTATIONS:
                    if not str(ann.get(a, "")).strip():
                        problem(where, "no %s annotation" % a)
                url = str(ann.get("runbook_url", ""))
                if not url.endswith("docs/alerts.md#" + name.lower()):
                    problem(where, "runbook_url %r does not end with docs/alerts.md#%s" % (url, name.lower()))

    # ---- docs/alerts.md --------------------------------------------------------------------
    docs_path = os.path.join(REPO, "docs", "alerts.md")
    try:
        with open(docs_path, encoding="utf-8") as f:
            docs = f.read()
    except OSError:
        docs = ""
        problem("docs/alerts.md", "missing")
    anchors = {github_anchor(m) for m in re.findall(r"^#+\s+(.+?)\s*$", docs, flags=re.M)}
    for name in alerts:
        if name.lower() not in anchors:
            problem("docs/alerts.md", "no section (heading) for %s" % name)

    # ---- tests -----------------------------------------------------------------------------
    fires, quiet, exprs = set(), set(), []
    for path in sorted(glob.glob(os.path.join(REPO, "rules", "tests", "*.yml"))):
        doc = load(path) or {}
        for test in doc.get("tests") or []:
            for t in test.get("alert_rule_test") or []:
                (fires if t.get("exp_alerts") else quiet).add(t.get("alertname"))
            for t in test.get("promql_expr_test") or []:
                exprs.append(str(t.get("expr", "")))
    for name in sorted(alerts):
        if name not in fires:
            problem("rules/tests", "%s is never tested firing (non-empty exp_alerts)" % name)
        if name not in quiet:
            problem("rules/tests", "%s is never tested not firing (exp_alerts: [])" % name)
    for name in sorted(set(fires | quiet) - set(alerts)):
        problem("rules/tests", "tests an alert that no rule defines: %s" % name)
    for name, rel in sorted(records.items()):
        if not (rel.endswith("lagwatch-recording.yml") or name.endswith(":effective")):
            continue
        if not any(re.search(r"(?<![\w:])%s(?![\w:])" % re.escape(name), e) for e in exprs):
            problem("rules/tests", "recording rule %s (%s) has no promql_expr_test" % (name, rel))

    # ---- alerts/alertmanager.yml -----------------------------------------------------------
    am_path = os.path.join(REPO, "alerts", "alertmanager.yml")
    am = load(am_path) or {}
    for i, rule in enumerate(am.get("inhibit_rules") or []):
        for side in ("source_matchers", "target_matchers"):
            for m in rule.get(side) or []:
                mm = re.match(r'^\s*alertname\s*(=~|=)\s*"?(.*?)"?\s*$', m)
                if not mm:
                    continue
                op, value = mm.groups()
                matched = [a for a in alerts if (a == value if op == "=" else re.fullmatch(value, a))]
                if not matched:
                    problem("alerts/alertmanager.yml", "inhibit rule %d: %s %r matches no alert" % (i + 1, side, m))

    for p in problems:
        print("check_rules: " + p)
    print("check_rules: %d alerts, %d recording rules: %s"
          % (len(alerts), len(records), "FAILED, %d problems" % len(problems) if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
