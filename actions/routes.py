"""Which service responses a topic gets, from the routing table in the catalogue."""
from __future__ import annotations

from typing import List, Optional

from service_catalogue import load_routing

OFFER_PERSON = "utter_offer_person"
MAIN_ROUTES = {"child": ["utter_route_childline"], "adult": ["utter_route_nspcc_helpline"]}


def routes_for(topic: Optional[str], audience: Optional[str]) -> List[str]:
    """Responses for ``topic`` and ``audience``; both audiences' (child first) when unknown.

    Always ends with the offer of a person. With no topic, the audience's main route.
    """
    spec = load_routing().get(topic or "", {})
    if "any" in spec:
        names = list(spec["any"])
    elif audience in ("child", "adult"):
        names = list(spec.get(audience, MAIN_ROUTES[audience]))
    else:
        names = list(spec.get("child", MAIN_ROUTES["child"])) + list(spec.get("adult", MAIN_ROUTES["adult"]))
    ordered: List[str] = []
    for name in names:
        if name != OFFER_PERSON and name not in ordered:
            ordered.append(name)
    return ordered + [OFFER_PERSON]
