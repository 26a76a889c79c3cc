"""Spellings an independent generator showed the resolver splitting, and the guards beside them.

Measured with ``benchmarks/er_devset_bench.py --worst``: a company written with two of its
words run together by a typo'd space ("Yidajdingxin"), a distinctive word mistyped into a
city's name ("Juizhou" ~ Huizhou, then set aside as a place), a word two typos deep, a
consignee whose middle initial changes between mentions, a nickname with a typo. Each is
one party when strong identifiers agree, and the merge evidence says which case it was; the
guards are the cases that must stay apart: different companies over one drop address, the
same trade name at two addresses, namesakes and a household.
"""

from __future__ import annotations

from graphintel.resolve import resolve_store
from graphintel.resolve.explain import explain_pair
from graphintel.store import GraphStore
from tests.resolve.helpers import entities, load, ship

YIDA = {
    "shipper_country": "CN",
    "shipper_city": "Hangzhou",
    "shipper_address": "No. 54 Binhe Ave",
    "shipper_phone": "+86 175 7857 1503",
    "shipper_email": "yidadingxintrade@qq.com",
}
HOME = {"consignee_address": "1721 Spring Ct", "consignee_postal_code": "19104",
        "consignee_phone": "215-996-5991"}  # fmt: skip


def _name_rules(store: GraphStore, entity: str) -> set[str]:
    return {r.rule for r in store.merge_evidence(entity) if r.field == "name"}


def _shippers(store: GraphStore, names: list[str], **fields: str) -> list[str]:
    rows = [ship(f"S{n}", shipper_name=name, **fields) for n, name in enumerate(names, 1)]
    load(store, rows)
    resolve_store(store)
    return [r.shipment_id for r in rows]


def test_two_words_run_together_by_a_typo_are_one_shipper_and_say_so(store: GraphStore) -> None:
    names = ["Hangzhou Yida Dingxin E-Commerce Co Ltd"] * 3 + [
        "Yida Dingxin E-Commerce Ltd", "Hangzhou Yidajdingxin E-Commerce Co., Ltd.",
        "yidardingxin e-commerce ltd", "Yida Dingixn E-Commerce Co Ltd",
    ]  # fmt: skip
    ids = _shippers(store, names, **YIDA)
    (entity,) = entities(store, "shipper", ids)
    assert "fellegi_sunter:words_joined" in _name_rules(store, entity)


def test_a_name_mistyped_into_a_city_name_is_not_set_aside(store: GraphStore) -> None:
    """ "Juizhou" is one edit from the city Huizhou; it is the company's "Jiuzhou" mistyped."""
    names = ["Tianjin Jiuzhou Commerce Co Ltd"] * 3 + [
        "Jiuzhou Commerce Co Ltd", "Tianjin Juizhou Commerce Co Ltd", "Jiuhzou Commerce Ltd",
        "Juizhou Commerce Co., Ltd.",
    ]  # fmt: skip
    ids = _shippers(store, names, **{**YIDA, "shipper_city": "Tianjin"})
    assert len(entities(store, "shipper", ids)) == 1


def test_two_typos_in_a_long_word_need_two_identifiers(store: GraphStore) -> None:
    load(store, [
        ship("S1", shipper_name="Jiuzhou Chemical Co Ltd", **YIDA),
        ship("S2", shipper_name="Juizhuo Chemical Co Ltd", **YIDA),
        # the same two spellings sharing only an address
        ship("S3", shipper_name="Jiuzhou Chemical Co Ltd", shipper_country="CN",
             shipper_address="No. 91 Xinhua St Unit 2", shipper_city="Ningbo"),
        ship("S4", shipper_name="Juizhuo Chemical Co Ltd", shipper_country="CN",
             shipper_address="No. 91 Xinhua St Unit 2", shipper_city="Ningbo"),
    ])  # fmt: skip
    resolve_store(store)
    (entity,) = entities(store, "shipper", ["S1", "S2"])
    assert "fellegi_sunter:typos" in _name_rules(store, entity)
    assert len(entities(store, "shipper", ["S3", "S4"])) == 2


def test_identity_churn_over_one_drop_address_stays_apart(store: GraphStore) -> None:
    """Different companies rotated over one address, phone and e-mail: a ring, not a typo."""
    names = [
        "Chengdu Fengyuan Hengda Technology Co Ltd",
        "Chengdu Guangming Haoyu Technology Ltd",
        "Huayu Trading Co Ltd",
        "Haoyu Trading Co Ltd",
        "Jiahe Baoli Biotechnology Ltd",
    ]
    ids = _shippers(store, names, **YIDA)
    assert len(entities(store, "shipper", ids)) == len(names)


