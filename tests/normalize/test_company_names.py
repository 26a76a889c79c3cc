import pytest

from graphintel.normalize import (
    is_company_name,
    name_key,
    normalize_company_name,
    normalize_party_name,
)

CORE = "shenzhen huaxin trading"


@pytest.mark.parametrize(
    ("raw", "core", "legal_form"),
    [
        ("Shenzhen Huaxin Trading Co., Ltd.", CORE, "co ltd"),
        ("Shenzhen Huaxin Trading Co.,Ltd", CORE, "co ltd"),
        ("SHENZHEN HUAXIN TRADING CO.,LTD.", CORE, "co ltd"),
        ("Shenzhen Huaxin Trading Company Limited", CORE, "company limited"),
        ("Shenzhen Huaxin Trading Limited", CORE, "limited"),
        ("Shenzhen Huaxin Trading Ltd", CORE, "ltd"),
        ("Shenzhen Huaxin Trading Youxian Gongsi", CORE, "youxian gongsi"),
        ("Shenzhen Huaxin Trading You Xian Gong Si", CORE, "you xian gong si"),
        ("Shenzhen Huaxin Trading", CORE, ""),
        ("Acme Widgets, LLC", "acme widgets", "llc"),
        ("Acme Widgets L.L.C.", "acme widgets", "l l c"),
        ("Acme Widgets Inc.", "acme widgets", "inc"),
        ("Acme Widgets Incorporated", "acme widgets", "incorporated"),
        ("Acme Widgets Corp", "acme widgets", "corp"),
        ("Acme Widgets Corporation", "acme widgets", "corporation"),
        ("Müller Chemie GmbH", "muller chemie", "gmbh"),
        ("Müller Chemie GmbH & Co. KG", "muller chemie", "gmbh and co kg"),
        ("Müller Chemie G.m.b.H.", "muller chemie", "g m b h"),
        ("Global Pharma Pte. Ltd.", "global pharma", "pte ltd"),
        ("Global Pharma Pvt. Ltd.", "global pharma", "pvt ltd"),
        ("Global Pharma Private Limited", "global pharma", "private limited"),
        ("Anadolu Tekstil Ltd. Sti.", "anadolu tekstil", "ltd sti"),
        ("Anadolu Tekstil Limited Sirketi", "anadolu tekstil", "limited sirketi"),
        ("Importadora del Norte S.A. de C.V.", "importadora del norte", "s a de c v"),
        ("The Acme Company", "acme", "company"),
        ("A & B Supplies Co", "a and b supplies", "co"),
        ("Silver Lotus Bags Co., td.", "silver lotus bags", "co ltd"),  # mistyped forms
        ("Xiamen Lanyao Toys Co., tLd.", "xiamen lanyao toys", "co ltd"),
        ("Tengbo E-commerce oC., Ltd.", "tengbo e commerce", "co ltd"),
        ("Tengbo E-commerce C., Ltd.", "tengbo e commerce", "co ltd"),
        ("Jiwei E-commerce Liimted", "jiwei e commerce", "limited"),
        ("HONG KONG LEYAO MOLD LIMITTED", "hong kong leyao mold", "limited"),
        ("Yiwu Jinbo Compant", "yiwu jinbo", "company"),
        ("Foshan Guanglan Bags CO.,LUD.", "foshan guanglan bags", "co ltd"),
        ("Baokai Freight Co., Etd.", "baokai freight", "co ltd"),
        ("Foshan Anhao Trading CT LTD", "foshan anhao trading", "co ltd"),
        ("Foshan Anhao Trading co lnd", "foshan anhao trading", "co ltd"),
        ("Jin Bo Ltd", "jin bo", "ltd"),  # "Bo" is a name word, not a mistyped "Co"
        ("Sarah B Cox", "sarah b cox", ""),  # nor is "Cox" after an initial
        ("Hua Ind", "hua ind", ""),
        ("Ltd", "ltd", ""),  # never strip a name down to nothing
        ("Limited Co", "limited", "co"),
    ],
)
def test_normalize_company_name(raw: str, core: str, legal_form: str) -> None:
    name = normalize_company_name(raw)
    assert (name.core, name.legal_form) == (core, legal_form)
    assert name.key == name_key(core)


def test_company_key_ignores_word_order() -> None:
    assert (
        normalize_company_name("Huaxin Shenzhen Trading Ltd").key
        == normalize_company_name("Shenzhen Huaxin Trading Co., Ltd.").key
    )


@pytest.mark.parametrize(
    ("normalized", "key"),
    [("wei li", "li wei"), ("li wei", "li wei"), ("", ""), ("b a a", "a a b")],
)
def test_name_key(normalized: str, key: str) -> None:
    assert name_key(normalized) == key


@pytest.mark.parametrize(
    ("raw", "normalized", "is_company"),
    [
        ("Shenzhen Huaxin Trading Co., Ltd.", CORE, True),
        ("Huaxin Trading", "huaxin trading", True),
        ("Yiwu Keji", "yiwu keji", True),
        ("SMITH, John", "john smith", False),
        ("Maria Sa", "maria sa", False),  # "SA" is a legal form only on a company name
        ("Li Wei", "li wei", False),
    ],
)
def test_normalize_party_name(raw: str, normalized: str, is_company: bool) -> None:
    party = normalize_party_name(raw)
    assert (party.normalized, party.is_company) == (normalized, is_company)
    assert party.key == name_key(normalized)
    assert is_company_name(raw) == is_company


@pytest.mark.parametrize(
    ("raw", "normalized", "is_company"),
    [
        ("Thanh Co", "thanh co", False),
        ("SARAH B COX", "sarah b cox", False),
        ("Karen D Hu", "karen d hu", False),
        ("Acme Widgets Co", "acme widgets", True),
        ("Acme S.A.", "acme", True),
        ("Acme Ltd", "acme", True),
    ],
)
def test_short_legal_forms_need_two_core_words(raw: str, normalized: str, is_company: bool) -> None:
    party = normalize_party_name(raw)
    assert (party.normalized, party.is_company) == (normalized, is_company)


@pytest.mark.parametrize(
    ("raw", "core", "legal_form"),
    [  # forms only cleanco's world-wide table knows
        ("Nordic Trading ApS", "nordic trading", "aps"),
        ("Acme Handels BVBA", "acme handels", "bvba"),
        ("Global Trade SARL", "global trade", "sarl"),
        ("Vostok Trading OOO", "vostok trading", "ooo"),
        ("Smith Legal PLLC", "smith legal", "pllc"),
        ("Shenzhen Huaxin Trading Gufen Youxian Gongsi", CORE, "gufen youxian gongsi"),
    ],
)
def test_cleanco_legal_forms(raw: str, core: str, legal_form: str) -> None:
    company = normalize_company_name(raw)
    assert (company.core, company.legal_form) == (core, legal_form)


@pytest.mark.parametrize(
    ("raw", "normalized", "is_company"),
    [
        ("Acme Handels BVBA", "acme handels", True),  # a long cleanco form marks a company
        ("Nordic Trading ApS", "nordic trading", True),
        ("Jean Coop", "jean coop", False),  # a surname, not a cooperative
        ("Maria Da", "maria da", False),  # cleanco's short forms are names' particles too
        ("Ana Spa", "ana spa", False),
    ],
)
def test_cleanco_forms_and_persons(raw: str, normalized: str, is_company: bool) -> None:
    party = normalize_party_name(raw)
    assert (party.normalized, party.is_company) == (normalized, is_company)
