"""A batch's story as a GS1 EPCIS 2.0 JSON-LD EPCISDocument (DESIGN §2): what (the lot and its
quantity), when (time and zone offset), where (read point, business location), why (business
step, disposition).

Trace events map to EPCIS events and CBV 2.0 business steps (short names) as follows:

=============  ===================  ======  ================  ===========
trace event    EPCIS event          action  bizStep           disposition
=============  ===================  ======  ================  ===========
planting       ObjectEvent          OBSERVE other [1]_        –
harvest        ObjectEvent          ADD     commissioning     active
processing     TransformationEvent  –       commissioning     active
               (first one; later    OBSERVE other             active
               ones: ObjectEvent)
packing        ObjectEvent          OBSERVE packing           active
inspection     ObjectEvent          OBSERVE inspecting        –
shipping       ObjectEvent          OBSERVE shipping          in_transit
other          ObjectEvent          OBSERVE other             –
(recall)       ObjectEvent          OBSERVE – [2]_            recalled
=============  ===================  ======  ================  ===========

.. [1] CBV has no planting step; "other", with the site's own event type in `cm:eventType`.
.. [2] CBV has no recall step either; the event is dated on the recall date (midnight, local
   time) and carries the reason in `cm:reason`.

What is identified, and how:

- The lot as sold: the GS1 Digital Link URI on the site's configured address,
  `<base>/01/<GTIN-14>/10/<lot>`, when a pack size of the product has a GTIN (the one the label
  carries, traceability.links); else a URN of the site, `urn:<host>:lot:<short-code>`.
- The harvested produce, when the batch went through processing (fresh cardamom before it is
  dried): `urn:<host>:harvest:<short-code>`. Harvest commissions it and the (first) processing
  step transforms it into the lot as sold. Without processing, harvest commissions the lot itself.
- Places: the growing area's page in the public registry (`<base>/growing-areas/<code>/`) for
  planting and harvest, else the cooperative's page; the free-text place, the person or
  organisation responsible and the notes travel in `cm:` extension fields.

Quantities: the batch's weight in kilograms (UN/ECE unit KGM) on the lot as sold when it comes
into being (harvest without processing, or the processing step), and the number of packages
(a count: no unit) at packing."""

import datetime
import uuid
import zoneinfo
from urllib.parse import urlsplit

from django.utils import timezone

from growers.links import growing_area_url
from website.i18n import default_language

from .links import label_url, site_base_url
from .models import BatchPage, TraceEventType

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
CONTENT_TYPE = "application/ld+json"
# The site's own vocabulary for extension fields (JSON-LD needs a namespace for them).
EXTENSION_PREFIX = "cm"

OTHER = "other"
# trace event type -> (EPCIS event type, action, CBV bizStep, CBV disposition)
EVENT_MAPPING = {
    TraceEventType.PLANTING: ("ObjectEvent", "OBSERVE", OTHER, None),
    TraceEventType.HARVEST: ("ObjectEvent", "ADD", "commissioning", "active"),
    TraceEventType.PROCESSING: ("TransformationEvent", None, "commissioning", "active"),
    TraceEventType.PACKING: ("ObjectEvent", "OBSERVE", "packing", "active"),
    TraceEventType.INSPECTION: ("ObjectEvent", "OBSERVE", "inspecting", None),
    TraceEventType.SHIPPING: ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
    TraceEventType.OTHER: ("ObjectEvent", "OBSERVE", OTHER, None),
}
# After the first processing step the lot already exists: later ones are observations of it.
LATER_PROCESSING = ("ObjectEvent", "OBSERVE", OTHER, "active")


def biz_step(event_type: str) -> str:
    """The CBV 2.0 business step (short name) of a trace event type."""
    return EVENT_MAPPING[event_type][2]


def site_host() -> str:
    return urlsplit(site_base_url()).hostname or "localhost"


def iso_with_offset(moment: datetime.datetime, zone: str) -> tuple[str, str]:
    """('2026-01-10T08:30:00+07:00', '+07:00'): the time as it was on the spot."""
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(zone))
    text = local.isoformat(timespec="seconds")
    return text, text[-6:]


