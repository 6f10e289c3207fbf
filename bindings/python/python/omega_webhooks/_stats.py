"""``DeliveryStats``: the delivery health of an endpoint over a window, as
``Client.delivery_stats`` returns it — typed views over the JSON the Rust engine computes
(``schemas/delivery-stats.schema.json``, the CLI's ``events stats --json``)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Dict, List, Literal, Optional, Tuple


@dataclass(frozen=True)
class Counts:
    """How the deliveries of a set of events went."""

    #: Events counted.
    events: int
    #: Deliveries the receiver answered 2xx.
    delivered: int
    #: Deliveries the receiver answered with any other status.
    failed: int
    #: Deliveries with no recorded answer.
    unknown: int
    #: ``(failed + unknown) / events`` (0 without events).
    failure_rate: float

    @classmethod
    def _of(cls, d: Dict[str, Any]) -> "Counts":
        return cls(d["events"], d["delivered"], d["failed"], d["unknown"], d["failure_rate"])


@dataclass(frozen=True)
class Bucket:
    """The deliveries of the events created in one time bucket (UTC)."""

    #: The bucket's start, Unix seconds; it lasts one ``DeliveryStats.by``.
    start: int
    #: Its counts.
    counts: Counts


@dataclass(frozen=True)
class TypeCounts:
    """The deliveries of the events of one type."""

    #: The event type (known or not).
    type: str
    #: Its counts.
    counts: Counts


@dataclass(frozen=True)
class FailureGroup:
    """Failed or unanswered deliveries with the same receiver status and cause."""

    #: The receiver's HTTP status; None for deliveries with no answer.
    status_code: Optional[int]
    #: The first line of the receiver's body (an HTML page's title), ids and numbers masked.
    cause: str
    #: Deliveries in the group.
    count: int
    #: Creation time of its oldest event, Unix seconds.
    first_seen: int
    #: Creation time of its newest event, Unix seconds.
    last_seen: int
    #: The event types involved, sorted.
    types: Tuple[str, ...]
    #: Up to 3 of its event ids, the newest first.
    examples: Tuple[str, ...]


@dataclass(frozen=True)
class DeliveryStats:
    """The delivery health of an endpoint over a window; ``to_dict()`` is the CLI's
    ``events stats --json``."""

    #: The webhook endpoint.
    endpoint_id: str
    #: The window's start (Unix seconds), None: from the first event.
    since: Optional[int]
    #: The window's end (Unix seconds), None: to the last event.
    until: Optional[int]
    #: The event types looked at; empty: every type.
    filter_types: Tuple[str, ...]
    #: The width of the buckets.
    by: Literal["hour", "day"]
    #: All the events of the window.
    totals: Counts
    #: The buckets that hold events, oldest first.
    buckets: Tuple[Bucket, ...]
    #: Counts per event type, sorted by type.
    types: Tuple[TypeCounts, ...]
    #: The failure groups, the largest first.
    groups: Tuple[FailureGroup, ...]
    #: Events listed but whose details could not be read (not counted).
    unreadable: int
    _json: Dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_dict(cls, d: Dict[str, Any]) -> "DeliveryStats":
        groups = (
            FailureGroup(
                g["status_code"], g["cause"], g["count"], g["first_seen"], g["last_seen"], tuple(g["types"]), tuple(g["examples"])
            )
            for g in d["groups"]
        )
        return cls(
            endpoint_id=d["endpoint_id"],
            since=d["since"],
            until=d["until"],
            filter_types=tuple(d["filter_types"]),
            by=d["by"],
            totals=Counts._of(d["totals"]),
            buckets=tuple(Bucket(b["start"], Counts._of(b)) for b in d["buckets"]),
            types=tuple(TypeCounts(t["type"], Counts._of(t)) for t in d["types"]),
            groups=tuple(groups),
            unreadable=d["unreadable"],
            _json=d,
        )

    def to_dict(self) -> Dict[str, Any]:
        """The stats as the JSON object every language gives (a copy)."""
        return copy.deepcopy(self._json)

    def __repr__(self) -> str:
        t = self.totals
        return (
            f"DeliveryStats(endpoint_id={self.endpoint_id!r}, events={t.events}, failed={t.failed}, "
            f"unknown={t.unknown}, failure_rate={t.failure_rate:.3f}, groups={len(self.groups)})"
        )


__all__: List[str] = ["Bucket", "Counts", "DeliveryStats", "FailureGroup", "TypeCounts"]
