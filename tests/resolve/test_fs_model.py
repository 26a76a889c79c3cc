"""The Fellegi-Sunter model: EM against the probabilities that generated the pairs, term
frequencies, and the model saved with each resolve run."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from graphintel.model import Role
from graphintel.records import Mention
from graphintel.resolve import (
    FeatureExtractor,
    RecordTable,
    ResolverConfig,
    resolve_records,
    resolve_store,
)
from graphintel.resolve.features import PartyMention
from graphintel.resolve.fs_model import FieldSpec, FSModel, TermFrequencies, decode, encode, fit_em
from graphintel.resolve.rules import FIELDS
from graphintel.resolve.runs import run_model
from graphintel.store import GraphStore
from tests.resolve.helpers import load, ship

SPECS = (
    FieldSpec("name", ("different", "close", "exact"), (0.1, 0.2, 0.7), (0.8, 0.15, 0.05)),
    FieldSpec("phone", ("different", "exact"), (0.2, 0.8), (0.95, 0.05)),
    FieldSpec("address", ("different", "street", "exact"), (0.15, 0.25, 0.6), (0.7, 0.2, 0.1)),
)
TRUE_M = [np.array([0.05, 0.15, 0.80]), np.array([0.10, 0.90]), np.array([0.10, 0.30, 0.60])]
TRUE_U = [np.array([0.85, 0.12, 0.03]), np.array([0.97, 0.03]), np.array([0.75, 0.20, 0.05])]
TRUE_LAMBDA = 0.25
NULL_SHARE = 0.1  # a value missing on either side: level 0, ignored by the model


def _sample(n: int, seed: int) -> np.ndarray:
    """Comparison vectors drawn from the true model, as a Splink-style oracle would."""
    rng = np.random.default_rng(seed)
    is_match = rng.random(n) < TRUE_LAMBDA
    cols = []
    for m, u in zip(TRUE_M, TRUE_U, strict=True):
        levels_m = rng.choice(len(m), size=n, p=m) + 1
        levels_u = rng.choice(len(u), size=n, p=u) + 1
        level = np.where(is_match, levels_m, levels_u)
        cols.append(np.where(rng.random(n) < NULL_SHARE, 0, level))
    return np.stack(cols, axis=1)


def _fit(
    vectors: np.ndarray, **options: object
) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    codes, counts = np.unique(encode(vectors, SPECS), return_counts=True)
    patterns = decode(codes, SPECS)
    m0 = [np.asarray(s.prior_m) for s in SPECS]
    u0 = options.pop("u0", None) or [np.asarray(s.prior_u) for s in SPECS]
    result = fit_em(patterns, counts, SPECS, m0, u0, 0.5, **options)  # type: ignore[arg-type]
    assert result.converged
    return result.m, result.u, result.lam


def test_encode_and_decode_round_trip() -> None:
    vectors = _sample(1_000, seed=1)
    assert (decode(encode(vectors, SPECS), SPECS) == vectors).all()


def test_em_recovers_the_generating_m_u_and_lambda() -> None:
    m, u, lam = _fit(_sample(200_000, seed=7))
    assert lam == pytest.approx(TRUE_LAMBDA, abs=0.01)
    for f in range(len(SPECS)):
        np.testing.assert_allclose(m[f], TRUE_M[f], atol=0.02)
        np.testing.assert_allclose(u[f], TRUE_U[f], atol=0.02)


def test_em_with_u_fixed_recovers_m() -> None:
    m, u, lam = _fit(_sample(200_000, seed=8), fix_u=True, u0=TRUE_U)
    assert lam == pytest.approx(TRUE_LAMBDA, abs=0.01)
    for f in range(len(SPECS)):
        np.testing.assert_allclose(m[f], TRUE_M[f], atol=0.02)
        np.testing.assert_allclose(u[f], TRUE_U[f])  # never moved


def test_prior_pseudo_pairs_dominate_a_tiny_sample_only() -> None:
    tiny = _sample(3, seed=3)
    m, _, _ = _fit(tiny, prior_pairs=50.0)
    for f, spec in enumerate(SPECS):
        np.testing.assert_allclose(m[f], spec.prior_m, atol=0.05)
    m_big, _, _ = _fit(_sample(200_000, seed=4), prior_pairs=50.0)
    np.testing.assert_allclose(m_big[0], TRUE_M[0], atol=0.02)


def test_term_frequency_adjustment_favours_rare_values() -> None:
    others = [f"name {i}" for i in range(200)]
    tf = TermFrequencies.of(["john smith"] * 40 + ["li wei"] * 10 + others + ["quist"] * 2)
    assert tf.adjustment("john smith") < tf.adjustment("li wei") < tf.adjustment("quist")
    assert tf.adjustment("john smith") < 0 < tf.adjustment("quist")
    assert tf.u_random == pytest.approx(sum(c * c for c in tf.counts.values()) / tf.total**2)


def _consignee(shipment: str, name: str, phone: str, address: str) -> PartyMention:
    return PartyMention(Mention(name, address, "Springfield", "IL", "62701", "US", phone,
                                shipment_id=shipment, role=Role.CONSIGNEE))  # fmt: skip


def test_a_common_name_agreement_weighs_less_than_a_rare_one() -> None:
    """Many different John Smiths (each at its own address) make "john smith" common."""
    extractor, table = FeatureExtractor(), RecordTable()
    mentions = [_consignee(f"C{i}", "John Smith", f"217-555-{1000 + i}", f"{i + 1} Elm St")
                for i in range(30)]  # fmt: skip
    mentions += [_consignee(f"R{i}", f"Person{i} Other{i}", f"312-555-{2000 + i}",
                            f"{i + 1} Oak St") for i in range(30)]  # fmt: skip
    # two pairs that agree exactly on name and phone: a common name, and a rare one
    mentions += [
        _consignee("P1", "John Smith", "217-555-9999", "77 Pine St"),
        _consignee("P2", "JOHN SMITH", "217-555-9999", "78 Pine St"),
        _consignee("Q1", "Zebulon Quist", "217-555-8888", "5 Birch St"),
        _consignee("Q2", "QUIST, ZEBULON", "217-555-8888", "6 Birch St"),
    ]
    for pm in mentions:
        table.add(extractor.features(pm), pm.mention.mention_id)
    resolution = resolve_records(table, ResolverConfig())
    names = {(e.mention_a[:2], e.field): e.weight for e in resolution.evidence}
    assert names[("P1", "name")] < names[("Q1", "name")]
    assert names[("P1", "name")] >= 0  # an exact agreement never counts against a match
    assert names[("P1", "phone")] == names[("Q1", "phone")]  # phones are not TF-adjusted


def test_model_is_saved_with_the_run_and_read_back(store: GraphStore) -> None:
    shipments = [
        ship("S1", consignee_name="Jon Smith", consignee_email="jsmith@gmail.com"),
        ship("S2", consignee_name="John Smith", consignee_email="J.Smith+x@gmail.com"),
        ship("S3", consignee_name="", consignee_phone="12"),
    ]
    load(store, shipments)
    summary = resolve_store(store)
    run = store.latest_run("resolve")
    assert run is not None and run.kind == "resolve" and run.status == "succeeded"
    assert run.counts["entities"] == summary.entities
    doc = json.loads(json.dumps(run.params))  # what the store keeps is plain JSON
    assert doc["resolver"]["match_probability"] == ResolverConfig().match_probability
    assert doc["unknown_values"] == {"name:empty": 1, "phone:malformed": 1}
    model = run_model(run)
    assert model is not None
    assert [f.name for f in model.fields] == [f.name for f in FIELDS]
    assert 0 < model.lam < 1 and model.threshold == ResolverConfig().match_probability
    saved = doc["model"]
    for f, field in enumerate(saved["fields"]):
        for k, level in enumerate(field["levels"]):
            assert model.m[f][k] == pytest.approx(level["m"])
            assert model.u[f][k] == pytest.approx(level["u"])
            assert math.isfinite(level["weight"])
    assert saved["fit"]["candidate_pairs"] >= 1
    assert FSModel.from_dict(model.to_dict(), FIELDS).to_dict()["fields"] == saved["fields"]
