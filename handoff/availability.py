"""Can a person take a conversation now? Opening hours first, then whether any agent is present."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.engine import Engine

from handoff import config, hours, settings, staff
from handoff.payloads import NO_STAFF, OUT_OF_HOURS


@dataclass
class Availability:
    available: bool
    reason: Optional[str]  # None, "out_of_hours" or "no_staff"
    agents: int


def hours_spec(engine: Optional[Engine] = None) -> str:
    return settings.get(settings.HOURS, engine) or config.default_hours()


def check(engine: Optional[Engine] = None) -> Availability:
    if not hours.is_open(hours_spec(engine)):
        return Availability(False, OUT_OF_HOURS, 0)
    agents = staff.present_agents(engine=engine)
    if agents == 0:
        return Availability(False, NO_STAFF, 0)
    return Availability(True, None, agents)
