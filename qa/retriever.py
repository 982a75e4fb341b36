"""Clausewise's ranking as a LangChain retriever, so the engine drops into any LangChain chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from qa.chain import Clausewise
from qa.question import read_question
from qa.retrieve import retrieve


class ClausewiseRetriever(BaseRetriever):
    """The best clauses for a query as Documents: the unit that matched, with where it sits.

    Metadata: doc (file name), doc_id, clause_id, label, path (headings, outermost first), start and
    end (offsets of page_content in the document's text, so `text[start:end] == page_content`), score.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: Clausewise
    k: int = 8
    docs: list[str] | None = None  # file names or ids; None: the documents the query names, else all

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        snap = self.engine.snapshot()
        if not snap.docs or not query.strip():
            return []
        q = read_question(query)
        scope = self.engine.scope(snap, q, self.docs) or list(snap.docs)
        qvec = self.engine.store.ef.query(query)
        out = []
        for h in retrieve(snap, self.engine.store, q.in_scope(scope), qvec, scope, k=self.k):
            c = snap.clause(h.clause_id)
            view = snap.docs[h.doc_id]
            meta: dict[str, Any] = {
                "doc": view.meta.source,
                "doc_id": h.doc_id,
                "clause_id": c.clause_id,
                "label": c.label,
                "path": [p for p in (*c.path, c.title) if p],
                "start": h.chunk_start,
                "end": h.chunk_end,
                "score": h.score,
            }
            out.append(Document(page_content=view.text[h.chunk_start : h.chunk_end], metadata=meta))
        return out
