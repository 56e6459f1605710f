"""Our encoder: deterministic training, retraining only when stale, and any other
sentence-transformers directory taking its place through KB_ENCODER_PATH."""

import dataclasses
import random
import subprocess
import sys

import pytest

from knowledge_base import encoder as kb_encoder
from knowledge_base.build import build
from knowledge_base.ingest import read_manifest
from knowledge_base.search import IndexNotBuiltError, Searcher
from knowledge_base.train_encoder import (
    build_tokenizer,
    init_model,
    needs_training,
    question_batches,
    training_inputs,
)
from knowledge_base.training_data import SectionQuestions, nlu_paraphrase_groups, strip_entity_markup

from .support import REPO_ROOT, TINY, copy_corpus, kb_settings, settings_env


def test_vocabulary_is_character_level_for_chinese():
    tokenizer = build_tokenizer(["阶梯电价和峰谷电价", "拨打95598"], max_length=32)
    assert tokenizer.tokenize("阶梯电价") == ["阶", "梯", "电", "价"]
    assert tokenizer.tokenize("瀚") == ["[UNK]"]  # never seen: unknown, not an error


def test_nlu_groups_strip_entity_markup_and_skip_non_paraphrases(built_kb):
    groups = nlu_paraphrase_groups(built_kb.nlu_dir)
    assert set(groups) == {"query_late_fee", "apply_transfer"}  # inform is not a paraphrase group
    assert "户号3300012345要更名" in groups["apply_transfer"]
    assert strip_entity_markup('我是[张三]{"entity": "person_name"}') == "我是张三"


def test_question_batches_keep_documents_whole_and_label_each_question():
    sections = [SectionQuestions(f"d{d}", f"s{s}", (f"d{d}s{s} passage", f"d{d}s{s} second chunk"),
                                 (f"d{d}s{s} q1", f"d{d}s{s} q2")) for d in range(5) for s in range(3)]
    batches = question_batches(sections, per_batch=6, rng=random.Random(1))
    assert sum(len(b.passages) for b in batches) == 15
    for batch in batches:
        assert len(batch.passages) == 6 or batch is batches[-1]
        docs = [p[:2] for p in batch.passages]
        assert all(docs.count(d) == 3 for d in docs)  # a document's sections come together
        for question, label in zip(batch.questions, batch.labels, strict=True):
            assert batch.passages[label][:4] == question[:4]  # labelled with its own section


TRAIN_AND_HASH = """
import dataclasses, hashlib
from knowledge_base.core.config import get_settings
from knowledge_base.train_encoder import train, training_inputs
from tests.knowledge_base.support import TINY
config = dataclasses.replace(TINY, max_steps=4)
model, _ = train(training_inputs(get_settings(), config), config, progress=False)
digest = hashlib.sha256()
for name, tensor in model.state_dict().items():
    digest.update(name.encode() + tensor.numpy().tobytes())
print(digest.hexdigest())
"""


def test_training_is_deterministic_across_processes(built_kb):
    """Same data, same weights, whatever Python's hash seed (a new process each time)."""
    digests = set()
    for seed in ("1", "2"):
        env = {**settings_env(built_kb), "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", TRAIN_AND_HASH], capture_output=True, env=env,
                              cwd=REPO_ROOT, timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        digests.add(done.stdout.decode().strip())
    assert len(digests) == 1


def test_encoder_is_retrained_only_when_its_data_changes(kb_copy):
    assert not needs_training(kb_copy, training_inputs(kb_copy, TINY))
    questions = kb_copy.questions_dir / "train_t.jsonl"
    questions.write_text(questions.read_text(encoding="utf-8")
                         + '{"doc_id": "t_outage", "section": "查询方式", "question": "停电信息哪里看"}\n',
                         encoding="utf-8")
    assert needs_training(kb_copy, training_inputs(kb_copy, TINY))


def test_eval_questions_do_not_affect_training(kb_copy):
    before = training_inputs(kb_copy, TINY)
    eval_file = kb_copy.questions_dir / "eval_t.jsonl"
    eval_file.write_text(eval_file.read_text(encoding="utf-8") + eval_file.read_text(encoding="utf-8"))
    after = training_inputs(kb_copy, TINY)
    assert before.data_hash == after.data_hash and before.sections == after.sections


@pytest.fixture
def foreign_model(tmp_path, built_kb):
    """Some other sentence-transformers model (another size, not trained by us)."""
    path = tmp_path / "other-encoder"
    config = dataclasses.replace(TINY, hidden_size=48, num_heads=4, intermediate_size=96)
    init_model(["电费违约金过户停电通知"], config).save(str(path))
    return path


def test_another_model_directory_replaces_the_encoder(tmp_path, foreign_model, built_kb):
    settings = kb_settings(copy_corpus(tmp_path / "kb"), encoder=foreign_model)
    before = kb_encoder.fingerprint(foreign_model)
    build(settings, TINY, progress=False)
    assert kb_encoder.fingerprint(foreign_model) == before  # never retrained or overwritten
    assert read_manifest(settings.index_dir)["recipe"]["encoder"] == before
    searcher = Searcher(settings)
    assert searcher.index.embeddings.shape[1] == 48
    assert searcher.search("过户需要哪些材料").results

    mismatched = settings.model_copy(update={"encoder_path": built_kb.encoder_path})
    with pytest.raises(IndexNotBuiltError, match="another encoder"):
        Searcher(mismatched)
