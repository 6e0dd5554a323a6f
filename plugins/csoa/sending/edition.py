"""One rendered edition of an issue: what every member of a segment (a set of regions) is sent."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Edition:
    subject: str
    html: str
    text: str
