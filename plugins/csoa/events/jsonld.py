"""schema.org ``Event`` JSON-LD for an event page."""

from __future__ import annotations

import json
import re

from csoa.events.display import iso
from csoa.model.events import EventData
from csoa.model.vocabularies import ATTENDANCE_MODE_TABLE, EVENT_STATUS_TABLE
_CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
_PRICE = re.compile(r"^(?P<cur>[A-Z]{3}|[£€$])\s?(?P<amount>\d+(?:\.\d{1,2})?)$")


def price_of(cost: str | None) -> tuple[str, str] | None:
    """("0", None)-like (price, currency) from a Cost such as "Free", "GBP 250" or "£250"; None if free text."""
    if not cost:
        return None
    if cost.strip().lower() in ("free", "0", "free of charge"):
        return ("0", None)
    m = _PRICE.match(cost.strip())
    if not m:
        return None
    currency = _CURRENCY_SYMBOLS.get(m["cur"], m["cur"])
    return (m["amount"], currency)


def event_jsonld(
    event: EventData, *, url: str, description: str, organiser_url: str | None = None, image: str | None = None
) -> dict:
    """The JSON-LD object for one event; ``url`` is the absolute public URL of its page."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "description": description,
        "startDate": iso(event.start),
        "eventStatus": EVENT_STATUS_TABLE[event.status].schema_org,
        "eventAttendanceMode": ATTENDANCE_MODE_TABLE[event.attendance_mode].schema_org,
    }
    if event.end is not None:
        data["endDate"] = iso(event.end)
    location = _location(event, url)
    if location:
        data["location"] = location
    if event.organiser:
        organiser = {"@type": "Organization", "name": event.organiser}
        if organiser_url:
            organiser["url"] = organiser_url
        data["organizer"] = organiser
    if image:
        data["image"] = [image]
    offer = _offer(event, url)
    if offer:
        data["offers"] = offer
    return data


def _location(event: EventData, url: str):
    places = []
    if event.has_place:
        address = {"@type": "PostalAddress"}
        if event.city:
            address["addressLocality"] = event.city
        if event.country_code:
            address["addressCountry"] = event.country_code
        place = {"@type": "Place", "name": event.venue or event.city or event.country_name, "address": address}
        if event.lat is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": event.lat, "longitude": event.lon}
        places.append(place)
    if event.attendance_mode in ("online", "mixed"):
        places.append({"@type": "VirtualLocation", "url": event.registration_url or url})
    if not places:
        return None
    return places[0] if len(places) == 1 else places


def _offer(event: EventData, url: str) -> dict | None:
    price = price_of(event.cost)
    if not event.registration_url and price is None:
        return None
    offer = {"@type": "Offer", "url": event.registration_url or url}
    if price is not None:
        offer["price"] = price[0]
        if price[1]:
            offer["priceCurrency"] = price[1]
    return offer


def to_script_json(data: dict) -> str:
    """JSON safe to put inside <script type="application/ld+json">: "<", ">" and "&" as JSON escapes, so
    that no "</script>" closes the element and no "<!--" makes it swallow the rest of the page."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
