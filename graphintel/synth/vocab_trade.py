"""Word lists for synthetic shippers, sellers, marketplaces, carriers and ports.

Plain data. Company names are romanized Chinese brand syllables ("Huayu") or English words
for non-Chinese shippers; legal forms come in families of spellings that one company uses
interchangeably on its labels.
"""

from __future__ import annotations

from graphintel.synth.vocab_people import words

SYLLABLES: tuple[str, ...] = words(
    """
    Hua Yu Jin Xin Heng Da Tian Rui Hao Yun Sheng Long Feng Kai Mei Jia Bao Fu Guang Ming
    Hong Tai Xiang Yi Chang Rong Shun Wei Zhi Cheng Hui Lian Teng Yao Kang Le Nuo Qi Sen
    Tong Wan Xu Yuan Zhong An Bo Chuang De Ji Lan
    """
)

ENGLISH_BRANDS: tuple[str, ...] = words(
    """
    Bright Star Global Prime Sun Blue Ocean Golden Eagle Royal Silver Green Leaf Sky Nova
    Apex Summit Crown Delta Omega Zenith Orion Vista Peak Coral Falcon Harbor Maple Unity
    Pioneer Vertex Titan Lotus Jade Pearl Amber
    """
)

# Legal-form families; index 0 is the spelling a company registers, the rest are how its
# labels and forwarders write it.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("Co., Ltd.", "CO LTD", "Company Limited", "Co.,Ltd", "Co. Ltd", "CO.,LTD."),  # 0 CN
    ("Limited", "Ltd", "Ltd.", "LIMITED"),  # 1 HK
    ("Inc.", "Inc", "Incorporated", "INC"),  # 2 US corporation
    ("LLC", "L.L.C.", "Llc"),  # 3 US LLC
    ("Pvt. Ltd.", "Private Limited", "Pvt Ltd"),  # 4 IN
    ("Ltd", "Limited", "Ltd."),  # 5 GB
    ("Ltd. Sti.", "Limited Sirketi", "LTD STI"),  # 6 TR
    ("GmbH", "Gmbh", "G.m.b.H."),  # 7 DE
)
CN_LTD, HK_LTD, US_INC, US_LLC, IN_PVT, GB_LTD, TR_LTD, DE_GMBH = range(8)

# (ISO code, country names as written, cities, legal families, phone country code, weight)
COUNTRIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[int, ...], str, float], ...] = (
    ("CN", ("China", "CHINA"), (), (CN_LTD,), "86", 0.74),
    (
        "HK",
        ("Hong Kong", "HONG KONG"),
        ("Hong Kong", "Kowloon", "Kwun Tong", "Tsuen Wan"),
        (HK_LTD,),
        "852",
        0.12,
    ),
    ("VN", ("Vietnam", "Viet Nam"), ("Ho Chi Minh City", "Hanoi"), (CN_LTD,), "84", 0.03),
    ("IN", ("India", "INDIA"), ("Mumbai", "New Delhi", "Surat"), (IN_PVT,), "91", 0.02),
    ("TR", ("Turkey", "Turkiye"), ("Istanbul", "Izmir"), (TR_LTD,), "90", 0.01),
    ("GB", ("United Kingdom", "UK"), ("London", "Manchester"), (GB_LTD,), "44", 0.015),
    (
        "US",
        ("United States", "USA"),
        ("Los Angeles", "Ontario", "Miami"),
        (US_INC, US_LLC),
        "1",
        0.02,
    ),
    ("KR", ("South Korea", "Korea"), ("Seoul", "Incheon"), (CN_LTD,), "82", 0.015),
    ("TW", ("Taiwan", "TAIWAN"), ("Taipei", "Taichung"), (CN_LTD,), "886", 0.015),
    ("TH", ("Thailand", "THAILAND"), ("Bangkok",), (CN_LTD,), "66", 0.01),
    ("DE", ("Germany", "Deutschland"), ("Hamburg", "Frankfurt"), (DE_GMBH,), "49", 0.005),
)
CN, HK = 0, 1

