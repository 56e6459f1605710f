"""Personal data is masked as service_rules.yml says, in answers and in logs."""

from __future__ import annotations

import io
import logging

import pytest

from backend_core.masking import MaskingFilter, install_log_masking, mask_address, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧阳**"), ("司马懿", "司马*"), ("王小明", "王**")])
def test_names_keep_the_surname(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_phone_and_id_number() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number("330102199001011234") == "330***********1234"


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("示例市城东区平阳路12号3单元501", "示例市城东区平阳路**号*单元***"),
        ("示例县青山镇石桥村4组17号", "示例县青山镇石桥村*组**号"),
        ("示例市城南区花园街道幸福小区6栋302", "示例市城南区花园街道幸福小区*栋***"),
    ],
)
def test_address_keeps_district_and_street(address: str, masked: str) -> None:
    assert mask_address(address) == masked


def test_log_records_are_masked_before_any_handler_writes_them() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("backend_core.test_masking")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    install_log_masking(logger)
    try:
        logger.info("客户 %s 身份证 %s 地址 %s 户号 %s", "13800138000", "33010219900101123X", "示例市城东区平阳路12号3单元501",
                    "3300012345")
    finally:
        logger.removeHandler(handler)
        logger.filters = [f for f in logger.filters if not isinstance(f, MaskingFilter)]
    line = stream.getvalue()
    assert "13800138000" not in line and "19900101" not in line and "12号3单元501" not in line
    assert "138****8000" in line and "户号 3300012345" in line


def test_core_services_log_no_personal_data(fresh_db, caplog: pytest.LogCaptureFixture) -> None:
    gw = fresh_db.gateway()
    with caplog.at_level(logging.DEBUG, logger="backend_core"):
        gw.verify_identity("3300012345", "0000", "s-log")
        gw.create_work_order(
            "report_hazard", {"address": "示例市城东区平阳路12号3单元501", "contact_phone": "13800138000"}, "log-1"
        )
    text = caplog.text
    assert "13800138000" not in text and "12号3单元501" not in text
