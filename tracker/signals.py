"""Signals between parts of the tracker that must not import each other (blinker, as Flask's own).

work_queued: a change queued email or notifications inside its open write transaction (sent with that
database as the sender). The mail worker listens, and wakes once the transaction has committed; the
mail and notification code need not know the worker exists."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
work_queued = _signals.signal("work-queued")
