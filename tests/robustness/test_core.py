"""The billing core's API (every route, with its service token) under bad input."""

from __future__ import annotations

import pytest

from tests.robustness.conftest import RobustCore
from tests.robustness.corpus import Case, by_surface
from tests.robustness.runner import check_common, check_outages, check_stored, send_core


@pytest.mark.parametrize("case", by_surface("core"), ids=lambda c: c.test_id)
def test_core_case(case: Case, core: RobustCore) -> None:
    before = core.counts()
    response = send_core(case, core)
    check_common(case, response, before, core.counts)
    if case.check == "core-outages":
        check_outages(case, response)
    elif case.check and 200 <= response.status_code < 300:
        check_stored(case, response, None, core)
