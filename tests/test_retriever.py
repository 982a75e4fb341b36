"""ClausewiseRetriever: the engine's ranking as LangChain Documents, usable in any chain."""

from __future__ import annotations

from langchain_core.runnables import RunnableLambda

from qa.chain import Clausewise
from qa.retriever import ClausewiseRetriever


def test_documents_carry_exact_offsets_and_their_clause(corpus_engine: Clausewise) -> None:
    found = ClausewiseRetriever(engine=corpus_engine, k=5).invoke("Can Smartproxy freeze my account?")
    assert 1 <= len(found) <= 5
    snap = corpus_engine.snapshot()
    for d in found:
        m = d.metadata
        assert snap.docs[m["doc_id"]].text[m["start"] : m["end"]] == d.page_content
        assert snap.clause(m["clause_id"]).doc_id == m["doc_id"]
    assert found[0].metadata["doc"] == "smartproxy-user-service-agreement.txt"
    assert "freez" in found[0].page_content.lower()
    assert [d.metadata["score"] for d in found] == sorted((d.metadata["score"] for d in found), reverse=True)


def test_scoped_to_the_named_documents_and_composable(corpus_engine: Clausewise) -> None:
    retriever = ClausewiseRetriever(engine=corpus_engine, k=4, docs=["smm-privacy-policy.txt"])
    chain = retriever | RunnableLambda(lambda docs: {d.metadata["doc"] for d in docs})
    assert chain.invoke("Can I refuse cookies?") == {"smm-privacy-policy.txt"}
    assert ClausewiseRetriever(engine=corpus_engine).invoke("   ") == []
