"""``dedupe_records``: a party list clusters as the same parties would on shipments."""

from __future__ import annotations

import pytest

from graphintel.model import Role
from graphintel.records import PartyRecord
from graphintel.resolve.dedupe import dedupe_records

PHONE = "+86 138 0013 8000"


def _clusters(records: list[PartyRecord], role: Role = Role.SHIPPER) -> dict[str, str]:
    return {r.record_id: r.cluster_id for r in dedupe_records(records, role).rows}


def test_spellings_of_one_company_cluster_and_a_lookalike_stays_apart() -> None:
    records = [
        PartyRecord("Shenzhen Huayu Trading Co., Ltd.", city="Shenzhen", country="CN",
                    phone=PHONE, record_id="b"),
        PartyRecord("SHENZHEN HUAYU TRADING COMPANY LIMITED", city="Shenzhen",
                    country="China", phone="0086 13800138000", record_id="a"),
        PartyRecord("Shenzhen Huaxin Trading Co Ltd", city="Shenzhen", country="CN",
                    phone=PHONE, record_id="c"),
    ]  # fmt: skip
    found = _clusters(records)
    assert found["a"] == found["b"] == "a"  # the cluster id is its smallest record id
    assert found["c"] == "c"


def test_rows_keep_input_order_and_explain_their_link() -> None:
    records = [
        PartyRecord("Carlos Muñoz", "400 Pine Rd Unit 7", "Austin", "TX", "73301", "US",
                    email="cmunoz@example.com", record_id="2"),
        PartyRecord("CARLOS MUNOZ", "400 Pine Road #7", "Austin", "TX", "73301", "US",
                    email="CMunoz@example.com", record_id="1"),
        PartyRecord("Mary Smith", "400 Pine Rd Unit 7", "Austin", "TX", "73301", "US",
                    email="mary@example.com", record_id="3"),
    ]  # fmt: skip
    result = dedupe_records(records, Role.CONSIGNEE)
    assert [r.record_id for r in result.rows] == ["2", "1", "3"]
    first, second, third = result.rows
    assert first.cluster_id == second.cluster_id == "1" and first.cluster_size == 2
    assert {first.matched_to, second.matched_to} == {"1", "2"}
    assert first.score is not None and first.score > 0
    assert third.cluster_id == "3" and third.cluster_size == 1 and third.score is None
    assert result.clusters == 2 and result.records == 3


def test_identical_records_say_so() -> None:
    records = [
        PartyRecord("Acme Imports LLC", phone="+1 562 555 0100", country="US", record_id="x1"),
        PartyRecord("ACME IMPORTS, L.L.C.", phone="+15625550100", country="US", record_id="x2"),
    ]
    rows = {r.record_id: r for r in dedupe_records(records).rows}
    assert rows["x2"].cluster_id == "x1"
    assert "identical after normalization" in rows["x2"].explanation


@pytest.mark.parametrize("bad", ["", "   ", "😀😀", "-", "!!!"])
def test_a_name_without_letters_never_merges_even_on_a_shared_phone(bad: str) -> None:
    records = [
        PartyRecord(bad, phone=PHONE, country="CN", record_id="1"),
        PartyRecord(bad, phone=PHONE, country="CN", record_id="2"),
        PartyRecord("Huayu Trading", phone=PHONE, country="CN", record_id="3"),
    ]
    result = dedupe_records(records)
    assert {r.record_id: r.cluster_id for r in result.rows} == {"1": "1", "2": "2", "3": "3"}
    assert set(result.unresolved) == {"1", "2"}


def test_sellers_cluster_on_their_marketplace_account() -> None:
    records = [
        PartyRecord("BestDeals Store", seller_id="A1B2C3", marketplace="Amazon", record_id="s1"),
        PartyRecord(
            "Best Deals Store Official", seller_id="A1B2C3", marketplace="Amazon", record_id="s2"
        ),
        PartyRecord("BestDeals Store", seller_id="Z9Y8", marketplace="eBay", record_id="s3"),
    ]
    found = _clusters(records, Role.SELLER)
    assert found["s1"] == found["s2"] != found["s3"]


def test_a_repeated_record_id_is_refused() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        dedupe_records([PartyRecord("Acme", record_id="1"), PartyRecord("Acme Two", record_id="1")])


def test_normalizing_in_worker_processes_gives_the_same_clusters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import graphintel.resolve.dedupe as dedupe

    monkeypatch.setattr(dedupe, "PARALLEL_MIN_RECORDS", 0)
    monkeypatch.setattr(dedupe, "_CHUNK", 40)
    cities = ["Shenzhen", "Yiwu", "Ningbo"]
    records = [
        PartyRecord(
            f"{cities[i % 3]} {['Huayu', 'Lianfa', 'Xinda'][i % 3]} Trading"
            + [" Co., Ltd.", " Company Limited", ""][(i // 3) % 3],
            city=cities[i % 3],
            country="CN",
            phone=f"+86 138 0013 80{i % 7:02d}",
            record_id=f"r{i:03d}",
        )
        for i in range(150)
    ]
    serial = dedupe_records(records, workers=1)
    parallel = dedupe_records(records, workers=2)
    assert parallel == serial
    assert serial.clusters < len(records)


def test_without_explanations_the_clusters_are_the_same_and_rows_carry_no_link() -> None:
    records = [
        PartyRecord("Shenzhen Huayu Trading Co., Ltd.", country="CN", phone=PHONE, record_id="a"),
        PartyRecord("Huayu Trading Company Limited", country="CN", phone=PHONE, record_id="b"),
        PartyRecord("Shenzhen Huayu Trading Co., Ltd.", country="CN", phone=PHONE, record_id="c"),
        PartyRecord("Lianfa Imports", country="CN", record_id="d"),
    ]
    explained = dedupe_records(records)
    bare = dedupe_records(records, explain=False)
    assert [(r.record_id, r.cluster_id, r.cluster_size) for r in bare.rows] == [
        (r.record_id, r.cluster_id, r.cluster_size) for r in explained.rows
    ]
    assert explained.rows[1].explanation and explained.rows[1].matched_to
    assert all(not r.explanation and not r.matched_to and r.score is None for r in bare.rows)


def test_workers_are_forked_only_while_this_process_runs_one_thread() -> None:
    import sys
    import threading

    from graphintel.resolve.parallel import pool_context

    if threading.active_count() == 1:  # other tests of this worker may have left threads
        assert pool_context().get_start_method() == ("fork" if sys.platform == "linux" else "spawn")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert pool_context().get_start_method() == "spawn"
    finally:
        release.set()
        other.join()
