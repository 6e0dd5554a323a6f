"""Checks across files of what each file claims: its URL, its output path, and values that must be
unique across a kind (an event's Uid). Each returns ``(item, line, field, message)`` problems; the
validator makes them findings. Plain Python: items are validate.Item, rules validate.SiteRules.
"""

from __future__ import annotations

from csoa.validation.outputs import reserved_outputs


def _pattern(item, values: dict, rules, what: str) -> str | None:
    """The item's URL or SAVE_AS pattern from the settings, as Pelican chooses it."""
    settings = rules.settings
    lang = values.get("lang", settings.get("DEFAULT_LANG", "en"))
    translated = lang != settings.get("DEFAULT_LANG", "en")
    page = not rules.kinds[item.rel.split("/", 1)[0]].is_article
    if item.status == "draft":
        key = "DRAFT_PAGE" if page else "DRAFT"
    else:
        key = "PAGE" if page else "ARTICLE"
    return settings.get(f"{key}_LANG_{what}" if translated else f"{key}_{what}")


def _format(pattern: str, item, values: dict, rules) -> str:
    date = item.date.at if item.date else rules.build_now
    lang = values.get("lang", rules.settings.get("DEFAULT_LANG", "en"))
    return pattern.format(slug=item.slug, category=item.kind, lang=lang, date=date)


def url_of(item, values: dict, rules) -> str:
    """The URL Pelican will give the item (newsletters get a namespace of their own)."""
    if "url" in values:
        return values["url"]
    if item.kind == "newsletters":
        return f"(newsletter) {item.slug}"
    try:
        return _format(_pattern(item, values, rules, "URL") or "{slug}/", item, values, rules)
    except (KeyError, IndexError, ValueError):
        return f"{item.kind}/{item.slug}/"


def save_as_of(item, values: dict, rules) -> list[str]:
    """The output files the item is written to (none for a newsletter: its plugin owns newsletters/)."""
    if "save_as" in values:
        return [values["save_as"]]
    if item.kind == "newsletters":
        return []
    try:
        save_as = _format(_pattern(item, values, rules, "SAVE_AS") or "", item, values, rules)
    except (KeyError, IndexError, ValueError):
        return []
    if item.kind == "events" and item.status != "draft":  # the events plugin writes an .ics beside each event
        return [save_as, f"events/{item.slug}/{item.slug}.ics"]
    return [save_as] if save_as else []


def check_urls(items) -> list[tuple]:
    problems, first_by_url = [], {}
    for item in sorted(items, key=lambda i: i.path):
        if not item.slug:
            continue  # no title to make a slug from: already reported as a missing title
        first = first_by_url.setdefault(item.url, item)
        if first is not item:
            problems.append((item, item.slug_line, "slug",
                             f"expected a unique slug/URL, got '/{item.url}', already used by {first.path}:{first.slug_line} "
                             "(set another slug)"))
    return problems


def _blame(item) -> tuple[int, str, str]:
    """The line and field that decide where the item is written, and how to change it."""
    if item.save_as_line:
        return item.save_as_line, "save_as", "set another Save_as"
    return item.slug_line, "slug", "set another slug"


def check_outputs(items, rules) -> list[tuple]:
    """No item is written where the build generates a file or where another item is written."""
    reserved = reserved_outputs(rules.settings, [k for k, spec in rules.kinds.items() if spec.is_article],
                                rules.content_root)
    problems, first_by_path = [], {}
    # items written where their settings put them claim first: the one with a Save_as is the odd one out
    for item in sorted(items, key=lambda i: (i.save_as_line is not None, i.path)):
        if not item.slug:
            continue
        line, name, fix = _blame(item)
        for path in item.save_as:
            owner = reserved.owner(path)
            first = first_by_path.setdefault(path, item)
            if owner is not None:
                got = f"'{path}'" if name == "save_as" else f"'/{item.url}', saved as '{path}'"
                problems.append((item, line, name, f"expected a path of its own, got {got}, where the build writes "
                                                   f"{owner} ({fix})"))
                break
            if first is not item and first.url != item.url:  # the same URL is reported by check_urls
                problems.append((item, line, name, f"expected a path of its own, got '{path}', where "
                                                   f"{first.path}:{_blame(first)[0]} is written ({fix})"))
                break
    return problems


def check_unique_values(items, kinds) -> list[tuple]:
    """Fields a kind declares unique (``Kind.unique``) hold a different value in every file."""
    problems, first = [], {}
    for item in sorted(items, key=lambda i: i.path):
        for name, line, value in item.uniques:
            seen = first.setdefault((item.kind, name, value), (item, line))
            if seen[0] is not item:
                problems.append((item, line, name, f"expected a {name} of its own, got {value!r}, already used by "
                                                   f"{seen[0].path}:{seen[1]}"))
    return problems
