"""NGA ASAM export -> incident records, by the documented extraction rules below.

Columns read as they are: `reference` (source_ref, id `nga_asam-<reference>`), `date`, `position`
(degrees-minutes-seconds, see positions.parse_dms). Everything else is extracted from the text of
`hostility`, `victim` and `description` and listed in the record's `derived` field:

* country_iso3 - the text before the first colon of `description` ("NIGERIA: ...", "(U) INDONESIA:")
  when it names a country (pycountry plus the aliases in countries.py); otherwise (a sea name such
  as "GULF OF ADEN", or no prefix) the country containing the position or nearest to it within
  200 nm; otherwise empty.
* attack_type - the most severe that the text supports, tried in this order:
  hijacked ("hijack", "took control of", "commandeered"); boarded ("boarded", "climbed on board",
  "came on board", "gained access", "stole"/"stolen", "robbed", "kidnapped ... from the vessel");
  fired_upon ("fired upon/on/at", "opened fire", "shot at", "shots fired", "rocket-propelled");
  attempted ("attempt", "tried to board"); suspicious_approach ("approach", "suspicious",
  "followed", "chased"); else unknown.
* in_scope - false when `hostility` names military, navy, naval, warship, protest, activist,
  Greenpeace, detained/detention, seized or arrest; or the description reports military activity
  ("military activity", a missile, shell, rocket or mine strike, an air strike), a protest
  (protesters, activists, Greenpeace) or a state detention (the vessel/crew "detained/seized/arrested
  by" authorities, coast guard, navy, police, government or forces); true otherwise. A navy that
  merely responds to a robbery does not take a record out of scope.
* vessel_status - berthed ("berthed", "alongside", "at berth", "moored at"/"moored to" a pier,
  jetty, wharf or quay); anchored ("anchored", "at anchor"); underway ("underway", "under way",
  "steaming", "sailing", "transiting", "en route"); then "anchorage" alone means anchored; else unknown.
* vessel_type - keywords of `victim` then `description` (tanker, bulk carrier, container, ro-ro,
  passenger/ferry/cruise, supply/offshore/research, tug/barge, fishing/trawler, yacht/sailboat,
  dhow, general cargo/cargo ship); "vessel"/"ship" alone gives other; nothing gives unknown.
* perpetrators - the first number (digits or words one to thirty, "a"/"an" = 1) directly before
  robbers, pirates, thieves, attackers, assailants, intruders, perpetrators, men, gunmen, suspects,
  criminals, boarders, hijackers or kidnappers (optionally with "armed"/"masked" between);
  "a group of" or "several" leave it empty (not stated).
* weapons - guns (gun, rifle, AK-47, firearm, pistol, RPG, shots/fired), knives (knife, knives,
  machete, parang, cutlass), other (stick, iron bar, axe, hammer, rod); "unarmed" = none; else not_stated.
* crew counts - "<n> crew(members) ... kidnapped/taken hostage/injured/killed" and
  "kidnapped/killed/injured <n> crew(members)"; "crew of <n>". A count larger than crew_onboard
  leaves crew_onboard empty (it was then not the whole crew that was stated).
* location_precision is `approximate` (NGA positions are often "near position").
* narrative - NGA's description as published (third-party text: always escaped on pages).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from csoa.model.csv_lines import InputFileError, SourceFile, SourceRows, clean_text
from csoa.model.incident import Incident
from csoa.model.positions import PositionError, parse_dms
from csoa.stats.countries import iso3_from_name

ASAM_COLUMNS = ("reference", "date", "position", "navArea", "subreg", "hostility", "victim", "description")
SOURCE = "nga_asam"

NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "a": 1, "an": 1, "single": 1, "lone": 1})
_NUM = r"(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_PERPS = (r"(?:robbers?|pirates?|thie(?:f|ves)|attackers?|assailants?|intruders?|perpetrators?|"
          r"(?:gun)?men|suspects?|criminals?|boarders?|hijackers?|kidnappers?|bandits?|militants?)")


class _Guarded:
    """A pattern searched only in texts containing one of its key words: Python's regex engine has
    no fast path for a pattern that starts with an alternation, and `in` is cheap."""

    def __init__(self, pattern: str, *words: str):
        self.pattern, self.words = re.compile(pattern), words

    def search(self, text: str):
        return self.pattern.search(text) if any(w in text for w in self.words) else None


def _n(text: str) -> int | None:
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text)


_HIJACKED = re.compile(r"hijack|took control of|commandeered")
_BOARDED = re.compile(r"\bboarded\b|climbed (?:on ?board|aboard)|came (?:on ?board|aboard)|gained access|"
                      r"\bstole\b|\bstolen\b|\brobbed\b|kidnapped [^.]{0,60}from the (?:vessel|ship)")
_FIRED = re.compile(r"fired (?:up)?on|fired at|opened fire|shot at|shots? (?:were |was )?fired|rocket[- ]propelled")
_ATTEMPTED = re.compile(r"attempt|tried to board")
_APPROACH = re.compile(r"approach|suspicious|followed|chased")
_NOT_BOARDED = _Guarded(r"(?:attempted|tried|failed|unable) to board[^.]*\bboarded\b|\bboarded\b[^.]*\bunsuccessful", "attempt", "tried", "failed", "unable", "unsuccessful")

_HOSTILITY_OUT = re.compile(r"military|navy|naval|warship|protest|activist|greenpeace|detain|seiz|arrest")
_MILITARY = _Guarded(r"military activity|\bmissiles?\b|struck by an? (?:shell|mine|missile|rocket)|\bsea mines?\b|naval mine|airstrike|air strike", "military", "missile", "struck by", "mine", "strike")
_PROTEST = _Guarded(r"protesters|protestors|protesting|activists|greenpeace", "protest", "activist", "greenpeace")
_DETENTION = _Guarded(r"(?:vessel|ship|tanker|crew) (?:was |were )?(?:detained|seized|arrested) by (?:the )?(?:[\w-]+ ){0,2}(?:authorities|coast ?guard|navy|police|government|military|forces)", "detained", "seized", "arrested")

_BERTHED = _Guarded(r"\bberthed\b|\balongside\b|\bat berth\b|moored (?:at|to) (?:the |a )?(?:\w+ )?(?:pier|jetty|wharf|quay|berth)", "berth", "alongside", "moored")
_ANCHORED = re.compile(r"\banchored\b|\bat anchor\b")
_UNDERWAY = re.compile(r"\bunderway\b|\bunder way\b|\bsteaming\b|\bsailing\b|\btransiting\b|\ben route\b")
_ANCHORAGE = re.compile(r"\banchorage\b")

VESSEL_KEYWORDS = [
    ("tanker", r"tanker|lpg|lng carrier"),
    ("bulk_carrier", r"bulk ?carrier|bulker|ore carrier|cement carrier"),
    ("container", r"container"),
    ("ro_ro", r"ro-?ro|vehicle carrier|car carrier"),
    ("passenger", r"passenger|ferry|cruise"),
    ("offshore", r"supply (?:vessel|ship|boat)|offshore|research vessel|survey vessel|platform|drill"),
    ("tug_barge", r"\btug|barge"),
    ("fishing", r"fishing|trawler|fishermen"),
    ("yacht", r"yacht|sailboat|sailing vessel|catamaran|pleasure craft"),
    ("dhow", r"\bdhow"),
    ("general_cargo", r"general cargo|cargo ship|cargo vessel|refrigerated|reefer|heavy lift"),
]
# one scan per text: every keyword that occurs, then the first type in the list order above wins
_VESSEL_ORDER = [t for t, _ in VESSEL_KEYWORDS]
_VESSEL_ANY = re.compile("|".join(f"(?P<{t}>{p})" for t, p in VESSEL_KEYWORDS))
_ANY_VESSEL = re.compile(r"\bvessel\b|\bship\b|\bboat\b|\bmerchant\b")

_PERP_COUNT = re.compile(rf"\b{_NUM}\s+(?:(?:armed|masked|unknown|unidentified|suspected)\s+)*{_PERPS}\b")
_PERP_WORD = re.compile(_PERPS)
_GUNS = _Guarded(r"\bguns?\b|gunmen|gunfire|rifle|ak-?47|firearm|pistol|\brpg|shots|\bfired\b|automatic weapons", "gun", "rifle", "ak", "firearm", "pistol", "rpg", "shot", "fired", "weapon")
_KNIVES = re.compile(r"knife|knives|machete|parang|cutlass")
_OTHER_WEAPON = _Guarded(r"\bsticks?\b|iron bars?|\baxe|hammer|\brods?\b|crowbar", "stick", "bar", "axe", "hammer", "rod")
_UNARMED = re.compile(r"\bunarmed\b")
_CREW = r"(?:crew ?members?|crew|seafarers|sailors)"
_CREW_EVENTS = {
    "crew_kidnapped": (rf"\b{_NUM}\s+{_CREW}[^.]{{0,40}}?\b(?:were |was )?(?:kidnapped|abducted)",
                       rf"(?:kidnapped|abducted)\s+{_NUM}\s+{_CREW}"),
    "crew_hostage": (rf"\b{_NUM}\s+{_CREW}[^.]{{0,40}}?\b(?:taken|held) hostage", rf"took\s+{_NUM}\s+{_CREW}\s+hostage"),
    "crew_injured": (rf"\b{_NUM}\s+{_CREW}[^.]{{0,40}}?\b(?:were |was )?(?:injured|wounded)", rf"(?:injured|wounded)\s+{_NUM}\s+{_CREW}"),
    "crew_killed": (rf"\b{_NUM}\s+{_CREW}[^.]{{0,40}}?\b(?:were |was )?killed", rf"killed\s+{_NUM}\s+{_CREW}"),
}
_CREW_EVENTS = {k: [re.compile(p) for p in v] for k, v in _CREW_EVENTS.items()}
# cheap guards: the costly number patterns run only on texts that mention the event at all
_CREW_GUARDS = {"crew_kidnapped": ("kidnap", "abduct"), "crew_hostage": ("hostage",),
                "crew_injured": ("injur", "wound"), "crew_killed": ("killed",)}
_CREW_ONBOARD = re.compile(rf"crew of\s+{_NUM}\b|\b{_NUM}\s+{_CREW}\s+(?:were\s+)?on ?board")


def extract_attack_type(text: str) -> str:
    if _HIJACKED.search(text):
        return "hijacked"
    if _BOARDED.search(text) and not _NOT_BOARDED.search(text):
        return "boarded"
    if _FIRED.search(text):
        return "fired_upon"
    if _ATTEMPTED.search(text):
        return "attempted"
    if _APPROACH.search(text):
        return "suspicious_approach"
    return "unknown"


def extract_in_scope(hostility: str, text: str) -> bool:
    return not (_HOSTILITY_OUT.search(hostility) or _MILITARY.search(text) or _PROTEST.search(text) or _DETENTION.search(text))


def extract_vessel_status(text: str) -> str:
    if _BERTHED.search(text):
        return "berthed"
    if _ANCHORED.search(text):
        return "anchored"
    if _UNDERWAY.search(text):
        return "underway"
    if _ANCHORAGE.search(text):
        return "anchored"
    return "unknown"


def extract_vessel_type(victim: str, description: str) -> str:
    for text in (victim, description):
        found = {match.lastgroup for match in _VESSEL_ANY.finditer(text)}
        if found:
            return min(found, key=_VESSEL_ORDER.index)
    return "other" if _ANY_VESSEL.search(victim + " " + description) else "unknown"


def extract_perpetrators(text: str) -> int | None:
    match = _PERP_COUNT.search(text) if _PERP_WORD.search(text) else None
    return _n(match.group(1)) if match else None


def extract_weapons(text: str) -> tuple[str, ...]:
    found = []
    if _GUNS.search(text):
        found.append("guns")
    if _KNIVES.search(text):
        found.append("knives")
    if _OTHER_WEAPON.search(text):
        found.append("other")
    if not found:
        found.append("none" if _UNARMED.search(text) else "not_stated")
    return tuple(sorted(found))


def extract_crew(text: str) -> dict[str, int | None]:
    counts: dict[str, int | None] = {}
    for field_name, patterns in _CREW_EVENTS.items():
        counts[field_name] = None
        if not any(word in text for word in _CREW_GUARDS[field_name]):
            continue
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                counts[field_name] = _n(match.group(1))
                break
    match = _CREW_ONBOARD.search(text) if ("crew of" in text or "on board" in text or "onboard" in text) else None
    onboard = _n(match.group(1) or match.group(2)) if match else None
    if onboard is not None and any(v is not None and v > onboard for v in counts.values()):
        onboard = None
    counts["crew_onboard"] = onboard
    return counts


def country_from_description(description: str) -> str:
    head = description.split(":", 1)
    if len(head) != 2 or len(head[0]) > 60:
        return ""
    prefix = head[0].strip()
    code = iso3_from_name(prefix)
    if not code and "," in prefix:  # "LAGOS ANCHORAGE, NIGERIA"
        code = iso3_from_name(prefix.rsplit(",", 1)[1])
    if not code and "-" in prefix:  # "INDONESIA-SUMATRA"
        code = iso3_from_name(prefix.split("-", 1)[0])
    if not code and "(" in prefix:  # "Indonesia (Kalimantan-East Coast)"
        code = iso3_from_name(prefix.split("(", 1)[0]) if not prefix.startswith("(") else ""
    return code


def record_from_row(row: dict[str, str], occurred: date | None = None) -> Incident:
    """One ASAM row -> one record, dated ``occurred`` (without region, port and coordinate-based country)."""
    lat, lon = parse_dms(row["position"])
    reference = row["reference"].strip()
    description = (row.get("description") or "").strip()
    victim = (row.get("victim") or "").strip()
    hostility = (row.get("hostility") or "").strip()
    text = f"{hostility}. {victim}. {description}".lower()  # every pattern is written in lower case
    lowered = description.lower()
    perpetrators = extract_perpetrators(text)
    crew = extract_crew(lowered)
    derived = {"attack_type", "in_scope", "vessel_status", "vessel_type", "weapons", "country_iso3"}
    derived |= {f for f, n in (("perpetrators", perpetrators), *crew.items()) if n is not None}
    return Incident(
        id=f"{SOURCE}-{reference}",
        source=SOURCE,
        source_ref=reference,
        date=occurred,
        lat=lat,
        lon=lon,
        location_precision="approximate",
        country_iso3=country_from_description(description),
        attack_type=extract_attack_type(text),
        in_scope=extract_in_scope(hostility.lower(), lowered),
        vessel_status=extract_vessel_status(lowered),
        vessel_type=extract_vessel_type(victim.lower(), lowered),
        perpetrators=perpetrators,
        weapons=extract_weapons(lowered),
        narrative=description,
        public=True,
        derived=tuple(sorted(derived)),
        **crew,
    )


# ASAM's free-text columns: control characters in them are removed (with a note), not fatal
_TEXT_COLUMNS = ("hostility", "victim", "description")


def read_asam(path: str | Path, progress=None) -> SourceRows:
    """Parse an ASAM export. Row numbers are CSV line numbers of the record's first line
    (header = 1), as an editor sees them."""
    source = SourceFile(path, progress)
    missing = [c for c in ASAM_COLUMNS if c not in source.header]
    if missing:
        raise InputFileError(f"{path}, line 1: not an NGA ASAM export, missing column(s) {', '.join(missing)}; "
                             f"expected {','.join(ASAM_COLUMNS)}")
    out = SourceRows(lines=source.count)
    for line, row in source.well_formed_rows(out):
        for column in _TEXT_COLUMNS:
            row[column], note = clean_text(row[column])
            if note:
                out.cleaned.append((line.start, "narrative" if column == "description" else column, note))
        reference = row["reference"].strip()
        if not reference:
            out.rejected.append(source.rejection(line, "reference: empty, expected NGA's reference such as 2022-146", row))
            continue
        try:
            occurred = date.fromisoformat(row["date"].strip())
        except ValueError:
            out.rejected.append(source.rejection(line, f"date: {row['date']!r}, expected YYYY-MM-DD", row))
            continue
        try:
            record = record_from_row(row, occurred)
        except PositionError as exc:
            out.rejected.append(source.rejection(line, f"position: {exc}", row))
            continue
        out.rows.append((line.start, record))
    return out
