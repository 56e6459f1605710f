"""Knowledge-base search over HTTP, the same answer as `python -m knowledge_base.search`."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query
from starlette.concurrency import run_in_threadpool

from integrations.schemas import refusals
from knowledge_base.encoder import EncoderMissingError
from knowledge_base.search import IndexNotBuiltError, SearchResponse, get_searcher

router = APIRouter(prefix="/api/kb", tags=["knowledge base"])


@router.get("/search", response_model=SearchResponse, responses=refusals(400, 503))
async def search(q: str = Query("", max_length=5000), k: int = Query(3, ge=1, le=20)) -> SearchResponse:
    try:
        return await run_in_threadpool(lambda: get_searcher().search(q, k=k))
    except (IndexNotBuiltError, EncoderMissingError) as exc:
        raise HTTPException(503, "知识库尚未构建，请先运行 make build (knowledge base not built)") from exc
