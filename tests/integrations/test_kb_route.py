"""GET /api/kb/search on the built index (make test builds it first)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from integrations.core.config import HubSettings
from integrations.main import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app()
    app.state.settings = HubSettings(database_url=f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}")
    with TestClient(app) as client:
        yield client


def test_policy_question_finds_its_document(client: TestClient) -> None:
    body = client.get("/api/kb/search", params={"q": "家里六口人，一户多人口怎么申请", "k": 3}).json()
    assert body["answerable"] is True
    assert "a_large_household" in [r["doc_id"] for r in body["results"]]
    assert {"doc_id", "title", "section", "text", "score"} <= set(body["results"][0])


def test_unrelated_question_is_not_answerable(client: TestClient) -> None:
    body = client.get("/api/kb/search", params={"q": "明天上海到北京的高铁票还有吗"}).json()
    assert body["answerable"] is False


@pytest.mark.parametrize("q", ["", "😀😀", "电" * 5000])
def test_odd_queries_are_answered_cleanly(client: TestClient, q: str) -> None:
    response = client.get("/api/kb/search", params={"q": q})
    assert response.status_code == 200
    assert response.json()["answerable"] is False or response.json()["results"]


def test_k_out_of_range_is_a_clear_400(client: TestClient) -> None:
    response = client.get("/api/kb/search", params={"q": "电价", "k": 500})
    assert response.status_code == 400 and "k" in response.json()["message"]


def test_missing_index_is_a_503_not_a_crash(tmp_path, monkeypatch) -> None:
    from knowledge_base.search import reset_searcher

    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "nothing"))
    reset_searcher()
    try:
        app = create_app()
        app.state.settings = HubSettings(database_url=f"sqlite:///{tmp_path / 'hub.db'}")
        with TestClient(app) as client:
            response = client.get("/api/kb/search", params={"q": "电价"})
        assert response.status_code == 503 and "make build" in response.json()["message"]
    finally:
        monkeypatch.undo()
        reset_searcher()
