"""Threshold calibration, evaluation metrics and the benchmark report."""

import json

from knowledge_base import bench, evaluate
from knowledge_base.build import build
from knowledge_base.calibrate import Judged, choose_cuts
from knowledge_base.core.config import REPO_ROOT, UNANSWERABLE_TRAIN_PATHS
from knowledge_base.training_data import read_lines, read_unanswerable

from .support import TINY, settings_env


def scores(*values: float, on_topic: float = 0.9) -> list[Judged]:
    return [Judged(v, on_topic) for v in values]


def test_threshold_separates_the_two_sides():
    calibration = choose_cuts(answerable=scores(0.6, 0.7, 0.8, 0.9), offtopic=scores(0.1, 0.2, 0.3))
    assert 0.3 < calibration.threshold < 0.6
    assert calibration.topic_threshold == 0.0  # the topic adds nothing here: no cut on it
    assert (calibration.precision, calibration.recall) == (1.0, 1.0)


def test_threshold_prefers_precision_when_the_sides_overlap():
    calibration = choose_cuts(answerable=scores(0.35, 0.6, 0.7, 0.8), offtopic=scores(0.1, 0.2, 0.4))
    assert calibration.precision == 1.0  # one off-topic question slips through rather than a real one failing


def test_cuts_keep_precision_even_where_f_half_would_trade_it_for_recall():
    # cutting at 0.5 would catch all 15 off-topic questions and refuse one real one (precision 0.94)
    answerable = scores(0.30, *[0.8] * 19)
    offtopic = scores(*[0.1] * 5, *[0.35] * 10)
    calibration = choose_cuts(answerable, offtopic)
    assert calibration.precision >= 0.95 and calibration.threshold < 0.3


def test_topic_cut_catches_off_topic_questions_that_score_high():
    # "自来水阶梯水价怎么算" retrieves our tier document with a good score; only the topic tells
    answerable = [Judged(0.3, 0.9), Judged(0.5, 0.8), Judged(0.7, 0.95)]
    offtopic = [Judged(0.6, 0.1), Judged(0.2, 0.2), Judged(0.65, 0.3)]
    calibration = choose_cuts(answerable, offtopic)
    assert (calibration.precision, calibration.recall) == (1.0, 1.0)
    assert 0.3 < calibration.topic_threshold <= 0.8 and calibration.threshold <= 0.3


def _questions(pattern: str) -> set[str]:
    questions_dir = REPO_ROOT / "knowledge_base" / "questions"
    return {json.loads(line)["question"] for path in questions_dir.glob(pattern)
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def test_calibration_and_training_sets_share_nothing_with_eval():
    offtopic = set(read_unanswerable())
    offtopic_train = {line for path in UNANSWERABLE_TRAIN_PATHS for line in read_lines(path)}
    hard = _questions("calib_*.jsonl")
    assert len(offtopic) >= 180 and len(offtopic_train) >= 400 and len(hard) >= 100
    eval_questions, train_questions = _questions("eval_*.jsonl"), _questions("train_*.jsonl")
    assert not (offtopic | offtopic_train | hard | train_questions) & eval_questions
    assert not hard & train_questions and not offtopic & offtopic_train


def test_second_build_is_a_no_op(built_kb):
    assert build(built_kb, TINY, progress=False) == []


def test_metrics_count_hits_by_rank():
    ranks = [1, 3, None, 2]
    assert evaluate._metrics(ranks) == {"hit@1": 0.25, "hit@3": 0.75, "mrr": round((1 + 1 / 3 + 1 / 2) / 4, 4), "n": 4}
    ranked = [("a", "x"), ("b", "y"), ("a", "z")]
    assert evaluate._rank_of(ranked, {("a", "z")}) == 3 and evaluate._rank_of(ranked, {"b"}) == 2


def test_answer_level_counts_every_section_that_answers():
    question = evaluate.EvalQuestion("多久能装好", "b", "y", "normal", "eval_t", also=(("a", "z"), ("c", "w")))
    ranked = [("a", "z"), ("b", "y")]
    assert evaluate._rank_of(ranked, question.targets("section")) == 2
    assert evaluate._rank_of(ranked, question.targets("answer")) == 1
    assert evaluate._rank_of([("b", "x")], question.targets("document")) == 1
    unanswerable = evaluate.EvalQuestion("订机票", None, None, "unanswerable")
    assert all(unanswerable.targets(level) == set() for level in evaluate.LEVELS)


def test_evaluate_writes_both_reports(built_kb, tmp_path, monkeypatch):
    for key, value in settings_env(built_kb).items():
        monkeypatch.setenv(key, value)
    assert evaluate.main(["--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "kb_eval.json").read_text())
    retrievers = report["retrieval"]["retrievers"]
    assert set(retrievers) == {"bm25", "dense", evaluate.HYBRID_WITHOUT_CLASSIFIER, "hybrid"}
    assert set(retrievers["hybrid"]) == set(evaluate.LEVELS)
    assert retrievers["hybrid"]["section"]["all"]["n"] == 3
    assert report["retrieval"]["by_file"]["eval_t"]["answer"]["n"] == 3
    assert report["no_answer"]["unanswerable"] == 1
    assert "| hybrid | paraphrase |" in (tmp_path / "kb_eval.md").read_text()


def test_bench_measures_every_index_kind(built_kb, tmp_path, monkeypatch):
    for key, value in settings_env(built_kb).items():
        monkeypatch.setenv(key, value)
    assert bench.main(["--sizes", "400", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "kb_bench.json").read_text())
    assert {"flat", "hnsw", "ivf"} <= set(report["synthetic"]["400"])
    assert report["synthetic"]["400"]["flat"]["recall@10_vs_flat"] == 1.0
    assert report["real"]["search"]["p50_ms"] > 0
