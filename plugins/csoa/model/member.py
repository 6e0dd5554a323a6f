"""A newsletter member: one record, the same from the CSV import through the member store and the
send ledger to the SES call. Also the rules a member row must meet: an address SES can send to,
regions the settings know, a known status.

Rows already in the store may predate these rules, so building a Member validates nothing; the CSV
import validates with ``read_csv`` and the ledger refuses an undeliverable address when it freezes an
audience.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

COLUMNS = ("email", "name", "organisation", "regions", "status")
STATUSES = ("subscribed", "unsubscribed")

# RFC 5322 dot-atom local part (no quoted strings: SES and many receivers reject them).
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class Member:
    email: str
    name: str = ""
    organisation: str = ""
    regions: tuple[str, ...] = ()  # region keys of the settings, in the member's order
    status: str = "subscribed"
    token: str = ""  # random, for unsubscribe links; issued by the store when it first saves the member

    @property
    def key(self) -> str:
        """How addresses compare (the store's COLLATE NOCASE, the suppression list's keys)."""
        return self.email.lower()

    @property
    def subscribed(self) -> bool:
        return self.status == "subscribed"


def address_problem(address: str) -> str | None:
    """None if ``address`` can be sent to through SES (which has no SMTPUTF8: the local part must be
    ASCII), else what is wrong with it."""
    if not address or address != address.strip():
        return "empty or surrounded by spaces"
    if address.count("@") != 1:
        return "expected exactly one @"
    local, domain = address.split("@")
    if not local:
        return "empty local part"
    if not local.isascii():
        return "non-ASCII local part (SES has no SMTPUTF8)"
    if len(local) > 64 or not _LOCAL.match(local):
        return "invalid characters in the local part"
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "invalid domain"
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253 or not all(_LABEL.match(label) for label in labels):
        return "invalid domain"
    if labels[-1].isdigit():
        return "invalid domain"
    return None


def normalise(address: str) -> str:
    """The form we store and compare: IDNA domain, lower-case domain (local part kept as given)."""
    local, _, domain = address.strip().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the header line, so the first member is row 2 (as a spreadsheet shows it)
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


@dataclass
class MemberRows:
    """What a members CSV holds: the valid members (no token yet), how many rows, and each bad row."""

    members: list[Member] = field(default_factory=list)
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)


def member_from_row(row: dict[str, str], number: int, regions) -> tuple[Member | None, list[RowError]]:
    """One CSV row (cells by column) as a Member, or None and what is wrong with each field."""
    problems = []
    email = row.get("email", "")
    problem = address_problem(email)
    if problem:
        problems.append(RowError(number, "email", f"{problem} (expected a deliverable address)"))
    chosen = [r for r in row.get("regions", "").replace(";", " ").replace(",", " ").split() if r]
    unknown = [r for r in chosen if r not in regions]
    if unknown:
        problems.append(RowError(number, "regions", f"unknown {', '.join(unknown)} (expected some of {', '.join(regions)})"))
    status = row.get("status", "") or "subscribed"
    if status not in STATUSES:
        problems.append(RowError(number, "status", f"{status!r} (expected {' or '.join(STATUSES)})"))
    if problems:
        return None, problems
    return Member(normalise(email), row.get("name", ""), row.get("organisation", ""), tuple(dict.fromkeys(chosen)),
                  status), []


def _header_problem(header: list[str]) -> RowError | None:
    missing = [c for c in ("email",) if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    what = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + \
           ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
    return RowError(1, "header", "; ".join(what) + f" (expected {', '.join(COLUMNS)})") if what else None


def read_csv(text: str, regions) -> MemberRows:
    """Validate every row of a members CSV (``regions``: the settings' region keys); a bad header
    is the only error when there is one."""
    out = MemberRows()
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    problem = _header_problem(header)
    if problem:
        out.errors.append(problem)
        return out
    reader.fieldnames = header
    seen: dict[str, int] = {}  # member key -> the row it was first on
    for number, raw in enumerate(reader, start=2):
        out.rows += 1
        if None in raw:
            out.errors.append(RowError(number, "row", f"more fields than the {len(header)} columns"))
            continue
        cells = {k: (v or "").strip() for k, v in raw.items()}
        member, problems = member_from_row(cells, number, regions)
        if not any(p.field == "email" for p in problems):  # a valid address: is it new to this file?
            key = normalise(cells["email"]).lower()
            if key in seen:
                member, problems = None, [RowError(number, "email", f"duplicate of row {seen[key]}"), *problems]
            else:
                seen[key] = number
        if member is None:
            out.errors.extend(problems)
        else:
            out.members.append(member)
    return out
