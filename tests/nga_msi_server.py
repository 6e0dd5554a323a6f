"""A local HTTP server on 127.0.0.1 that answers NGA MSI's ASAM query in its JSON format, with faults on demand.

Its records are made at test time from rows of the licensed ASAM export in ../shared/data (never copied
into the project). ``faults`` is a list consumed one request at a time: each entry names what the next
answer does ("ok", "500", "503", "429:<seconds>", "malformed", "truncated", "slow:<seconds>", "bad-record").
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from csoa.model.positions import parse_dms


def api_records_from_export(path: Path, limit: int | None = None, since: date | None = None) -> list[dict]:
    """Rows of an ASAM export as the API would answer them (latitude/longitude as numbers)."""
    text = path.read_bytes().decode("utf-8-sig")
    records = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if since and row["date"] < since.isoformat():
            continue
        lat, lon = parse_dms(row["position"])
        records.append({
            "reference": row["reference"], "date": row["date"], "latitude": lat, "longitude": lon,
            "position": row["position"], "navArea": row["navArea"], "subreg": row["subreg"],
            "hostility": row["hostility"], "victim": row["victim"], "description": row["description"],
        })
        if limit and len(records) >= limit:
            break
    return records


class NgaMsiServer:
    def __init__(self, records: list[dict]):
        self.records = records
        self.faults: list[str] = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _selected(self, query: dict) -> list[dict]:
        first, last = query["minOccurDate"][0], query["maxOccurDate"][0]
        chosen = [r for r in self.records if first <= r["date"] <= last]
        return sorted(chosen, key=lambda r: (r["date"], r["reference"]), reverse=True)  # NGA: newest first

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlparse(handler.path)
        query = parse_qs(url.query)
        self.requests.append({"path": url.path, **{k: v[0] for k, v in query.items()}})
        fault = self.faults.pop(0) if self.faults else "ok"
        kind, _, arg = fault.partition(":")
        if url.path != "/api/publications/asam":
            return self._send(handler, 404, b'{"error": "not found"}')
        if kind in ("500", "503"):
            return self._send(handler, int(kind), b"<html>Service Unavailable</html>", "text/html")
        if kind == "429":
            return self._send(handler, 429, b"{}", headers={"Retry-After": arg or "1"})
        if kind == "slow":
            time.sleep(float(arg))
        records = self._selected(query)
        if kind == "bad-record":
            records = [dict(r) for r in records]
            records[0]["latitude"] = "north"
            del records[0]["position"]
        body = json.dumps({"asam": records}).encode("utf-8")
        if kind == "malformed":
            body = b"<html><body>Maintenance</body></html>"
        if kind == "truncated":
            return self._send(handler, 200, body[: len(body) // 2], length=len(body))
        self._send(handler, 200, body)

    @staticmethod
    def _send(handler, status, body, content_type="application/json", headers=None, length=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(length if length is not None else len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        try:
            handler.wfile.write(body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up first (the timeout test)
            pass
        if length is not None:
            handler.close_connection = True
