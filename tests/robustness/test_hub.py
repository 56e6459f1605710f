"""The hub's REST channel, web chat, agent console and knowledge-base search under bad input."""

from __future__ import annotations

import pytest

from tests.robustness.conftest import RobustHub
from tests.robustness.corpus import Case, by_surface
from tests.robustness.runner import check_common, check_stored, send_hub


@pytest.mark.parametrize("case", by_surface("rest", "chat", "console", "kb"), ids=lambda c: c.test_id)
def test_hub_case(case: Case, hub: RobustHub) -> None:
    before = hub.counts()
    response = send_hub(case, hub)
    check_common(case, response, before, hub.counts)
    if case.check and 200 <= response.status_code < 300:
        check_stored(case, response, hub, None)
