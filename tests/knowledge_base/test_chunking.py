from itertools import pairwise
from pathlib import Path

import pytest

from knowledge_base.chunking import chunk_document
from knowledge_base.documents import DocumentError, load_document

from .support import CORPUS


def write_doc(tmp_path: Path, body: str, name: str = "d_test.md") -> Path:
    path = tmp_path / name
    path.write_text("---\ntitle: 测试文档\ncategory: 测试\nsource: 测试\neffective_date: 2026-01-01\n---\n\n"
                    "# 测试文档\n\n" + body, encoding="utf-8")
    return path


def test_front_matter_is_parsed():
    doc = load_document(CORPUS / "documents" / "t_transfer.md")
    assert (doc.doc_id, doc.title, doc.category, doc.effective_date) == ("t_transfer", "过户办理指南", "业务办理",
                                                                         "2026-01-01")


def test_document_without_front_matter_is_rejected(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("# 没有元数据\n\n正文", encoding="utf-8")
    with pytest.raises(DocumentError):
        load_document(path)


def test_every_chunk_cites_its_document_and_level_two_section():
    doc = load_document(CORPUS / "documents" / "t_late_fee.md")
    chunks = chunk_document(doc, 360, 120)
    assert [c.section for c in chunks] == ["计算方法", "如何避免违约金"]
    assert all(c.doc_id == "t_late_fee" and c.title == "电费违约金说明" for c in chunks)
    assert "千分之一" in chunks[0].text and "不足1元" in chunks[0].text
    assert chunks[0].text.startswith("电费应在每月缴费期限内结清")  # the preamble joins the first section


def test_document_without_sections_is_filed_under_its_title(tmp_path):
    doc = load_document(write_doc(tmp_path, "只有一段说明，没有章节。"))
    assert [(c.section, c.text) for c in chunk_document(doc, 360, 120)] == [("测试文档", "只有一段说明，没有章节。")]


def test_long_section_is_split_at_paragraphs_with_overlap(tmp_path):
    paragraphs = [f"第{i}段，" + "供电公司说明用电规则。" * 6 for i in range(1, 7)]
    doc = load_document(write_doc(tmp_path, "## 长章节\n\n" + "\n\n".join(paragraphs)))
    chunks = chunk_document(doc, chunk_chars=200, overlap_chars=80)
    assert len(chunks) > 1
    assert all(len(c.text) <= 200 for c in chunks)
    assert all(c.section == "长章节" for c in chunks)
    for previous, current in pairwise(chunks):
        assert previous.text.split("\n")[-1] == current.text.split("\n")[0]  # the overlap
    joined = "\n".join(c.text for c in chunks)
    assert all(p in joined for p in paragraphs)


def test_duplicate_chunks_are_dropped(tmp_path):
    doc = load_document(write_doc(tmp_path, "## 甲\n\n请拨打95598咨询。\n\n## 乙\n\n请拨打 95598 咨询。\n\n## 丙\n\n新内容。"))
    assert [c.section for c in chunk_document(doc, 360, 120)] == ["甲", "丙"]


def test_sub_heading_stays_with_its_paragraph(tmp_path):
    doc = load_document(write_doc(tmp_path, "## 办理\n\n### 线上\n\n网上国网App提交。\n\n### 线下\n\n营业厅办理。"))
    texts = chunk_document(doc, 360, 120)[0].text.split("\n")
    assert texts == ["线上", "网上国网App提交。", "线下", "营业厅办理。"]
