"""Declarative word tables for company names: places, generic trade words, abbreviations.

A company is written with or without its city or province ("Dongguan Fuda Chemical" /
"Fuda Chemical"), with or without a generic trade word ("Huayu Trading" / "Huayu"), with
abbreviations ("Intl", "Tech", "Imp & Exp") and with its Pinyin split or joined ("Shen Zhen" /
"Shenzhen"). These tables name the words that can be set aside when two spellings are
compared; what is left (the distinctive core) must agree. Words are lower-case, folded,
as ``normalize.text.tokens`` yields them. Place names are written joined ("hongkong"):
``name_compare`` joins split spellings before looking them up.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Chinese provinces, province-level cities and the prefecture-level cities and trading
# towns that manifests name most, in Hanyu Pinyin without tone marks or spaces.
CHINESE_PLACES: frozenset[str] = _words(
    """
    anhui beijing chongqing fujian gansu guangdong guangxi guizhou hainan hebei heilongjiang
    henan hubei hunan jiangsu jiangxi jilin liaoning neimenggu innermongolia ningxia qinghai
    shaanxi shandong shanghai shanxi sichuan tianjin xinjiang xizang tibet yunnan zhejiang
    hongkong xianggang macau macao aomen taiwan taipei
    shenzhen guangzhou dongguan foshan zhongshan zhuhai huizhou jiangmen shantou chaozhou
    jieyang zhaoqing qingyuan shaoguan meizhou maoming zhanjiang yangjiang shanwei heyuan
    yunfu hangzhou ningbo wenzhou yiwu jinhua shaoxing taizhou jiaxing huzhou quzhou
    lishui zhoushan suzhou wuxi changzhou nanjing nantong yangzhou zhenjiang xuzhou
    yancheng lianyungang huaian suqian kunshan jiangyin zhangjiagang changshu taicang
    xiamen fuzhou quanzhou putian zhangzhou jinjiang shishi longyan sanming nanping ningde
    qingdao jinan yantai weifang zibo linyi weihai rizhao dezhou liaocheng heze jining
    zaozhuang dongying binzhou taian wuhan changsha zhuzhou xiangtan hengyang yueyang
    chengdu mianyang deyang zigong leshan yibin luzhou nanchong kunming guiyang nanning
    liuzhou guilin beihai haikou sanya zhengzhou luoyang kaifeng xinxiang nanyang
    anyang shijiazhuang baoding tangshan langfang cangzhou handan xingtai hefei wuhu
    bengbu anqing nanchang ganzhou jiujiang jingdezhen shenyang dalian anshan fushun
    changchun harbin daqing hohhot baotou taiyuan datong xian xianyang baoji lanzhou
    xining yinchuan urumqi lhasa kashgar
    """
)

# Countries and regions that company names carry as a word.
COUNTRY_WORDS: frozenset[str] = _words(
    """
    china chinese hk usa america american us uk britain british england english vietnam
    thailand malaysia singapore korea japan india indonesia philippines germany france
    italy spain turkey mexico canada australia asia asian pacific europe european
    unitedkingdom unitedstates newzealand southkorea srilanka pakistan bangladesh taiwan
    """
)

# Words that say where or what kind of business, not which one: set aside when one
# spelling has them and the other does not.
GENERIC_WORDS: frozenset[str] = _words(
    """
    and the of trading trade traders technology technologies international import export
    importer exporter imports exports industrial industry industries group holding
    holdings enterprise enterprises commerce commercial ecommerce development developing
    manufacturing manufacturer manufacture products product supply supplies chain global
    worldwide service services science sciences shop store stores factory city province
    electronic electrical network digital
    """
)

# Abbreviations read as the word they stand for (compared after this expansion).
ABBREVIATIONS: dict[str, str] = {
    "intl": "international",
    "tech": "technology",
    "techn": "technology",
    "technol": "technology",
    "sci": "science",
    "biotech": "biotechnology",
    "prod": "products",
    "prods": "products",
    "imp": "import",
    "exp": "export",
    "impexp": "import export",
    "trd": "trading",
    "trdg": "trading",
    "tradg": "trading",
    "trade": "trading",
    "mfg": "manufacturing",
    "mfr": "manufacturer",
    "manuf": "manufacturing",
    "ind": "industrial",
    "indl": "industrial",
    "inds": "industries",
    "ent": "enterprise",
    "grp": "group",
    "hldgs": "holdings",
    "elec": "electronic",
    "electr": "electronic",
    "electronics": "electronic",
    "svc": "service",
    "svcs": "services",
    "dev": "development",
    "hk": "hongkong",
    "sz": "shenzhen",
    "gz": "guangzhou",
    "dg": "dongguan",
}

PLACE_WORDS: frozenset[str] = CHINESE_PLACES | COUNTRY_WORDS | {"hongkong"}
SET_ASIDE_WORDS: frozenset[str] = PLACE_WORDS | GENERIC_WORDS
