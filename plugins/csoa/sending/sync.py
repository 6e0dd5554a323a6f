"""members-sync: read unsubscribes and topic choices back from the SES contact list, then push members.

Topics: one for the newsletter, one per region (members choose regions on SES's preference page too),
named region-<slug> and shown with the region's label: the Region records of the settings' REGION_TABLE
(csoa.model.regions), the one source of both.
Reading back first means an unsubscribe made at SES is never overwritten by a push.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from csoa.model.regions import Region
from csoa.sending.members import iter_members, update_choices

NEWSLETTER_TOPIC = "newsletter"


def region_topic(region: Region) -> str:
    """SES topic of a region: region-<slug>."""
    return f"region-{region.slug}"


@dataclass
class SyncReport:
    unsubscribed: int = 0
    regions_changed: int = 0
    created: int = 0
    updated: int = 0

    def summary(self) -> str:
        return (f"read back: {self.unsubscribed} unsubscribed, {self.regions_changed} changed regions; "
                f"pushed: {self.created} created, {self.updated} updated")


def ensure_contact_list(sesv2, name: str, regions: Sequence[Region]) -> None:
    """The contact list with one topic per region (the site's filing regions); a list made before a
    region was added gets it."""
    topics = [{"TopicName": NEWSLETTER_TOPIC, "DisplayName": "Member newsletter",
               "Description": "The CSO Alliance newsletter", "DefaultSubscriptionStatus": "OPT_IN"}]
    topics += [{"TopicName": region_topic(r), "DisplayName": f"Regional intelligence: {r.label}",
                "Description": f"Regional intelligence for {r.label}", "DefaultSubscriptionStatus": "OPT_OUT"}
               for r in regions]
    try:
        existing = sesv2.get_contact_list(ContactListName=name)
    except sesv2.exceptions.NotFoundException:
        sesv2.create_contact_list(ContactListName=name, Topics=topics)
        return
    if _topic_names(existing.get("Topics", [])) != _topic_names(topics):
        sesv2.update_contact_list(ContactListName=name, Topics=topics)


def _topic_names(topics) -> list[tuple[str, str]]:
    return sorted((t["TopicName"], t["DisplayName"]) for t in topics)


def _all_contacts(sesv2, name: str):
    kwargs = {"ContactListName": name, "PageSize": 1000}
    while True:
        page = sesv2.list_contacts(**kwargs)
        yield from page.get("Contacts", [])
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


def _prefs(regions_chosen, regions: Sequence[Region], subscribed: bool) -> list[dict]:
    prefs = [{"TopicName": NEWSLETTER_TOPIC, "SubscriptionStatus": "OPT_IN" if subscribed else "OPT_OUT"}]
    prefs += [{"TopicName": region_topic(r), "SubscriptionStatus": "OPT_IN" if r.key in regions_chosen else "OPT_OUT"}
              for r in regions]
    return prefs


def _read_back(conn, remote: dict, topic_to_region: dict, report: SyncReport) -> None:
    """Store the unsubscribes and region choices members made at SES (its hosted preference page)."""
    changed = []
    for member in iter_members(conn):
        contact = remote.get(member.key)
        if contact is None:
            continue
        prefs = {p["TopicName"]: p["SubscriptionStatus"] for p in contact.get("TopicPreferences", [])}
        chosen = member
        if member.subscribed and (contact.get("UnsubscribeAll") or prefs.get(NEWSLETTER_TOPIC) == "OPT_OUT"):
            chosen = replace(chosen, status="unsubscribed")
            report.unsubscribed += 1
        regions = tuple(r for t, r in topic_to_region.items() if prefs.get(t) == "OPT_IN")
        if set(regions) != set(member.regions) and any(t in prefs for t in topic_to_region):
            chosen = replace(chosen, regions=regions)
            report.regions_changed += 1
        if chosen is not member:
            changed.append(chosen)
    update_choices(conn, changed)


def sync_members(conn, sesv2, contact_list: str, regions: Sequence[Region]) -> SyncReport:
    """Read members' choices back from the contact list, then push every member to it; ``regions``:
    the site's filing regions (SiteRegions.filing_regions)."""
    report = SyncReport()
    ensure_contact_list(sesv2, contact_list, regions)
    remote = {c["EmailAddress"].lower(): c for c in _all_contacts(sesv2, contact_list)}
    _read_back(conn, remote, {region_topic(r): r.key for r in regions}, report)
    for member in iter_members(conn):
        prefs = _prefs(member.regions, regions, member.subscribed)
        contact = remote.get(member.key)
        if contact is None:
            sesv2.create_contact(ContactListName=contact_list, EmailAddress=member.email, TopicPreferences=prefs,
                                 UnsubscribeAll=not member.subscribed)
            report.created += 1
        elif sorted(contact.get("TopicPreferences", []), key=lambda p: p["TopicName"]) != sorted(prefs, key=lambda p: p["TopicName"]):
            sesv2.update_contact(ContactListName=contact_list, EmailAddress=member.email, TopicPreferences=prefs,
                                 UnsubscribeAll=not member.subscribed or bool(contact.get("UnsubscribeAll")))
            report.updated += 1
    return report