# Mainland cities with their landline area codes.
CN_CITIES: tuple[tuple[str, str], ...] = (
    ("Shenzhen", "755"),
    ("Guangzhou", "20"),
    ("Dongguan", "769"),
    ("Foshan", "757"),
    ("Yiwu", "579"),
    ("Ningbo", "574"),
    ("Hangzhou", "571"),
    ("Shanghai", "21"),
    ("Xiamen", "592"),
    ("Suzhou", "512"),
    ("Quanzhou", "595"),
    ("Wuhan", "27"),
    ("Tianjin", "22"),
    ("Shijiazhuang", "311"),
    ("Zhengzhou", "371"),
    ("Jinan", "531"),
    ("Hefei", "551"),
    ("Changsha", "731"),
)
CN_CITY_WEIGHTS: tuple[float, ...] = (
    0.30,
    0.14,
    0.08,
    0.05,
    0.10,
    0.05,
    0.06,
    0.06,
    0.03,
    0.03,
    0.02,
    0.015,
    0.015,
    0.01,
    0.01,
    0.01,
    0.01,
    0.01,
)
CN_DISTRICTS: tuple[str, ...] = words(
    """
    Nanshan Baoan Longgang Futian Luohu Longhua Baiyun Tianhe Panyu Huadu Haizhu Nancheng
    Chancheng Xihu Binjiang Yinzhou Jiangbei Huli Siming Wuzhong Jiangan Hongshan Binhai
    Changan Xiaoshan Yuhang
    """
)
CN_ROADS: tuple[str, ...] = words(
    """
    Keyuan Shennan Binhe Jiefang Renmin Zhongshan Huaqiang Xinhua Jianshe Xueyuan Gongye
    Heping Dongfeng Yingbin Chuangye Qianjin Wenhua Fuqiang Jinqiao Huanshi Tiyu Kejiyuan
    Baoshi Chunfeng Xingye
    """
)
HK_ROADS: tuple[str, ...] = (
    "Hoi Bun",
    "Wai Yip",
    "Hung To",
    "Nathan",
    "Castle Peak",
    "Sha Tsui",
    "Kwai Fung",
    "How Ming",
    "Lai Chi Kok",
    "Tsun Yip",
)
OTHER_STREETS: tuple[str, ...] = (
    "Industrial",
    "Commerce",
    "Market",
    "Station",
    "Harbour",
    "Park",
    "Bridge",
    "Mill",
)

INDUSTRIES: tuple[str, ...] = (
    "Trading",
    "Technology",
    "Electronics",
    "Import and Export",
    "E-commerce",
    "Garment",
    "Cosmetics",
    "Household Products",
    "Industrial",
    "Hardware",
    "Toys",
    "Bags",
    "Jewelry",
    "Sporting Goods",
    "Lighting",
    "Chemical",
    "Biotechnology",
    "Machinery",
    "New Material",
    "Mold",
    "Pharmaceutical Technology",
)
# Legit shippers rarely trade chemicals or machinery; ring fronts usually do.
LEGIT_INDUSTRY_WEIGHTS: tuple[float, ...] = (
    18,
    14,
    12,
    10,
    8,
    6,
    5,
    5,
    4,
    4,
    3,
    3,
    3,
    2,
    2,
    0.8,
    0.6,
    1.2,
    0.6,
    0.5,
    0.3,
)
RING_INDUSTRY_WEIGHTS: tuple[float, ...] = (
    4,
    3,
    0,
    3,
    0,
    0,
    0,
    0,
    2,
    0,
    0,
    0,
    0,
    0,
    0,
    8,
    6,
    5,
    3,
    3,
    4,
)
CONSOLIDATOR_INDUSTRIES: tuple[str, ...] = (
    "International Logistics",
    "Supply Chain Management",
    "Cross-Border Logistics",
    "International Freight Forwarding",
    "Express Logistics",
)

SELLER_TEMPLATES: tuple[str, ...] = (
    "{} Official Store",
    "{} Store",
    "{}Direct",
    "{} Mall",
    "{} Flagship Store",
    "{}Home",
    "{} Outlet",
    "{}Shop",
)

# (name, seller-id prefix, customer-service hotline: a mainland 400 number)
MARKETPLACES: tuple[tuple[str, str, str], ...] = (
    ("ShopNest", "SN", "4008207319"),
    ("DragonMart", "DM", "4006812250"),
    ("BuyGlobe", "BG", "4009203388"),
    ("TrendBay", "TB", "4001186622"),
)
MARKETPLACE_WEIGHTS: tuple[float, ...] = (0.45, 0.25, 0.18, 0.12)

# (carrier, mode, share of parcels, master-bill prefix)
CARRIERS: tuple[tuple[str, str, float, str], ...] = (
    ("DHL", "air", 0.14, "615"),
    ("FedEx", "air", 0.09, "023"),
    ("UPS", "air", 0.07, "406"),
    ("USPS", "mail", 0.33, ""),
    ("YunExpress", "air", 0.18, "784"),
    ("4PX", "air", 0.10, "999"),
    ("Cainiao", "air", 0.08, "160"),
    ("Maersk", "vessel", 0.01, "MAEU"),
)
USPS = 3

# (CBP port code, share)
PORTS: tuple[tuple[str, float], ...] = (
    ("4701", 0.22),
    ("2720", 0.20),
    ("3901", 0.11),
    ("5206", 0.09),
    ("2801", 0.08),
    ("1704", 0.06),
    ("5501", 0.08),
    ("3029", 0.06),
    ("4601", 0.09),
)

ENTRY_FILERS: tuple[str, ...] = ("EBX", "K2L", "9QA", "DH7", "FXE", "UP3", "CN8", "M5T")

COMPANY_EMAIL_LOCALS: tuple[str, ...] = ("sales", "info", "service", "export", "admin", "trade")
