"""A webhook receiver for the lab: prints every request it receives and answers 200.

Alertmanager's webhook receiver (and lagwatch's webhook notifier) can point at
http://webhook-sink:9095/<any path> inside the lab. Each POST is printed as one summary line
per alert followed by the JSON body; `docker compose logs -f webhook-sink` shows them.
GET / returns the last 50 requests as JSON (curl -s localhost:9095/ from the host).
Standard library only.
"""
import argparse
import collections
import datetime
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVED = collections.deque(maxlen=50)


def summary(body):
    """One line per alert for Alertmanager's payload; None for anything else."""
    if not isinstance(body, dict) or "alerts" not in body:
        return None
    lines = []
    for a in body.get("alerts") or []:
        labels = a.get("labels") or {}
        extra = ", ".join("%s=%s" % (k, v) for k, v in sorted(labels.items())
                          if k not in ("alertname", "severity"))
        lines.append("  %-8s %s (%s) %s" % (a.get("status", "?").upper(), labels.get("alertname", "?"),
                                             labels.get("severity", "-"), extra))
    return "\n".join(lines)


class Handler(BaseHTTPRequestHandler):
    server_version = "lagwatch-webhook-sink"

    def _reply(self, code, payload):
        data = json.dumps(payload, indent=2).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = raw.decode("utf-8", "replace")
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        RECEIVED.append({"received_at": now, "path": self.path, "body": body})
        print("%s POST %s from %s" % (now, self.path, self.client_address[0]))
        s = summary(body)
        if s:
            print(s)
        print(json.dumps(body, indent=2) if not isinstance(body, str) else body)
        sys.stdout.flush()
        self._reply(200, {"status": "received"})

    do_PUT = do_POST

    def do_GET(self):
        if self.path in ("/healthz", "/-/healthy"):
            self._reply(200, {"status": "ok"})
        else:
            self._reply(200, list(RECEIVED))

    def log_message(self, fmt, *args):  # requests are printed by do_POST
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=9095)
    args = ap.parse_args()
    print("webhook-sink: listening on :%d" % args.port, flush=True)
    ThreadingHTTPServer(("", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
