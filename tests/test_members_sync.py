"""members-sync against the SES contact list on moto's server: push, then read unsubscribes back."""

from __future__ import annotations

import boto3
from newsletter_site import moto_ses

from csoa.model.regions import Region
from csoa.sending import db
from csoa.sending.members import add_member, iter_members
from csoa.sending.sync import NEWSLETTER_TOPIC, region_topic, sync_members

ASIA, WEST_AFRICA = Region("asia", "Asia", "asia", True), Region("west_africa", "West Africa", "west-africa", True)
REGIONS = (ASIA, WEST_AFRICA)


def test_push_then_read_back_unsubscribes_and_regions(tmp_path, monkeypatch):
    conn = db.connect(tmp_path / "n.sqlite3")
    add_member(conn, "a@example.org", regions=("asia",))
    add_member(conn, "b@example.org")
    add_member(conn, "c@example.org", status="unsubscribed")
    with moto_ses(monkeypatch, regions=tuple(r.key for r in REGIONS)):
        ses = boto3.client("sesv2")
        first = sync_members(conn, ses, "members", REGIONS)
        contact = ses.get_contact(ContactListName="members", EmailAddress="a@example.org")
        prefs = {p["TopicName"]: p["SubscriptionStatus"] for p in contact["TopicPreferences"]}
        assert prefs == {NEWSLETTER_TOPIC: "OPT_IN", region_topic(ASIA): "OPT_IN", region_topic(WEST_AFRICA): "OPT_OUT"}
        assert ses.get_contact(ContactListName="members", EmailAddress="c@example.org")["UnsubscribeAll"] is True
        # members act on SES's hosted pages: a unsubscribes, b picks West Africa
        ses.update_contact(ContactListName="members", EmailAddress="a@example.org", UnsubscribeAll=True)
        ses.update_contact(ContactListName="members", EmailAddress="b@example.org", TopicPreferences=[
            {"TopicName": NEWSLETTER_TOPIC, "SubscriptionStatus": "OPT_IN"},
            {"TopicName": region_topic(ASIA), "SubscriptionStatus": "OPT_OUT"},
            {"TopicName": region_topic(WEST_AFRICA), "SubscriptionStatus": "OPT_IN"}])
        second = sync_members(conn, ses, "members", REGIONS)
        assert ses.get_contact(ContactListName="members", EmailAddress="a@example.org")["UnsubscribeAll"] is True
    assert (first.created, first.updated) == (3, 0)
    assert (second.unsubscribed, second.regions_changed, second.created) == (1, 1, 0)
    members = {m.email: m for m in iter_members(conn)}
    assert members["a@example.org"].status == "unsubscribed"
    assert members["b@example.org"].regions == ("west_africa",)


def test_a_region_added_to_the_settings_becomes_a_topic_of_the_existing_contact_list(tmp_path, monkeypatch):
    """The topics come from the settings' REGION_TABLE (its Region records): a filing region added
    there reaches the contact list and every member's preferences, with its label and slug."""
    from sites import ROOT, settings_for

    from csoa.model.regions import site_regions

    table = settings_for(ROOT)["REGION_TABLE"]
    north_sea = {"label": "North Sea", "slug": "nordsee", "filing": True}
    regions = site_regions(settings_for(ROOT, REGION_TABLE={**table, "north_sea": north_sea})).filing_regions
    conn = db.connect(tmp_path / "n.sqlite3")
    add_member(conn, "a@example.org", regions=("north_sea",))
    with moto_ses(monkeypatch, regions=("asia",)):  # the list as provisioned before the region was added
        ses = boto3.client("sesv2")
        sync_members(conn, ses, "members", regions)
        topics = {t["TopicName"]: t["DisplayName"] for t in ses.get_contact_list(ContactListName="members")["Topics"]}
        contact = ses.get_contact(ContactListName="members", EmailAddress="a@example.org")
    assert topics == {NEWSLETTER_TOPIC: "Member newsletter",
                      **{f"region-{r['slug']}": f"Regional intelligence: {r['label']}" for r in table.values() if r["filing"]},
                      "region-nordsee": "Regional intelligence: North Sea"}
    prefs = {p["TopicName"]: p["SubscriptionStatus"] for p in contact["TopicPreferences"]}
    assert prefs["region-nordsee"] == "OPT_IN" and prefs["region-asia"] == "OPT_OUT"
