"""An HTTP proxy in front of moto's SES that injects what moto cannot produce, on SendEmail calls only:

  throttle   a share of calls answered 429 TooManyRequestsException at random (sparse throttling)
  limit      SES's real MaxSendRate: a token bucket; calls beyond it are throttled (going too fast)
  latency    seconds added before forwarding (a slow network keeps rows 'sending' long enough to see)
  sink       SendEmail answered here with a new MessageId instead of forwarded (moto keeps every message
             it accepts in memory: a 100,000-member send would hold gigabytes of HTML there)

Throttled calls never reach moto. Everything else is forwarded unchanged, so boto3 talks real HTTP to
a real SES API. Used by the send tests (in a thread) and by bench/ (as a process, so its CPU does not
share the sender's GIL):

  python tests/ses_fault_proxy.py UPSTREAM_URL [--throttle 0.1] [--limit 50] [--latency 0.2] [--sink]

prints its URL on the first line; GET /fault-proxy/stats returns the counters as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEND_PATH = "/v2/email/outbound-emails"
THROTTLE_BODY = json.dumps({"message": "Maximum sending rate exceeded."}).encode()


class Faults:
    def __init__(self, throttle: float = 0.0, limit: float | None = None, limit_burst: float | None = None,
                 latency: float = 0.0, seed: int = 12, sink: bool = False):
        self.throttle, self.limit, self.latency, self.sink = throttle, limit, latency, sink
        self.burst = limit_burst if limit_burst is not None else max(1.0, (limit or 0) / 2)
        self._rng = random.Random(seed)
        self._tokens, self._last = self.burst, time.monotonic()
        self._lock = threading.Lock()
        self.stats = {"send_calls": 0, "throttled_random": 0, "throttled_limit": 0, "forwarded_sends": 0, "sunk_sends": 0}

    def verdict(self) -> str | None:
        """None to forward this SendEmail, else the kind of throttle to answer with."""
        with self._lock:
            self.stats["send_calls"] += 1
            if self._rng.random() < self.throttle:
                self.stats["throttled_random"] += 1
                return "random"
            if self.limit:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.limit)
                self._last = now
                if self._tokens < 1.0:
                    self.stats["throttled_limit"] += 1
                    return "limit"
                self._tokens -= 1.0
            self.stats["sunk_sends" if self.sink else "forwarded_sends"] += 1
            return None


def _handler(upstream: str, faults: Faults):
    target = urllib.parse.urlsplit(upstream)
    local = threading.local()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as boto3 expects

        def setup(self):
            super().setup()  # headers and body go out in two writes: without NODELAY, Nagle + delayed ACK add 40 ms
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):  # quiet
            pass

        def _reply(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/fault-proxy/stats":
                return self._reply(200, {"Content-Type": "application/json"}, json.dumps(faults.stats).encode())
            if self.command == "POST" and self.path.startswith(SEND_PATH):
                if faults.verdict():
                    return self._reply(429, {"Content-Type": "application/json",
                                             "x-amzn-ErrorType": "TooManyRequestsException"}, THROTTLE_BODY)
                if faults.latency:
                    time.sleep(faults.latency)
                if faults.sink:  # SESv2's answer to SendEmail, as moto gives it
                    return self._reply(200, {"Content-Type": "application/json"},
                                       json.dumps({"MessageId": uuid.uuid4().hex}).encode())
            status, headers, answer = self._upstream(body)
            self._reply(status, headers, answer)

        def _upstream(self, body: bytes):
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "content-length")}
            for attempt in (1, 2):  # a kept-alive upstream connection may have been closed: reopen once
                conn = getattr(local, "conn", None)
                if conn is None:
                    conn = local.conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                    conn.connect()
                    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as urllib3 does
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    response = conn.getresponse()
                    answer = response.read()
                    kept = {k: v for k, v in response.getheaders()
                            if k.lower() not in ("connection", "content-length", "transfer-encoding")}
                    return response.status, kept, answer
                except (http.client.HTTPException, ConnectionError):
                    conn.close()
                    local.conn = None
                    if attempt == 2:
                        raise

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

    return Handler


class FaultProxy:
    """``with FaultProxy(moto_url, throttle=0.1) as proxy_url:`` in a background thread."""

    def __init__(self, upstream: str, **faults):
        self.faults = Faults(**faults)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, self.faults))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("upstream")
    parser.add_argument("--throttle", type=float, default=0.0)
    parser.add_argument("--limit", type=float, default=None)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--sink", action="store_true")
    args = parser.parse_args()
    proxy = FaultProxy(args.upstream, throttle=args.throttle, limit=args.limit, latency=args.latency, seed=args.seed,
                       sink=args.sink)
    print(proxy.url, flush=True)
    proxy.server.serve_forever()


if __name__ == "__main__":
    main()
