"""The search contract: CLI output, odd input, the no-answer threshold, the shared searcher."""

import io
import json

import pytest

from knowledge_base import search as kb_search
from knowledge_base.search import Searcher, SearchResponse

from .support import run_module, settings_env

RESULT_KEYS = {"doc_id", "title", "section", "text", "score"}
BAD_INPUTS = ["", "   \n\t", "电" * 5000, "😀😂👍🎉", "\x00\x01\x02\x7f", "\ud800\udfff", "!!!???。。。"]


@pytest.fixture(scope="module")
def searcher(built_kb) -> Searcher:
    return Searcher(built_kb)


def test_cli_json_prints_the_api_body(built_kb):
    done = run_module("knowledge_base.search", ["过户要带什么材料", "--k", "2", "--json"], built_kb)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 1
    body = json.loads(lines[0])
    assert set(body) == {"answerable", "results"} and body["answerable"] is True
    assert 1 <= len(body["results"]) <= 2
    assert all(set(r) == RESULT_KEYS for r in body["results"])
    assert (body["results"][0]["doc_id"], body["results"][0]["section"]) == ("t_transfer", "所需材料")
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.fixture
def kb_env(built_kb, monkeypatch):
    """The process environment pointing at the tiny knowledge base, with a fresh shared searcher."""
    for key, value in settings_env(built_kb).items():
        if key.startswith("KB_"):
            monkeypatch.setenv(key, value)
    kb_search.reset_searcher()
    yield built_kb
    kb_search.reset_searcher()


def test_cli_jsonl_answers_each_line_even_garbage(kb_env, monkeypatch, capsys):
    stdin = "停电计划在哪里查\n\n😀😀\n".encode() + b"\xff\xfe\x00binary\n" + "帮我订一张机票\n".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    assert kb_search.main(["--jsonl", "--k", "3"]) == 0
    bodies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(bodies) == 5
    assert bodies[0]["answerable"] and bodies[0]["results"][0]["doc_id"] == "t_outage"
    assert [b["answerable"] for b in bodies[1:]] == [False, False, False, False]
    assert bodies[1]["results"] == [] and bodies[2]["results"] == []


def test_cli_without_index_says_how_to_build(kb_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "none"))
    assert kb_search.main(["过户", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "python -m knowledge_base.build" in captured.err


@pytest.mark.parametrize("question", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_is_a_clean_no_answer(searcher, question):
    response = searcher.search(question)
    assert response == SearchResponse(answerable=False, results=[])


def test_off_topic_question_is_not_answerable(searcher):
    response = searcher.search("明天北京会不会下雨")
    assert not response.answerable
    assert searcher.search("电费违约金怎么计算").answerable


def test_threshold_setting_overrides_the_calibrated_one(built_kb):
    strict = Searcher(built_kb.model_copy(update={"no_answer_threshold": 1.01}))
    response = strict.search("电费违约金怎么计算")
    assert not response.answerable and response.results  # results are still listed


def test_results_are_one_per_section(searcher):
    results = searcher.search("过户", k=5).results
    keys = [(r.doc_id, r.section) for r in results]
    assert len(keys) == len(set(keys))


def test_shared_searcher_is_loaded_once(kb_env):
    first = kb_search.get_searcher()
    assert kb_search.get_searcher() is first
    assert first.search("过户去哪里办", k=1).results[0].doc_id == "t_transfer"
