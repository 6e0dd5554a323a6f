"""Positions: NGA's degrees-minutes-seconds text, and great-circle distances in nautical miles."""

from __future__ import annotations

import math
import re

# 46°37'50.89"N <newline> 31°35'01.64"E  (NGA's ASAM export; any whitespace between the two halves)
# Seconds sometimes carry a leading zero ("010" = 10 seconds): up to three digits are accepted.
_DMS = re.compile(
    r"""^\s*(\d{1,2})\s*°\s*(\d{1,2})\s*'\s*(\d{1,3}(?:\.\d+)?)\s*"\s*([NS])\s*"""
    r"""(\d{1,3})\s*°\s*(\d{1,2})\s*'\s*(\d{1,3}(?:\.\d+)?)\s*"\s*([EW])\s*$"""
)
EARTH_RADIUS_NM = 3440.065


class PositionError(ValueError):
    pass


def _degrees(deg: str, minutes: str, seconds: str, hemisphere: str) -> float:
    # NGA writes 60 minutes or 60 seconds for a carry (5°60'00" is 6°00'00"): accept up to 60.
    m, s = int(minutes), float(seconds)
    if m > 60 or s > 60:
        raise PositionError(f"minutes and seconds must be at most 60, got {minutes}' {seconds}\"")
    value = int(deg) + m / 60 + s / 3600
    return -value if hemisphere in "SW" else value


def parse_dms(text: str) -> tuple[float, float]:
    """Return (lat, lon) in decimal degrees from NGA's two-line DMS position."""
    match = _DMS.match(text or "")
    if not match:
        raise PositionError(f"not a position like 46°37'50.89\"N 31°35'01.64\"E: {text!r}")
    d1, m1, s1, ns, d2, m2, s2, ew = match.groups()
    lat = _degrees(d1, m1, s1, ns)
    lon = _degrees(d2, m2, s2, ew)
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise PositionError(f"position out of range: {text!r}")
    return round(lat, 5), round(lon, 5)


def to_dms(lat: float, lon: float) -> str:
    """The inverse of parse_dms (to the hundredth of a second), used by tests and sample tooling."""

    def part(value: float, pos: str, neg: str) -> str:
        hemisphere = pos if value >= 0 else neg
        total = round(abs(value) * 360000)  # hundredths of a second
        deg, rest = divmod(total, 360000)
        minutes, hundredths = divmod(rest, 6000)
        return f"{deg}°{minutes:02d}'{hundredths // 100:02d}.{hundredths % 100:02d}\"{hemisphere}"

    return part(lat, "N", "S") + "\n" + part(lon, "E", "W")


def distance_nm(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in nautical miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(min(1.0, math.sqrt(a)))
