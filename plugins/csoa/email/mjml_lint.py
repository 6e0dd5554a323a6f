"""Lint MJML against what mjml-python (MRML) really does, by asking it.

MRML silently drops unknown tags and ignores unknown attributes, so a typo never fails a render.
An unknown element is copied into the HTML as is: that is reported. Then every element and every attribute of a document is removed in turn and the document rendered
again: if the HTML does not change, MRML did not use it (unsupported, misplaced or redundant).
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from mjml import mjml2html


def lint(mjml: str) -> list[str]:
    soup = BeautifulSoup(mjml, "html.parser")
    baseline = mjml2html(str(soup), disable_comments=True)
    problems = [f"<{el.name}>: passed through unrendered (unknown to mjml-python)"
                for el in BeautifulSoup(baseline, "html.parser").find_all(True) if el.name.startswith("mj")]
    elements = [el for el in soup.find_all(True) if el.name.startswith("mj")]
    for index, el in enumerate(elements):
        where = f"<{el.name}> #{index}"
        if el.name != "mjml":
            probe = BeautifulSoup(str(soup), "html.parser")
            target = [e for e in probe.find_all(True) if e.name.startswith("mj")][index]
            target.decompose()
            if mjml2html(str(probe), disable_comments=True) == baseline:
                problems.append(f"{where}: element has no effect (not supported by mjml-python here)")
                continue
        for attr in list(el.attrs):
            probe = BeautifulSoup(str(soup), "html.parser")
            target = [e for e in probe.find_all(True) if e.name.startswith("mj")][index]
            del target[attr]
            if mjml2html(str(probe), disable_comments=True) == baseline:
                problems.append(f"{where}: attribute {attr}={el[attr]!r} has no effect (unsupported or redundant)")
    return problems