def test_one_trade_name_at_two_addresses_with_nothing_in_common_is_two_companies(
    store: GraphStore,
) -> None:
    wuhan = {"shipper_country": "CN", "shipper_city": "Wuhan"}
    load(store, [
        ship("S1", shipper_name="Wuhan Jinhai Industrial Co Ltd", shipper_email="jinhai19@qq.com",
             shipper_address="No. 502 Renmin Rd Unit 3", **wuhan),
        ship("S2", shipper_name="WUHAN JINHAI INDUSTRIAL LTD",
             shipper_address="No. 338 Jianshe Rd Unit 12", **wuhan),
        # one company at two warehouses: its phone is at both
        ship("S3", shipper_name="Wuhan Fuda Chemical Co Ltd", shipper_phone="+86 138 8410 9652",
             shipper_address="No. 1 Renmin Rd", **wuhan),
        ship("S4", shipper_name="Wuhan Fuda Chemical Ltd", shipper_phone="+86 138 8410 9652",
             shipper_address="No. 77 Jianshe Rd", **wuhan),
    ])  # fmt: skip
    resolve_store(store)
    assert len(entities(store, "shipper", ["S1", "S2"])) == 2
    assert len(entities(store, "shipper", ["S3", "S4"])) == 1


def test_a_middle_initial_that_changes_is_one_person_on_strong_evidence(
    store: GraphStore,
) -> None:
    email = {"consignee_email": "susan.long@gmail.com"}
    load(store, [
        ship("S1", consignee_name="Susan L Long", **HOME, **email),
        ship("S2", consignee_name="Susan R Long", **HOME, **email),
        # namesakes of one household: address and phone, no e-mail in common
        ship("S3", consignee_name="John A Smith", consignee_address="8 Oak Way",
             consignee_postal_code="30301", consignee_phone="404-555-0101"),
        ship("S4", consignee_name="John B Smith", consignee_address="8 Oak Way",
             consignee_postal_code="30301", consignee_phone="404-555-0101"),
    ])  # fmt: skip
    resolve_store(store)
    (entity,) = entities(store, "consignee", ["S1", "S2"])
    assert _name_rules(store, entity) == {"fellegi_sunter:middle_initial_differs"}
    assert len(entities(store, "consignee", ["S3", "S4"])) == 2
    why_not = explain_pair(store, "S3#consignee", "S4#consignee")
    assert "middle initials differ" in why_not.name_note and not why_not.merges


def test_a_mistyped_nickname_and_a_typo_in_each_word(store: GraphStore) -> None:
    email = {"consignee_email": "rlong@yahoo.com"}
    load(store, [
        ship("S1", consignee_name="Rebecca Long", **HOME, **email),
        ship("S2", consignee_name="Beecky Long", **HOME, **email),
        ship("S3", consignee_name="Bryan Palmer", consignee_email="bryan.palmer@outlook.com",
             consignee_address="4308 Jackson Ave", consignee_postal_code="40202",
             consignee_phone="502-235-2896"),
        ship("S4", consignee_name="Bran Palemr", consignee_email="bryan.palmer@outlook.com",
             consignee_address="4308 Jackson Ave", consignee_postal_code="40202",
             consignee_phone="502-235-2896"),
    ])  # fmt: skip
    resolve_store(store)
    (becky,) = entities(store, "consignee", ["S1", "S2"])
    assert _name_rules(store, becky) == {"fellegi_sunter:nickname_and_typo"}
    assert len(entities(store, "consignee", ["S3", "S4"])) == 1


def test_a_name_without_initial_does_not_bridge_two_middle_initials(store: GraphStore) -> None:
    """Father and son at one address: "Frank Mitchell" is like both, they are not alike."""
    mill = {"consignee_address": "1666 Mill Ct", "consignee_postal_code": "43004"}
    load(store, [
        ship("S1", consignee_name="Frank L. Mitchell", consignee_phone="614-542-6667",
             consignee_email="mitchell.frank8@hotmail.com", **mill),
        ship("S2", consignee_name="Frank L. Mitchell", consignee_phone="614-542-6667", **mill),
        ship("S3", consignee_name="Frank Mitchell", consignee_phone="614-542-6667", **mill),
        ship("S4", consignee_name="Frank G. Mitchell", consignee_phone="213-679-1530", **mill),
        ship("S5", consignee_name="Frank G. Mitchell", **mill),
        ship("S6", consignee_name="Frank Mitchell", **mill),
    ])  # fmt: skip
    resolve_store(store)
    assert len(entities(store, "consignee", ["S1", "S4"])) == 2