class _Document:
    def __init__(self, batch: BatchPage, *, events, areas, cooperative, variant):
        self.batch = batch
        self.events = sorted(events, key=lambda e: (e.occurred_at, e.sort_order or 0, e.pk))
        self.areas = areas
        self.cooperative = cooperative
        self.base = site_base_url()
        host = site_host()
        self.lot_class = label_url(batch, variant) if variant else f"urn:{host}:lot:{batch.short_code}"
        has_processing = any(e.event_type == TraceEventType.PROCESSING for e in self.events)
        self.harvest_class = f"urn:{host}:harvest:{batch.short_code}" if has_processing else self.lot_class
        # Once, whatever the events: finding a page's URL may take a query.
        self.cooperative_url = self._cooperative_url()

    def area_location(self) -> str | None:
        if not self.areas:
            return None
        # An identifier: the same whatever the reader's language.
        return growing_area_url(self.areas[0].code, language=default_language(), base=self.base)

    def cooperative_location(self) -> str | None:
        return self.cooperative_url

    def _cooperative_url(self) -> str | None:
        url = self.cooperative.get_url() if self.cooperative is not None else None
        if not url:
            return None
        return self.base + url if url.startswith("/") else url

    def weight(self, epc_class: str) -> dict:
        return {"epcClass": epc_class, "quantity": float(self.batch.quantity_kg), "uom": "KGM"}

    def event_id(self, key: str) -> str:
        # Stable across exports, so that a repository receiving the document twice sees one event.
        return (
            f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.base}/epcis/{self.batch.short_code}/{key}')}"
        )

    def build(self) -> dict:
        event_list = []
        transformed = False
        for event in self.events:
            mapping = EVENT_MAPPING.get(event.event_type, EVENT_MAPPING[TraceEventType.OTHER])
            if event.event_type == TraceEventType.PROCESSING:
                mapping = LATER_PROCESSING if transformed else mapping
                transformed = True
            event_list.append(self.event(event, *mapping))
        if self.batch.recalled_on is not None:
            event_list.append(self.recall_event())
        return {
            "@context": [EPCIS_CONTEXT, {EXTENSION_PREFIX: f"{self.base}/epcis/vocabulary#"}],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": timezone.now().isoformat(timespec="seconds"),
            "epcisBody": {"eventList": event_list},
        }

    def event(self, event, epcis_type: str, action: str | None, step: str, disposition: str | None) -> dict:
        event_time, offset = iso_with_offset(event.occurred_at, event.time_zone)
        data = {
            "type": epcis_type,
            "eventID": self.event_id(f"event/{event.pk}"),
            "eventTime": event_time,
            "eventTimeZoneOffset": offset,
        }
        before_lot = event.event_type in (TraceEventType.PLANTING, TraceEventType.HARVEST)
        subject = self.harvest_class if before_lot else self.lot_class
        if epcis_type == "TransformationEvent":
            data["inputQuantityList"] = [{"epcClass": self.harvest_class}]
            data["outputQuantityList"] = [self.weight(self.lot_class)]
        else:
            data["epcList"] = []
            data["action"] = action
            if event.event_type == TraceEventType.PACKING and self.batch.package_count:
                data["quantityList"] = [{"epcClass": subject, "quantity": self.batch.package_count}]
            elif event.event_type == TraceEventType.HARVEST and subject == self.lot_class:
                data["quantityList"] = [self.weight(subject)]
            else:
                # The fresh harvest's weight is not recorded: the class alone says what was there.
                data["quantityList"] = [{"epcClass": subject}]
        data["bizStep"] = step
        if disposition:
            data["disposition"] = disposition
        location = self.area_location() if before_lot else self.cooperative_location()
        if location:
            data["readPoint"] = {"id": location}
            data["bizLocation"] = {"id": location}
        data[f"{EXTENSION_PREFIX}:eventType"] = event.event_type
        data[f"{EXTENSION_PREFIX}:place"] = event.place
        if event.responsible:
            data[f"{EXTENSION_PREFIX}:responsible"] = event.responsible
        if event.notes:
            data[f"{EXTENSION_PREFIX}:notes"] = event.notes
        return data

    def recall_event(self) -> dict:
        zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
        moment = datetime.datetime.combine(self.batch.recalled_on, datetime.time(0, 0), tzinfo=zone)
        event_time, offset = iso_with_offset(moment, "Asia/Ho_Chi_Minh")
        data = {
            "type": "ObjectEvent",
            "eventID": self.event_id(f"recall/{self.batch.recalled_on.isoformat()}"),
            "eventTime": event_time,
            "eventTimeZoneOffset": offset,
            "epcList": [],
            "quantityList": [{"epcClass": self.lot_class}],
            "action": "OBSERVE",
            "disposition": "recalled",
            f"{EXTENSION_PREFIX}:eventType": "recall",
            f"{EXTENSION_PREFIX}:reason": self.batch.recall_reason,
        }
        location = self.cooperative_location()
        if location:
            data["bizLocation"] = {"id": location}
        return data


def label_variant_of(product):
    """The pack size whose GTIN the label carries (traceability.links.label_variant), from the
    product's prefetched active variants, without a query."""
    if product is None:
        return None
    with_gtin = [v for v in product.variants.all() if v.is_active and v.gtin]
    return min(with_gtin, key=lambda v: (v.sort_order or 0, v.pk)) if with_gtin else None


def epcis_document(batch: BatchPage, *, events, areas, cooperative, variant) -> dict:
    """The EPCISDocument of a batch, from what the caller has already loaded. `variant` is the
    pack size whose GTIN identifies the lot (label_variant_of), or None."""
    return _Document(batch, events=events, areas=areas, cooperative=cooperative, variant=variant).build()
