"""Learned scoring: the shipped weights match the features computed, decide declines, and stay sane
on corpora unlike their training data."""

from __future__ import annotations

import numpy as np

from qa.chain import Clausewise
from qa.rank import DECLINE_FEATURES, FEATURES, PRACTICE_FEATURES, models


def test_the_shipped_weights_are_for_the_features_the_code_computes() -> None:
    m = models()
    assert m is not None, "qa/model/ranker.json is missing or stale: run python -m qa.model.train"
    assert m.rank.names == FEATURES and m.answers.names == DECLINE_FEATURES
    assert m.practice is not None and m.practice.names == PRACTICE_FEATURES
    assert 0 < m.decline_below < 1


def test_features_far_outside_the_training_range_are_held_at_its_edge() -> None:
    m = models()
    assert m is not None
    edge = m.answers.probability(m.answers.high[None, :])
    far = m.answers.probability((m.answers.high * 1000 + 1000)[None, :])
    assert np.isfinite(far).all() and far[0] == edge[0]


def test_a_clause_type_the_document_lacks_is_declined_with_the_nearest_units(fixture_engine: Clausewise) -> None:
    a = fixture_engine.ask("Do disputes with Acme have to go to arbitration?")
    assert a.status == "not_addressed" and not a.citations
    assert a.related and all(r.doc == "acme-terms.txt" for r in a.related)  # still something to read
    b = fixture_engine.ask("Can Acme suspend my account?")
    assert b.status == "answered" and "suspend" in b.citations[0].quote
