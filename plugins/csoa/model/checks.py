"""Rules across fields of one file. Each takes the parsed values, the fields' lines and the kind's
name, and returns ``(field, line, message)`` problems; the validator names the file."""

from __future__ import annotations


def _after(later, earlier) -> bool:
    """Is ``later`` strictly after ``earlier``? A date without a time covers its whole day."""
    if later.has_time and earlier.has_time:
        return later.at > earlier.at
    return later.day > earlier.day


def incident_not_after_report(values, lines, kind):
    incident, report = values.get("incident_date"), values.get("date")
    if incident and report and _after(incident, report):
        return [
            (
                "incident_date",
                lines["incident_date"],
                f"expected a date not after the report's date {report}, got '{incident}'",
            )
        ]
    return []


def end_not_before_start(values, lines, kind):
    start, end = values.get("start"), values.get("end")
    if start and end and _after(start, end):
        return [("end", lines["end"], f"expected an end not before the start {start}, got '{end}'")]
    return []


def lat_lon_together(values, lines, kind):
    for have, missing in (("lat", "lon"), ("lon", "lat")):
        if have in lines and missing not in lines:
            return [(missing, lines[have], f"expected {missing} together with {have}, got only {have}")]
    return []


def image_needs_alt(values, lines, kind):
    if "image" in lines and "image_alt" not in lines:
        return [
            ("image_alt", lines["image"], "expected alt text (image_alt: what the image shows) for the image, got none")
        ]
    return []


def category_is_folder(values, lines, kind):
    written = values.get("category")
    if written is not None and written.lower() != kind:
        return [
            (
                "category",
                lines["category"],
                f"expected {kind!r} (the folder is the category: leave the field out), got {written!r}",
            )
        ]
    return []


def start_and_end_alike(values, lines, kind):
    """An event is all-day (dates) or timed (dates and times): an end of the other form has no meaning."""
    start, end = values.get("start"), values.get("end")
    if start and end and start.has_time != end.has_time and not _after(start, end):  # (else said above)
        return [("end", lines["end"], f"expected an end of the same form as the start {start} (both dates, or "
                 f"both dates and times), got '{end}'")]
    return []
