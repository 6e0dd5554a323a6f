"""NGA's Maritime Safety Information API: fetch ASAM records for a window of dates, over a hostile network.

The query is the one NGA's own MAGE server plugin makes:
``GET {base}/api/publications/asam?minOccurDate=YYYY-MM-DD&maxOccurDate=YYYY-MM-DD&sort=date&output=json``
answering ``{"asam": [{"reference", "date", "latitude", "longitude", "position", "navArea", "subreg",
"hostility", "victim", "description"}, ...]}``.

Transient faults (a timeout, a refused or reset connection, a 5xx answer, 429, a body cut short) are
retried a few times, honouring ``Retry-After``. Anything else (another 4xx, a body that is not JSON, a
record that does not fit the format) fails at once: a changed API needs a person, not a guess. Every
failure is a ``FetchError`` whose message names the URL and what was wrong; nothing is half-returned.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

DEFAULT_BASE_URL = "https://msi.nga.mil"
ASAM_PATH = "/api/publications/asam"
USER_AGENT = "cso-alliance-publisher (stats-update)"

_TEXT_FIELDS = ("navArea", "hostility", "victim", "description")
_REQUIRED_TEXT = ("reference", "date")


class FetchError(Exception):
    """The API could not be read, or answered something that is not the ASAM format."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries in all, the first included
    backoff: float = 2.0  # seconds before the second try; doubled each time
    max_wait: float = 120.0  # a Retry-After longer than this fails instead of waiting
    timeout: float = 60.0  # seconds for the connection and for each read


def asam_url(base_url: str, first: date, last: date) -> str:
    query = urllib.parse.urlencode({
        "minOccurDate": first.isoformat(), "maxOccurDate": last.isoformat(), "sort": "date", "output": "json",
    })
    return f"{base_url.rstrip('/')}{ASAM_PATH}?{query}"


class _Transient(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.wait = wait


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _get_once(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https or a test's 127.0.0.1)
            return response.read()
    except urllib.error.HTTPError as answer:
        if answer.code == 429 or answer.code >= 500:
            raise _Transient(f"HTTP {answer.code} {answer.reason}", _retry_after(answer.headers.get("Retry-After")))
        raise FetchError(f"{url}: HTTP {answer.code} {answer.reason}") from None
    except http.client.IncompleteRead as cut:
        raise _Transient(f"the answer was cut short after {len(cut.partial)} bytes") from None
    except (socket.timeout, TimeoutError):
        raise _Transient(f"no answer within {timeout:g} s") from None
    except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as failure:
        reason = getattr(failure, "reason", failure)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise _Transient(f"no answer within {timeout:g} s") from None
        raise _Transient(f"connection failed: {reason}") from None


def get_with_retries(url: str, policy: RetryPolicy = RetryPolicy(), sleep=time.sleep, log=None) -> bytes:
    """The body of a GET, retrying transient faults; FetchError when every try failed."""
    wait = policy.backoff
    for attempt in range(1, policy.attempts + 1):
        try:
            return _get_once(url, policy.timeout)
        except _Transient as fault:
            if attempt == policy.attempts:
                raise FetchError(f"{url}: {fault} (gave up after {attempt} tries)") from None
            delay = wait if fault.wait is None else fault.wait
            if delay > policy.max_wait:
                raise FetchError(f"{url}: {fault}; the server asks to wait {delay:g} s, "
                                 f"longer than {policy.max_wait:g} s") from None
            if log:
                log(f"try {attempt} of {policy.attempts} failed ({fault}); retrying in {delay:g} s")
            sleep(delay)
            wait *= 2
    raise AssertionError("unreachable")


def _field_error(url: str, index: int, record: dict, name: str, expected: str) -> FetchError:
    reference = record.get("reference") if isinstance(record.get("reference"), str) else None
    where = f"record {index + 1}" + (f" (reference {reference})" if reference else "")
    got = record[name] if name in record else "nothing"
    return FetchError(f"{url}: {where}: {name}: expected {expected}, got {got!r}")


def _check_record(url: str, index: int, record) -> dict:
    if not isinstance(record, dict):
        raise FetchError(f"{url}: record {index + 1}: expected an object, got {type(record).__name__}")
    for name in _REQUIRED_TEXT:
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise _field_error(url, index, record, name, "a non-empty string")
    try:
        date.fromisoformat(record["date"].strip()[:10])
    except ValueError:
        raise _field_error(url, index, record, "date", "a date YYYY-MM-DD") from None
    for name in _TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            raise _field_error(url, index, record, name, "a string or null")
    subregion = record.get("subreg")
    if subregion is not None and (isinstance(subregion, bool) or not isinstance(subregion, (str, int))):
        raise _field_error(url, index, record, "subreg", "a subregion number or string")
    has_position = isinstance(record.get("position"), str) and record["position"].strip()
    for name, limit in (("latitude", 90), ("longitude", 180)):
        value = record.get(name)
        if value is None and has_position:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
            raise _field_error(url, index, record, name, f"a number from -{limit} to {limit}")
    return record


def parse_asam_answer(url: str, body: bytes) -> list[dict]:
    """The records of an answer, each checked against the format; FetchError naming the first misfit."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as failure:
        start = body[:60].decode("utf-8", "replace")
        raise FetchError(f"{url}: the answer is not JSON ({failure}); it starts {start!r}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("asam"), list):
        raise FetchError(f'{url}: expected an object {{"asam": [...]}}, got {type(payload).__name__} '
                         f"with keys {sorted(payload) if isinstance(payload, dict) else '-'}")
    return [_check_record(url, i, record) for i, record in enumerate(payload["asam"])]


def fetch_asam(base_url: str, first: date, last: date, policy: RetryPolicy = RetryPolicy(),
               sleep=time.sleep, log=None) -> tuple[str, list[dict]]:
    """(url, records) of the ASAM records that occurred from ``first`` to ``last``, both included."""
    url = asam_url(base_url, first, last)
    return url, parse_asam_answer(url, get_with_retries(url, policy, sleep, log))
