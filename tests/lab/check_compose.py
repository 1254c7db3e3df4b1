#!/usr/bin/python3
"""The lab's compose file, its configuration files and the Dockerfile, checked without a
Docker engine.

    /usr/bin/python3 tests/lab/check_compose.py path/to/lagwatch

- `docker-compose -f compose/docker-compose.yml config -q` (Debian's docker-compose) accepts
  the file;
- every bind-mounted file or folder and every build context (with its Dockerfile) exists,
  every named volume is declared, the expected services are there;
- Prometheus's config passes `promtool check config` with the repository's rules/ in place of
  the mounted folder, scrapes job "lagwatch" and the brokers' JMX agent port, and alerts to
  the alertmanager service; lagwatch's config passes `lagwatch check-config`; Alertmanager's
  config (alerts/alertmanager.yml, when present) passes `amtool check-config`;
- the JMX exporter rules parse, their patterns compile, the MBeans the lab relies on are
  included and turned into the expected metric names;
- the Dockerfile: build on debian:bookworm with packages from scripts/install-deps.sh, run on
  debian:bookworm-slim as a non-root user with EXPOSE 9721, a HEALTHCHECK on /healthz and
  ENTRYPOINT lagwatch, and a runtime package list that covers every shared library
  `ldd lagwatch` reports (package found with dpkg -S); its COPY sources exist and are not
  excluded by .dockerignore.
Exit status 0 when everything holds, 1 otherwise.
"""
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.exit("check_compose: PyYAML is missing: run it with /usr/bin/python3 (Debian's python3-yaml)")

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
COMPOSE_DIR = os.path.join(REPO, "compose")
COMPOSE_FILE = os.path.join(COMPOSE_DIR, "docker-compose.yml")
EXPECTED_SERVICES = {"jmx-agent", "kafka-1", "kafka-2", "kafka-3", "lagwatch", "loadgen",
                     "prometheus", "alertmanager", "webhook-sink", "grafana"}
LOADGEN_SERVERS = "--kafka.server=kafka-1:9092,kafka-2:9092,kafka-3:9092"
WEBHOOK_SINK_URL = "http://webhook-sink:9095/"
# Runtime packages that are there for something other than a linked library.
RUNTIME_TOOLS = {"ca-certificates": "CA bundle for TLS clusters", "curl": "the HEALTHCHECK"}
# Runtime libraries of a sanitizer build (scripts/test.sh builds the tests' binary with ASan
# and UBSan); a Release build does not link them.
SANITIZER_LIBS = re.compile(r"^lib(asan|ubsan|lsan|tsan|hwasan)\.so")

errors = []
notes = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


