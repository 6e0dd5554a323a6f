"""What a Company Security Officer deciding to join needs, from the setting ``MEMBERSHIP`` (not
copy in templates): benefits, the member count and its date, who may join, the steps, and where to
apply (an https:// form or a mailto: address). The "Join now" page (template ``join``) and the
newsletter's sign-up line show it; a mistake in the setting stops the build naming the key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jinja2.runtime import Undefined

APPLY_SCHEMES = ("https://", "mailto:")


class MembershipSettingError(ValueError):
    pass


@dataclass(frozen=True)
class Benefit:
    title: str
    text: str
    url: str = ""  # a page of the site that shows it (site-relative, "statistics/")


@dataclass(frozen=True)
class Offer:
    apply_url: str
    apply_label: str
    apply_note: str
    members: int | None
    members_as_of: date | None
    eligibility: tuple[str, ...]
    benefits: tuple[Benefit, ...]
    steps: tuple[str, ...]
    newsletter: str  # how a member gets the newsletter (the archive, the footer and this page say it)


def _texts(value, key: str, errors: list[str]) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(f"{key}: expected a list of sentences, got {value!r}")
        return ()
    return tuple(v.strip() for v in value)


def _benefits(value, errors: list[str]) -> tuple[Benefit, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        errors.append(f"benefits: expected a list of {{'title': …, 'text': …}}, got {value!r}")
        return ()
    out = []
    for n, entry in enumerate(value):
        if not isinstance(entry, dict) or not str(entry.get("title", "")).strip() or not str(entry.get("text", "")).strip():
            errors.append(f"benefits[{n}]: expected a title and a text, got {entry!r}")
            continue
        url = str(entry.get("url", "")).strip()
        if url.startswith(("/", "http:", "https:")) or ".." in url:
            errors.append(f"benefits[{n}]: url: expected a path inside the site such as 'statistics/', got {url!r}")
        out.append(Benefit(str(entry["title"]).strip(), str(entry["text"]).strip(), url))
    return tuple(out)


def _members(value, as_of, errors: list[str]) -> tuple[int | None, date | None]:
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append(f"members: expected a whole number of members, got {value!r}")
        return None, None
    try:
        return value, date.fromisoformat(str(as_of))
    except ValueError:
        errors.append(f"members_as_of: expected the date the count was made, such as '2016-07-08', got {as_of!r}")
        return value, None


def offer(setting: dict | None) -> Offer | None:
    """The validated offer (None without the setting); MembershipSettingError lists every mistake."""
    if setting is None:
        return None
    if not isinstance(setting, dict):
        raise MembershipSettingError(f"MEMBERSHIP (settings): expected a dict, got {setting!r}")
    errors: list[str] = []
    apply_url = str(setting.get("apply_url", "")).strip()
    if not apply_url.startswith(APPLY_SCHEMES) or apply_url in APPLY_SCHEMES:
        errors.append(f"apply_url: expected an https:// address of the application form or a mailto: address, got {apply_url!r}")
    members, as_of = _members(setting.get("members"), setting.get("members_as_of"), errors)
    result = Offer(apply_url, str(setting.get("apply_label") or "Apply"), str(setting.get("apply_note", "")),
                   members, as_of, _texts(setting.get("eligibility"), "eligibility", errors),
                   _benefits(setting.get("benefits"), errors), _texts(setting.get("steps"), "steps", errors),
                   str(setting.get("newsletter", "")).strip())
    if errors:
        raise MembershipSettingError("MEMBERSHIP (settings): " + "; ".join(errors))
    return result


def membership_offer(setting) -> Offer | None:
    """Jinja filter: ``MEMBERSHIP | membership_offer`` (None where the setting is undefined)."""
    return None if isinstance(setting, Undefined) else offer(setting)
