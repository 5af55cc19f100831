#!/usr/bin/env python3
"""A Mastodon instance for scripts/bench's network-bound scan: every account exists, every
answer (lookup or avatar) comes after LATENCY seconds; GET /stats (no delay) counts requests.

  bench_mock.py PORT_FILE LATENCY AVATAR_DIR
"""
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

port_file, latency, avatar_dir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
avatars = sorted(n for n in os.listdir(avatar_dir) if n.endswith(".png"))
counts = {"lookups": 0, "avatars": 0, "other": 0, "max_in_flight": 0}
in_flight = 0
lock = threading.Lock()


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, code, body, kind):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        global in_flight
        u = urlparse(self.path)
        if u.path == "/stats":
            return self.reply(200, json.dumps(counts).encode(), "application/json")
        with lock:
            in_flight += 1
            counts["max_in_flight"] = max(counts["max_in_flight"], in_flight)
        try:
            time.sleep(latency)
            if u.path == "/api/v1/accounts/lookup":
                counts["lookups"] += 1
                acct = parse_qs(u.query).get("acct", ["x"])[0]
                n = abs(hash(acct)) % len(avatars)
                host = self.headers.get("Host")
                body = {"id": str(n), "acct": acct, "display_name": acct, "note": "",
                        "url": f"http://{host}/@{acct}",
                        "avatar_static": f"http://{host}/avatars/{avatars[n]}"}
                return self.reply(200, json.dumps(body).encode(), "application/json")
            if u.path.startswith("/avatars/"):
                counts["avatars"] += 1
                name = os.path.basename(u.path)
                with open(os.path.join(avatar_dir, name), "rb") as f:
                    return self.reply(200, f.read(), "image/png")
            counts["other"] += 1
            return self.reply(404, b'{"error":"Record not found"}', "application/json")
        finally:
            with lock:
                in_flight -= 1


ThreadingHTTPServer.daemon_threads = True
srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.request_queue_size = 256
with open(port_file, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