def note(msg):
    notes.append(msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def rel(path):
    return os.path.relpath(path, REPO)


# ---- compose ----------------------------------------------------------------------------------
def check_compose_config():
    exe = shutil.which("docker-compose")
    if not exe:
        err("docker-compose", "not installed (Debian package docker-compose)")
        return
    r = run([exe, "-f", COMPOSE_FILE, "config", "-q"], cwd=REPO)
    if r.returncode != 0:
        err("docker-compose config -q", (r.stdout + r.stderr).strip())
    else:
        version = run([exe, "version", "--short"]).stdout.strip()
        print("check_compose: docker-compose %s config -q: valid" % version)


def volume_mounts(svc):
    """(source, target, is_bind) for each volume entry of a service."""
    out = []
    for v in svc.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            src = parts[0]
            dst = parts[1] if len(parts) > 1 else parts[0]
            is_bind = src.startswith((".", "/", "~"))
        else:
            src, dst = v.get("source"), v.get("target")
            is_bind = v.get("type") == "bind"
        out.append((src, dst, is_bind))
    return out


def check_compose_files(compose):
    services = compose.get("services") or {}
    missing = EXPECTED_SERVICES - set(services)
    if missing:
        err("compose services", "missing: %s" % ", ".join(sorted(missing)))
    declared_volumes = set((compose.get("volumes") or {}).keys())
    checked = 0
    for name, svc in services.items():
        where = "compose service %s" % name
        build = svc.get("build")
        if build:
            ctx = build if isinstance(build, str) else build.get("context", ".")
            ctx_path = os.path.normpath(os.path.join(COMPOSE_DIR, ctx))
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            if not os.path.isdir(ctx_path):
                err(where, "build context %s does not exist" % ctx)
            elif not os.path.isfile(os.path.join(ctx_path, dockerfile)):
                err(where, "Dockerfile %s missing in build context %s" % (dockerfile, rel(ctx_path)))
            checked += 1
        for src, dst, is_bind in volume_mounts(svc):
            if is_bind:
                host = os.path.normpath(os.path.join(COMPOSE_DIR, os.path.expanduser(src)))
                if not os.path.exists(host):
                    err(where, "bind mount source %s (%s) does not exist" % (src, rel(host)))
                elif not host.startswith(REPO + os.sep):
                    err(where, "bind mount source %s is outside the repository" % src)
                checked += 1
            elif src and src not in declared_volumes:
                err(where, "named volume %s is not declared under volumes:" % src)
        for env_file in ([svc["env_file"]] if isinstance(svc.get("env_file"), str) else svc.get("env_file") or []):
            if not os.path.isfile(os.path.join(COMPOSE_DIR, env_file)):
                err(where, "env_file %s does not exist" % env_file)
            checked += 1
    print("check_compose: %d build contexts, bind mounts and env files exist" % checked)

    # What the lab's walkthrough and the other checks rely on.
    loadgen = services.get("loadgen", {})
    cmd = loadgen.get("command") or []
    cmd = shlex.split(cmd) if isinstance(cmd, str) else cmd
    if "loadgen" not in cmd or LOADGEN_SERVERS not in cmd:
        err("compose service loadgen", "command must run `lagwatch loadgen %s`, is %r" % (LOADGEN_SERVERS, cmd))
    for n in (1, 2, 3):
        env = (services.get("kafka-%d" % n) or {}).get("environment") or {}
        want = {"KAFKA_NODE_ID": n, "KAFKA_PROCESS_ROLES": "broker,controller",
                "KAFKA_DEFAULT_REPLICATION_FACTOR": 3, "KAFKA_MIN_INSYNC_REPLICAS": 2,
                "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": 3}
        for k, v in want.items():
            if str(env.get(k)) != str(v):
                err("compose service kafka-%d" % n, "%s must be %s, is %r" % (k, v, env.get(k)))
        image = (services.get("kafka-%d" % n) or {}).get("image", "")
        if "apache/kafka" not in image:
            err("compose service kafka-%d" % n, "image must be apache/kafka, is %r" % image)
    sink_ports = [str(p) for p in (services.get("webhook-sink") or {}).get("ports") or []]
    if not any(p.endswith("9095") for p in sink_ports):
        err("compose service webhook-sink", "must listen on port 9095")


def mount_target(compose, service, source_rel):
    """Container path at which a service mounts the repository path source_rel."""
    svc = (compose.get("services") or {}).get(service) or {}
    want = os.path.normpath(os.path.join(REPO, source_rel))
    for src, dst, is_bind in volume_mounts(svc):
        if is_bind and os.path.normpath(os.path.join(COMPOSE_DIR, src)) == want:
            return dst
    return None


# ---- Prometheus, lagwatch and Alertmanager configs ----------------------------------------------
def check_prometheus(compose):
    where = "compose/prometheus/prometheus.yml"
    path = os.path.join(COMPOSE_DIR, "prometheus", "prometheus.yml")
    with open(path, encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    jobs = {j.get("job_name"): j for j in cfg.get("scrape_configs") or []}
    lw = jobs.get("lagwatch")
    targets = [t for sc in (lw or {}).get("static_configs") or [] for t in sc.get("targets") or []]
    if not lw or "lagwatch:9721" not in targets:
        err(where, 'needs job_name "lagwatch" scraping lagwatch:9721')
    jmx_targets = {t for j in jobs.values() for sc in j.get("static_configs") or []
                   for t in sc.get("targets") or [] if t.startswith("kafka-")}
    if jmx_targets != {"kafka-1:7071", "kafka-2:7071", "kafka-3:7071"}:
        err(where, "needs a job scraping the brokers' JMX agent at kafka-{1,2,3}:7071, has %s" % sorted(jmx_targets))
    for n in (1, 2, 3):
        cmd = " ".join((compose["services"].get("kafka-%d" % n) or {}).get("command") or [])
        if "jmx_prometheus_javaagent.jar=7071:/etc/jmx/kafka-broker.yml" not in cmd:
            err("compose service kafka-%d" % n, "the JMX agent must listen on 7071 with /etc/jmx/kafka-broker.yml")
        if mount_target(compose, "kafka-%d" % n, "compose/jmx/kafka-broker.yml") != "/etc/jmx/kafka-broker.yml":
            err("compose service kafka-%d" % n, "must mount compose/jmx/kafka-broker.yml at /etc/jmx/kafka-broker.yml")
    am = [t for a in (cfg.get("alerting") or {}).get("alertmanagers") or []
          for sc in a.get("static_configs") or [] for t in sc.get("targets") or []]
    if "alertmanager:9093" not in am:
        err(where, "must send alerts to alertmanager:9093")
    rules_mount = mount_target(compose, "prometheus", "rules")
    if not rules_mount:
        err("compose service prometheus", "must mount ../rules")
    rule_files = cfg.get("rule_files") or []
    if not rules_mount or not rule_files or not all(r.startswith(rules_mount.rstrip("/") + "/") for r in rule_files):
        err(where, "rule_files %r must be inside the mounted rules folder %r" % (rule_files, rules_mount))
    if mount_target(compose, "prometheus", "compose/prometheus/prometheus.yml") != "/etc/prometheus/prometheus.yml":
        err("compose service prometheus", "must mount compose/prometheus/prometheus.yml at /etc/prometheus/prometheus.yml")

    promtool = shutil.which("promtool") or "/usr/bin/promtool"
    if not os.access(promtool, os.X_OK):
        err("promtool", "not installed (Debian package prometheus)")
        return
    # The same config with rule_files pointing at the repository's rules/, so that promtool
    # also checks every rule file Prometheus will load in the lab.
    tmp = tempfile.mkdtemp(prefix="lagwatch-compose-")
    try:
        local = dict(cfg)
        if rules_mount:
            local["rule_files"] = [os.path.join(REPO, "rules", os.path.relpath(r, rules_mount)) for r in rule_files]
        tmp_cfg = os.path.join(tmp, "prometheus.yml")
        with open(tmp_cfg, "w") as f:
            yaml.safe_dump(local, f)
        r = run([promtool, "check", "config", tmp_cfg])
        if r.returncode != 0:
            err(where, "promtool check config (rules from the repository's rules/):\n" + (r.stdout + r.stderr).strip())
        else:
            found = re.findall(r"SUCCESS: (\d+) rules found", r.stdout)
            print("check_compose: promtool check config: valid, %d rule file(s) with %s rules"
                  % (len(found), "+".join(found) or "0"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_lagwatch_config(binary):
    path = os.path.join(COMPOSE_DIR, "lagwatch", "lagwatch.yml")
    r = run([binary, "check-config", path])
    if r.returncode != 0:
        err("compose/lagwatch/lagwatch.yml", "lagwatch check-config: " + (r.stdout + r.stderr).strip())
    else:
        print("check_compose: lagwatch check-config compose/lagwatch/lagwatch.yml: valid")


def check_alertmanager(compose):
    mount = mount_target(compose, "alertmanager", "alerts")
    svc = compose["services"].get("alertmanager") or {}
    cfg_arg = [a for a in svc.get("command") or [] if a.startswith("--config.file=")]
    if not mount or not cfg_arg or cfg_arg[0] != "--config.file=%s/alertmanager.yml" % mount.rstrip("/"):
        err("compose service alertmanager", "must mount ../alerts and use its alertmanager.yml as --config.file")
    path = os.path.join(REPO, "alerts", "alertmanager.yml")
    if not os.path.exists(path):
        err("alerts/alertmanager.yml", "missing (the lab's Alertmanager loads it)")
        return
    amtool = shutil.which("amtool")
    if amtool:
        r = run([amtool, "check-config", path])
        if r.returncode != 0:
            err("alerts/alertmanager.yml", "amtool check-config:\n" + (r.stdout + r.stderr).strip())
        else:
            print("check_compose: amtool check-config alerts/alertmanager.yml: valid")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    urls = re.findall(r"url:\s*['\"]?(https?://[^\s'\"]+)", text)
    if urls and not any(u.startswith(WEBHOOK_SINK_URL) for u in urls):
        note("alerts/alertmanager.yml sends webhooks to %s; in the lab only %s<path> is reachable "
             "(the webhook-sink service)" % (", ".join(urls), WEBHOOK_SINK_URL))


# ---- JMX exporter rules -------------------------------------------------------------------------
# (MBean as the agent renders it for matching, ObjectName, expected metric name, expected labels)
JMX_SAMPLES = [
    ("kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value",
     "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions",
     "kafka_server_replicamanager_underreplicatedpartitions", {}),
    ("kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value",
     "kafka.server:type=ReplicaManager,name=UnderMinIsrPartitionCount",
     "kafka_server_replicamanager_underminisrpartitioncount", {}),
    ("kafka.server<type=ReplicaManager, name=AtMinIsrPartitionCount><>Value",
     "kafka.server:type=ReplicaManager,name=AtMinIsrPartitionCount",
     "kafka_server_replicamanager_atminisrpartitioncount", {}),
    ("kafka.server<type=ReplicaManager, name=LeaderCount><>Value",
     "kafka.server:type=ReplicaManager,name=LeaderCount", "kafka_server_replicamanager_leadercount", {}),
    ("kafka.server<type=ReplicaManager, name=PartitionCount><>Value",
     "kafka.server:type=ReplicaManager,name=PartitionCount", "kafka_server_replicamanager_partitioncount", {}),
    ("kafka.server<type=ReplicaManager, name=IsrShrinksPerSec><>Count",
     "kafka.server:type=ReplicaManager,name=IsrShrinksPerSec", "kafka_server_replicamanager_isrshrinks_total", {}),
    ("kafka.server<type=ReplicaManager, name=IsrExpandsPerSec><>Count",
     "kafka.server:type=ReplicaManager,name=IsrExpandsPerSec", "kafka_server_replicamanager_isrexpands_total", {}),
    ("kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value",
     "kafka.controller:type=KafkaController,name=OfflinePartitionsCount",
     "kafka_controller_kafkacontroller_offlinepartitionscount", {}),
    ("kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value",
     "kafka.controller:type=KafkaController,name=ActiveControllerCount",
     "kafka_controller_kafkacontroller_activecontrollercount", {}),
    ("kafka.controller<type=KafkaController, name=ActiveBrokerCount><>Value",
     "kafka.controller:type=KafkaController,name=ActiveBrokerCount",
     "kafka_controller_kafkacontroller_activebrokercount", {}),
    ("kafka.controller<type=ControllerStats, name=UncleanLeaderElectionsPerSec><>Count",
     "kafka.controller:type=ControllerStats,name=UncleanLeaderElectionsPerSec",
     "kafka_controller_controllerstats_uncleanleaderelections_total", {}),
    ("kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec><>Count",
     "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec", "kafka_server_brokertopicmetrics_bytesin_total", {}),
    ("kafka.server<type=BrokerTopicMetrics, name=BytesOutPerSec, topic=orders><>Count",
     "kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec,topic=orders",
     "kafka_server_brokertopicmetrics_bytesout_total", {"topic": "orders"}),
    ("kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec, topic=orders><>Count",
     "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders",
     "kafka_server_brokertopicmetrics_messagesin_total", {"topic": "orders"}),
    ("kafka.network<type=RequestMetrics, name=TotalTimeMs, request=Produce><>99thPercentile",
     "kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce",
     "kafka_network_requestmetrics_totaltimems", {"request": "Produce", "quantile": "0.99"}),
    ("kafka.network<type=RequestMetrics, name=TotalTimeMs, request=FetchConsumer><>999thPercentile",
     "kafka.network:type=RequestMetrics,name=TotalTimeMs,request=FetchConsumer",
     "kafka_network_requestmetrics_totaltimems", {"request": "FetchConsumer", "quantile": "0.999"}),
    ("kafka.network<type=RequestMetrics, name=RequestsPerSec, request=Fetch, version=17><>Count",
     "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Fetch,version=17",
     "kafka_network_requestmetrics_requests_total", {"request": "Fetch", "version": "17"}),
    ("kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>OneMinuteRate",
     "kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent",
     "kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent", {}),
    ("kafka.server<type=raft-metrics><>current-state: leader", "kafka.server:type=raft-metrics",
     "kafka_server_raft_metrics_current_state_info", {"state": "leader"}),
    ("kafka.server<type=raft-metrics><>current-leader", "kafka.server:type=raft-metrics",
     "kafka_server_raft_metrics_current_leader", {}),
]


def java_to_python_repl(template, m):
    return re.sub(r"\$(\d+)", lambda g: m.group(int(g.group(1))) or "", template)


def object_name_included(patterns, object_name):
    domain, _, props = object_name.partition(":")
    have = dict(p.split("=", 1) for p in props.split(","))
    for pat in patterns:
        pdomain, _, pprops = pat.partition(":")
        if not fnmatch.fnmatchcase(domain, pdomain):
            continue
        parts = [p for p in pprops.split(",") if p]
        wildcard = "*" in parts
        want = dict(p.split("=", 1) for p in parts if p != "*")
        if all(have.get(k) == v for k, v in want.items()) and (wildcard or set(want) == set(have)):
            return True
    return False


def check_jmx_rules():
    where = "compose/jmx/kafka-broker.yml"
    with open(os.path.join(COMPOSE_DIR, "jmx", "kafka-broker.yml"), encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    rules = cfg.get("rules") or []
    compiled = []
    for i, rule in enumerate(rules):
        if "pattern" not in rule or "name" not in rule:
            err(where, "rule %d needs pattern and name" % i)
            continue
        if rule.get("type") not in ("GAUGE", "COUNTER", "UNTYPED"):
            err(where, "rule %d: type must be GAUGE, COUNTER or UNTYPED" % i)
        try:
            # The agent matches ^.*?(?:pattern).*$ (its patterns are not anchored).
            compiled.append((re.compile(r"^.*?(?:" + rule["pattern"] + r").*$"), rule))
        except re.error as e:
            err(where, "rule %d: pattern does not compile: %s" % (i, e))
    include = cfg.get("includeObjectNames") or []
    for sample, object_name, want_name, want_labels in JMX_SAMPLES:
        if include and not object_name_included(include, object_name):
            err(where, "includeObjectNames leaves out %s" % object_name)
        for rx, rule in compiled:
            m = rx.match(sample)
            if not m:
                continue
            name = java_to_python_repl(rule["name"], m)
            if cfg.get("lowercaseOutputName"):
                name = name.lower()
            name = re.sub(r"[^a-zA-Z0-9_:]", "_", name)
            labels = {k: java_to_python_repl(str(v), m) for k, v in (rule.get("labels") or {}).items()}
            if name != want_name or labels != want_labels:
                err(where, "%s becomes %s%s, expected %s%s" % (sample, name, labels, want_name, want_labels))
            break
        else:
            err(where, "no rule matches %s" % sample)
    print("check_compose: JMX rules: %d rules, %d sample MBeans mapped" % (len(rules), len(JMX_SAMPLES)))


# ---- Dockerfile -----------------------------------------------------------------------------------
def dockerfile_stages(text):
    """[(base image, [instructions as (keyword, args)])] with line continuations joined."""
    joined = re.sub(r"\\\n", " ", text)
    stages = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kw, _, args = line.partition(" ")
        kw = kw.upper()
        if kw == "FROM":
            stages.append((args.split()[0], []))
        elif stages:
            stages[-1][1].append((kw, args.strip()))
    return stages


def apt_packages(instructions):
    pkgs = []
    for kw, args in instructions:
        if kw != "RUN":
            continue
        for m in re.finditer(r"apt-get install\s+(.*?)(?:&&|;|$)", args):
            pkgs += [w for w in m.group(1).split() if not w.startswith("-") and "=" not in w]
    return pkgs


def install_deps_packages():
    with open(os.path.join(REPO, "scripts", "install-deps.sh"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"packages=\((.*?)\)", text, re.S)
    return set(m.group(1).split()) if m else set()


def ldd_packages(binary):
    """{library soname: Debian package}; errors for libraries dpkg does not know."""
    r = run(["ldd", binary])
    if r.returncode != 0:
        err("ldd %s" % binary, (r.stdout + r.stderr).strip())
        return {}
    libs = {}
    for line in r.stdout.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if not m:
            continue
        soname, path = m.groups()
        if path == "not":
            err("ldd", "%s is not found" % soname)
            continue
        if SANITIZER_LIBS.match(soname):
            note("%s is a sanitizer runtime of this test build; a Release build does not link it" % soname)
            continue
        pkg = None
        for candidate in (path, os.path.realpath(path)):
            d = run(["dpkg", "-S", candidate])
            if d.returncode == 0:
                pkg = d.stdout.split(":")[0].strip()
                break
            # /lib is a symlink to /usr/lib on merged-/usr systems: try the other spelling.
            alt = candidate[4:] if candidate.startswith("/usr/lib/") else "/usr" + candidate
            d = run(["dpkg", "-S", alt])
            if d.returncode == 0:
                pkg = d.stdout.split(":")[0].strip()
                break
        if pkg is None:
            err("dpkg -S", "no Debian package owns %s (%s)" % (soname, path))
            continue
        libs[soname] = pkg
    return libs


def dockerignore_patterns():
    path = os.path.join(REPO, ".dockerignore")
    if not os.path.exists(path):
        err(".dockerignore", "missing")
        return []
    with open(path, encoding="utf-8") as f:
        pats = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    if not any(p.rstrip("/") in ("build*", "build*/") or p.startswith("build*") for p in pats):
        err(".dockerignore", "must exclude build*/")
    return pats


def excluded(pats, path):
    result = False
    for p in pats:
        neg = p.startswith("!")
        p = p[1:] if neg else p
        p = p.rstrip("/")
        if fnmatch.fnmatchcase(path, p) or fnmatch.fnmatchcase(path.split("/")[0], p):
            result = not neg
    return result


def check_dockerfile(binary):
    where = "Dockerfile"
    path = os.path.join(REPO, "Dockerfile")
    if not os.path.exists(path):
        err(where, "missing")
        return
    with open(path, encoding="utf-8") as f:
        stages = dockerfile_stages(f.read())
    if len(stages) < 2:
        err(where, "must be multi-stage (build, runtime)")
        return
    (build_base, build), (run_base, runtime) = stages[0], stages[-1]
    if not build_base.startswith("debian:bookworm") or build_base.startswith("debian:bookworm-slim"):
        err(where, "build stage must be FROM debian:bookworm, is %s" % build_base)
    if not run_base.startswith("debian:bookworm-slim"):
        err(where, "runtime stage must be FROM debian:bookworm-slim, is %s" % run_base)
    build_pkgs = apt_packages(build)
    deps = install_deps_packages()
    extra_build = sorted(set(build_pkgs) - deps)
    if extra_build:
        err(where, "build packages not in scripts/install-deps.sh: %s" % ", ".join(extra_build))
    build_cmds = " ".join(a for k, a in build if k == "RUN")
    if "CMAKE_BUILD_TYPE=Release" not in build_cmds or "--target lagwatch" not in build_cmds:
        err(where, "build stage must configure Release and build --target lagwatch")

    runtime_pkgs = set(apt_packages(runtime))
    libs = ldd_packages(binary)
    needed = set(libs.values())
    for soname, pkg in sorted(libs.items()):
        if pkg not in runtime_pkgs:
            err(where, "runtime stage lacks %s, which provides %s (ldd %s)" % (pkg, soname, os.path.basename(binary)))
    for pkg in sorted(runtime_pkgs - needed):
        if pkg in RUNTIME_TOOLS:
            continue
        note("runtime package %s provides no library this binary links: drop it if the Release "
             "binary does not need it either" % pkg)
    print("check_compose: ldd %s: %d libraries from %d packages, all in the runtime stage's list of %d"
          % (binary, len(libs), len(needed), len(runtime_pkgs)) if not any(
              e.startswith(where + ": runtime stage lacks") for e in errors) else
          "check_compose: ldd %s: runtime packages missing" % binary)

    kws = {}
    for kw, args in runtime:
        kws.setdefault(kw, []).append(args)
    if "9721" not in " ".join(kws.get("EXPOSE", [])):
        err(where, "runtime stage must EXPOSE 9721")
    if not any("/healthz" in a for a in kws.get("HEALTHCHECK", [])):
        err(where, "runtime stage needs a HEALTHCHECK on /healthz")
    user = (kws.get("USER") or [""])[-1].split(":")[0]
    if not user or user in ("0", "root"):
        err(where, "runtime stage must run as a non-root USER")
    if not any("lagwatch" in a for a in kws.get("ENTRYPOINT", [])):
        err(where, "ENTRYPOINT must be lagwatch")
    pats = dockerignore_patterns()
    for stage_base, instructions in stages:
        for kw, args in instructions:
            if kw not in ("COPY", "ADD") or "--from=" in args:
                continue
            srcs = [a for a in args.split() if not a.startswith("--")][:-1]
            for src in srcs:
                if not os.path.exists(os.path.join(REPO, src)):
                    err(where, "COPY source %s does not exist" % src)
                elif excluded(pats, src.rstrip("/")):
                    err(where, "COPY source %s is excluded by .dockerignore" % src)


def main(argv):
    if len(argv) != 1:
        print("usage: check_compose.py path/to/lagwatch")
        return 2
    binary = os.path.abspath(argv[0])
    if not os.access(binary, os.X_OK):
        print("check_compose: %s is not an executable" % binary)
        return 1
    with open(COMPOSE_FILE, encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    check_compose_config()
    check_compose_files(compose)
    check_prometheus(compose)
    check_lagwatch_config(binary)
    check_alertmanager(compose)
    check_jmx_rules()
    check_dockerfile(binary)
    for n in notes:
        print("NOTE " + n)
    if errors:
        for e in errors:
            print("FAIL " + e)
        print("check_compose: FAILED (%d)" % len(errors))
        return 1
    print("check_compose: PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
