"""fast_dates gives exactly what Pelican's get_date (dateutil) gives, type and zone included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.utils import get_date

from csoa.engine.fastbuild import fast_dates

calls: list[str] = []


def counting_slow(string):
    calls.append(string)
    return get_date(string)


def offset(moment):
    try:
        return moment.utcoffset()
    except ValueError as error:  # dateutil builds zones of 24 h and more, which datetime refuses
        return str(error)


def same(a, b) -> bool:
    return (type(a) is type(b) and repr(a) == repr(b) and a.replace(tzinfo=None) == b.replace(tzinfo=None)
            and type(a.tzinfo) is type(b.tzinfo) and offset(a) == offset(b))


def expected(string):
    try:
        return get_date(string)
    except Exception as error:  # noqa: BLE001 - dateutil also overflows on some strings
        return error


def fast(string):
    try:
        return fast_dates.parse(string, counting_slow)
    except Exception as error:  # noqa: BLE001
        return error


def two(low, high):  # mostly in range, sometimes just past it
    return st.integers(low, high).map("{:02d}".format)


dates = st.builds("{}-{}-{}".format, st.integers(1, 9999).map("{:04d}".format), two(0, 13), two(0, 32))
times = st.builds("{}:{}{}".format, two(0, 24), two(0, 60), st.one_of(st.just(""), two(0, 60).map(":{}".format)))
offsets = st.builds("{}{}{}{}{}".format, st.sampled_from(["", " "]), st.sampled_from("+-"), two(0, 25),
                    st.sampled_from(["", ":"]), two(0, 60))
strings = st.one_of(
    dates,
    st.builds("{}{}{}".format, dates, st.sampled_from([" ", "T"]), times),
    st.builds("{}{}{}{}".format, dates, st.sampled_from([" ", "T"]), times, st.one_of(offsets, st.sampled_from(["Z", " UTC", " +00:00"]))),
    st.text(alphabet="0123456789-:+ TZ", max_size=25),
)


@settings(max_examples=600, deadline=None)
@given(strings)
def test_any_date_string_gives_what_pelican_gives(string):
    want, got = expected(string), fast(string)
    if isinstance(want, Exception):
        assert type(got) is type(want) and str(got) == str(want)
    else:
        assert same(got, want), (string, got, want)


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "America/New_York", None])
def test_the_site_s_usual_dates_skip_dateutil_in_any_local_zone(zone, monkeypatch):
    """A zero offset is where dateutil looks at the machine's zone: compare under several."""
    import time

    if zone:
        monkeypatch.setenv("TZ", zone)
    else:
        monkeypatch.delenv("TZ", raising=False)
    time.tzset()
    try:
        calls.clear()
        usual = ("2016-07-08 09:00 +01:00", "2016-01-08 09:00 +00:00", "2016-07-08 09:00 +00:00", "2016-07-08",
                 "2016-07-08 09:00", "2016-07-08T09:00:05-05:30", "2016-10-30 01:30 -00:00")
        for string in usual:
            assert same(fast(string), get_date(string)), (zone, string)
        assert calls == []
        for string in ("2016-07-08 09:00Z", "8 July 2016"):
            assert same(fast(string), get_date(string))
        assert str(fast("2016-02-30 09:00 +01:00")) == str(expected("2016-02-30 09:00 +01:00"))
        assert len(calls) == 3  # all three went to Pelican's get_date
    finally:
        monkeypatch.undo()
        time.tzset()
