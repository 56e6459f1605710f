"""GET /api/facts/service and /api/facts/tariffs: the figures replies quote, from the core's data files.

Behind the service token like every route but the quote: callers are our own
services, and the answers carry the agents' hours in force (``AGENT_HOURS``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backend_core.api.deps import gateway
from backend_core.gateway.embedded import EmbeddedGateway
from backend_core.gateway.interfaces import ServiceFacts, TariffFacts

router = APIRouter(prefix="/api/facts", tags=["facts"])


@router.get("/service")
def service_facts(gw: EmbeddedGateway = Depends(gateway)) -> ServiceFacts:
    """Service commitments of service_rules.yml (repair, outages, connections, meter tests, complaints,
    identity lock, agents' hours with AGENT_HOURS applied, work-order states)."""
    return gw.service_facts()


@router.get("/tariffs")
def tariff_facts(gw: EmbeddedGateway = Depends(gateway)) -> TariffFacts:
    """Tier thresholds and prices, time-of-use hours and prices, demand charge, late-payment and prepaid rules."""
    return gw.tariff_facts()
