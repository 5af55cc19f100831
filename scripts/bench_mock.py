#!/usr/bin/env python3
"""A Mastodon instance for scripts/bench's network-bound scan: every account exists, every
answer (lookup or avatar) comes after LATENCY seconds; GET /stats (no delay) counts requests.

One asyncio loop (no thread per request, so the mock itself is never what limits the
client), HTTP/1.1 with keep-alive as a real instance.

  bench_mock.py PORT_FILE LATENCY AVATAR_DIR
"""
import asyncio, json, os, sys, zlib
from urllib.parse import parse_qs, urlparse

port_file, latency, avatar_dir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
avatars = sorted(n for n in os.listdir(avatar_dir) if n.endswith(".png"))
counts = {"lookups": 0, "avatars": 0, "other": 0, "max_in_flight": 0}
in_flight = 0


def reply(writer, code, body, kind):
    reason = {200: "OK", 404: "Not Found", 400: "Bad Request"}[code]
    head = (f"HTTP/1.1 {code} {reason}\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    writer.write(head.encode() + body)


async def answer(path, host, writer):
    global in_flight
    u = urlparse(path)
    if u.path == "/stats":
        return reply(writer, 200, json.dumps(counts).encode(), "application/json")
    in_flight += 1
    counts["max_in_flight"] = max(counts["max_in_flight"], in_flight)
    try:
        await asyncio.sleep(latency)
        if u.path == "/api/v1/accounts/lookup":
            counts["lookups"] += 1
            acct = parse_qs(u.query).get("acct", ["x"])[0]
            n = zlib.crc32(acct.encode()) % len(avatars)
            body = {"id": str(n), "acct": acct, "display_name": acct, "note": "",
                    "url": f"http://{host}/@{acct}",
                    "avatar_static": f"http://{host}/avatars/{avatars[n]}"}
            return reply(writer, 200, json.dumps(body).encode(), "application/json")
        if u.path.startswith("/avatars/"):
            counts["avatars"] += 1
            with open(os.path.join(avatar_dir, os.path.basename(u.path)), "rb") as f:
                return reply(writer, 200, f.read(), "image/png")
        counts["other"] += 1
        return reply(writer, 404, b'{"error":"Record not found"}', "application/json")
    finally:
        in_flight -= 1


async def connection(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            parts = line.decode("latin-1").split()
            headers = {}
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            if len(parts) < 2 or parts[0] != "GET":
                reply(writer, 400, b"", "text/plain")
            else:
                await answer(parts[1], headers.get("host", "127.0.0.1"), writer)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                break
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    srv = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=256)
    with open(port_file, "w") as f:
        f.write(str(srv.sockets[0].getsockname()[1]))
    async with srv:
        await srv.serve_forever()


asyncio.run(main())
