"""The WeChat official account's server URL and the voice line's jambonz webhooks under
bad input, with signatures checked on both."""

from __future__ import annotations

import pytest

from tests.robustness.conftest import RobustHub
from tests.robustness.corpus import Case, by_surface
from tests.robustness.runner import check_common, check_stored, send_hub


@pytest.mark.parametrize("case", by_surface("wechat", "voice"), ids=lambda c: c.test_id)
def test_channel_case(case: Case, hub: RobustHub) -> None:
    if case.replay:
        first = send_hub(case, hub)
        assert first.status_code == 200, first.text
    before = hub.counts()
    response = send_hub(case, hub)
    check_common(case, response, before, hub.counts)
    if case.replay:  # WeChat's retry of a delivery already answered: "success", nothing stored
        assert response.text == "success" and hub.counts() == before
    if case.check and 200 <= response.status_code < 300:
        check_stored(case, response, hub, None)
