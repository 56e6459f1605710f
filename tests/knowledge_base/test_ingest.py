"""Incremental ingest: only new or changed documents are embedded again."""

import json

from knowledge_base import encoder as kb_encoder
from knowledge_base.ingest import ingest, read_manifest
from knowledge_base.search import Searcher


class CountingEncoder:
    """Wraps the real encoder and records every text it is asked to embed."""

    def __init__(self, model):
        self.model = model
        self.texts: list[str] = []

    def encode(self, texts, **kwargs):
        self.texts.extend(texts)
        return self.model.encode(texts, **kwargs)

    def get_embedding_dimension(self):
        return self.model.get_embedding_dimension()


def counting(settings) -> CountingEncoder:
    return CountingEncoder(kb_encoder.load_encoder(settings.encoder_path))


def test_nothing_changed_means_nothing_rebuilt(kb_copy):
    model = counting(kb_copy)
    report = ingest(kb_copy, model=model, progress=False)
    assert not report.rebuilt and report.embedded == [] and model.texts == []


def test_changing_one_document_reembeds_only_it(kb_copy):
    path = kb_copy.documents_dir / "t_outage.md"
    path.write_text(path.read_text(encoding="utf-8").replace("至少提前7天", "至少提前10天"), encoding="utf-8")
    model = counting(kb_copy)
    report = ingest(kb_copy, model=model, progress=False)
    assert report.rebuilt and report.embedded == ["t_outage"]
    assert model.texts and all(text.startswith("计划停电通知") for text in model.texts)
    chunks = Searcher(kb_copy).index.chunks
    assert any("至少提前10天" in c.text for c in chunks) and not any("至少提前7天" in c.text for c in chunks)
    assert {c.doc_id for c in chunks} == {"t_late_fee", "t_outage", "t_transfer"}  # the others are still there


def test_new_and_removed_documents(kb_copy):
    (kb_copy.documents_dir / "t_transfer.md").unlink()
    (kb_copy.documents_dir / "t_close.md").write_text(
        "---\ntitle: 销户说明\ncategory: 业务办理\nsource: 测试\neffective_date: 2026-01-01\n---\n\n"
        "## 销户条件\n\n结清全部电费后可以申请销户，供电公司拆除电能表并退还预存余额。\n", encoding="utf-8")
    model = counting(kb_copy)
    report = ingest(kb_copy, model=model, progress=False)
    assert report.embedded == ["t_close"] and report.removed == ["t_transfer"]
    doc_ids = {c.doc_id for c in Searcher(kb_copy).index.chunks}
    assert doc_ids == {"t_close", "t_late_fee", "t_outage"}
    assert set(read_manifest(kb_copy.index_dir)["documents"]) == doc_ids


def test_front_matter_edit_that_changes_no_chunk_embeds_nothing(kb_copy):
    path = kb_copy.documents_dir / "t_transfer.md"
    path.write_text(path.read_text(encoding="utf-8").replace("effective_date: 2026-01-01", "effective_date: 2026-07-01"),
                    encoding="utf-8")
    model = counting(kb_copy)
    report = ingest(kb_copy, model=model, progress=False)
    assert report.embedded == [] and model.texts == []


def test_a_new_train_question_becomes_a_key_without_reembedding_documents(kb_copy):
    # words the passage of 查询方式 does not have: only the new key can lead there
    question = "拉闸的日程表上哪儿瞅"
    before = Searcher(kb_copy).rank(question, k=1)
    with (kb_copy.questions_dir / "train_t.jsonl").open("a", encoding="utf-8") as questions:
        questions.write(json.dumps({"doc_id": "t_outage", "section": "查询方式", "question": question},
                                   ensure_ascii=False) + "\n")
    model = counting(kb_copy)
    report = ingest(kb_copy, model=model, progress=False)
    assert report.rebuilt and report.embedded == [] and question in model.texts
    after = Searcher(kb_copy)
    found = after.rank(question, k=1)[0]
    assert (found.doc_id, found.section) == ("t_outage", "查询方式")
    assert found.score > before[0].score if before else found.score > 0
    keys_off = Searcher(kb_copy.model_copy(update={"question_key_weight": 0.0})).rank(question, k=3)
    assert all(r.score < found.score for r in keys_off)  # the match came through the key
