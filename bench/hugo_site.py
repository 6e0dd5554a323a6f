"""Convert a benchmark corpus to an equivalent minimal Hugo site (same items, URLs and listings)."""

from __future__ import annotations

import re
from pathlib import Path

CONFIG = """\
baseURL = "https://www.csoalliance.com/"
title = "CSO Alliance"
disableKinds = ["RSS"]
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
category = "categories"
[markup.goldmark.renderer]
unsafe = true
"""

BASEOF = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"></head><body><nav><a href="/">Home</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>
{{ .Content }}<p>{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ end }}"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}<ol>{{ range $p.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time><p>{{ .Summary }}</p></li>{{ end }}</ol>
{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older</a>{{ end }}{{ end }}"""
INDEX = """{{ define "main" }}<h1>Latest</h1>{{ $p := .Paginate (where .Site.RegularPages "Type" "news") }}<ol>{{ range $p.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}</ol>{{ end }}"""

META = re.compile(r"^(?P<key>[A-Za-z_]+):\s*(?P<value>.*)$")
LINK = re.compile(r"\{filename\}/(?P<kind>[a-z]+)/(?P<stem>[^)]+)\.md")


def convert(pelican_content: Path, hugo_root: Path) -> Path:
    for rel, text in (("layouts/_default/baseof.html", BASEOF), ("layouts/_default/single.html", SINGLE),
                      ("layouts/_default/list.html", LIST), ("layouts/index.html", INDEX), ("hugo.toml", CONFIG)):
        path = hugo_root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for src in pelican_content.rglob("*.md"):
        kind = src.parent.name
        head, _, body = src.read_text(encoding="utf-8").partition("\n\n")
        meta = {m["key"].lower(): m["value"] for m in map(META.match, head.splitlines()) if m}
        tags = [t.strip() for t in meta.get("tags", "").split(",") if t.strip()]
        front = [
            "+++",
            f"title = {meta.get('title', src.stem)!r}".replace("'", '"'),
            f"slug = \"{meta.get('slug', src.stem)}\"",
            f"tags = [{', '.join(repr(t).replace(chr(39), chr(34)) for t in tags)}]",
            f"categories = [\"{kind}\"]",
        ]
        if "date" in meta:
            d = meta["date"]
            front.append(f"date = \"{d[:10]}T{d[11:16]}:00{d[17:20]}:{d[20:22]}\"")
        front.append("+++")
        body = LINK.sub(lambda m: f"/{m['kind']}/{m['stem']}/", body)
        dest = hugo_root / "content" / (kind if kind != "pages" else "") / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("\n".join(front) + "\n\n" + body, encoding="utf-8")
    return hugo_root
