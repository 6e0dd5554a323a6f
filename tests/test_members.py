"""Member CSV import: every bad row reported by number, field and problem; nothing lost."""

from __future__ import annotations

from csoa.sending import db
from csoa.sending.addresses import address_problem
from csoa.sending.members import import_csv, iter_members

REGIONS = {"asia": "Asia", "west_africa": "West Africa"}


def _write(tmp_path, text, name="members.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_csv_reports_each_row_and_imports_nothing(tmp_path):
    conn = db.connect(tmp_path / "m.sqlite3")
    path = _write(tmp_path, "email,name,organisation,regions,status\n"
                  "ok@example.org,Ann,Acme,asia,subscribed\n"
                  "no-at-sign.example.org,Bob,,,\n"
                  "jürgen@example.de,Jürgen,,,\n"
                  "OK@example.org,Ann again,,,\n"
                  "carl@example.org,Carl,,atlantis,\n"
                  "dora@example.org,Dora,,,maybe\n"
                  "eve@example,Eve,,,\n")
    report = import_csv(conn, path, REGIONS)
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "email"), (4, "email"), (5, "email"), (6, "regions"), (7, "status"), (8, "email")]
    text = report.summary()
    assert "row 4, email: non-ASCII local part" in text and "row 5, email: duplicate of row 2" in text
    assert "row 6, regions: unknown atlantis" in text and str(path) in text
    assert not report.imported and list(iter_members(conn)) == []


def test_skip_invalid_imports_exactly_the_good_rows(tmp_path):
    conn = db.connect(tmp_path / "m.sqlite3")
    rows = ["email,name,regions"]
    for i in range(1000):
        rows.append(f"{'bad' if i % 100 == 7 else ''}person{i}@{'example' if i % 100 == 7 else 'example.org'},P {i},asia")
    report = import_csv(conn, _write(tmp_path, "\n".join(rows) + "\n"), REGIONS, skip_invalid=True)
    assert (report.rows, len(report.errors), report.added, report.updated) == (1000, 10, 990, 0)
    assert [e.row for e in report.errors] == [i + 2 for i in range(7, 1000, 100)]
    members = list(iter_members(conn))
    assert len(members) == 990 and all(m.regions == ("asia",) for m in members)
    assert len({m.token for m in members}) == 990
    again = import_csv(conn, _write(tmp_path, "\n".join(rows) + "\n"), REGIONS, skip_invalid=True)
    assert (again.added, again.updated) == (0, 990)


def test_header_problems_are_named(tmp_path):
    conn = db.connect(tmp_path / "m.sqlite3")
    report = import_csv(conn, _write(tmp_path, "mail,name\nx@example.org,X\n"), REGIONS, skip_invalid=True)
    assert not report.imported and "missing column(s) email" in str(report.errors[0])


def test_address_rules():
    assert address_problem("a.b+news@example.org") is None
    assert address_problem("user@bücher.example") is None  # IDNA domain: fine for SES
    assert "non-ASCII" in address_problem("müller@example.org")
    for bad in ("a@@example.org", "a@example", ".a@example.org", "a..b@example.org", " a@example.org", "a@-x.org"):
        assert address_problem(bad), bad


from hypothesis import given, settings
from hypothesis import strategies as st

_local = st.text(alphabet=st.sampled_from(list("abcxyz.+-_ü@ ")), min_size=0, max_size=12)
_domain = st.sampled_from(["example.org", "example", "bücher.example", "-bad.org", "ok.co.uk", ""])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_local, _domain, st.sampled_from(["", "asia", "mars"]),
                          st.sampled_from(["", "subscribed", "unsubscribed", "gone"])), max_size=25))
def test_every_row_is_either_imported_or_reported(tmp_path_factory, rows):
    import csv
    import io

    path = tmp_path_factory.mktemp("csv") / "m.csv"
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["email", "regions", "status"])
    for local, domain, region, status in rows:
        writer.writerow([f"{local}@{domain}", region, status])
    path.write_text(buf.getvalue(), encoding="utf-8")
    conn = db.connect(path.with_suffix(".sqlite3"))
    report = import_csv(conn, path, REGIONS, skip_invalid=True)
    bad_rows = {e.row for e in report.errors}
    assert report.rows == len(rows)
    assert report.added + report.updated + len(bad_rows) == len(rows)
    assert all(2 <= r <= len(rows) + 1 for r in bad_rows)
    stored = list(iter_members(conn))
    assert len(stored) == report.added
    assert all(address_problem(m.email) is None for m in stored)


def test_invoke_members_import_reports_rows_without_printing_addresses(tmp_path):
    import os
    import subprocess

    from sites import ROOT

    path = _write(tmp_path, "email,name\nfine@example.org,F\nbroken@@example.org,B\nfine@example.org,Again\n")
    env = {**os.environ, "NEWSLETTER_DB": str(tmp_path / "m.sqlite3")}
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "members-import", str(path)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "row 3, email: expected exactly one @" in done.stdout and "row 4, email: duplicate of row 2" in done.stdout
    assert "fine@example.org" not in done.stdout + done.stderr
    assert list(iter_members(db.connect(tmp_path / "m.sqlite3"))) == []
