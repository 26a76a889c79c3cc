"""Word lists for the independent generator (declarative tables only).

Written from general knowledge of cross-border e-commerce manifests, not from
``graphintel.synth``'s vocabulary, so the two generators do not share their spellings.
"""

from __future__ import annotations

# Pinyin syllables that recur in Chinese company trade names.
SYLLABLES: tuple[str, ...] = (
    "an", "bao", "bo", "cai", "chang", "chen", "cheng", "chuang", "da", "de", "ding", "dong",
    "fa", "feng", "fu", "gao", "guang", "hai", "hang", "hao", "heng", "hong", "hua", "hui",
    "jia", "jie", "jin", "jing", "jiu", "jun", "kai", "kang", "ke", "lan", "le", "li", "lian",
    "long", "lu", "mao", "mei", "ming", "mu", "nan", "ou", "pu", "qi", "qing", "quan", "rong",
    "rui", "run", "sai", "sen", "shan", "sheng", "shun", "tai", "tian", "tong", "tuo", "wan",
    "wei", "xiang", "xin", "xing", "xu", "yang", "yao", "yi", "ying", "you", "yu", "yuan",
    "zhi", "zhong", "zhou", "zi",
)  # fmt: skip

# (city, province or "", landline area code, districts, road names)
CN_PLACES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Shenzhen", "Guangdong", "755", ("Nanshan", "Futian", "Longgang", "Bao'an", "Longhua"),
     ("Keji", "Shennan", "Minzhi", "Bantian", "Xixiang", "Huaqiang")),
    ("Guangzhou", "Guangdong", "20", ("Baiyun", "Panyu", "Tianhe", "Huadu"),
     ("Huangpu", "Jiefang", "Zhongshan", "Dongfeng", "Jichang")),
    ("Dongguan", "Guangdong", "769", ("Chang'an", "Humen", "Houjie", "Tangxia"),
     ("Dongcheng", "Xinji", "Changqing", "Guantai")),
    ("Foshan", "Guangdong", "757", ("Nanhai", "Shunde", "Chancheng"), ("Jihua", "Fenjiang")),
    ("Shantou", "Guangdong", "754", ("Chenghai", "Longhu"), ("Jinsha", "Changping")),
    ("Yiwu", "Zhejiang", "579", ("Choujiang", "Futian", "Beiyuan"),
     ("Chouzhou", "Jiangbin", "Xuefeng", "Binwang")),
    ("Hangzhou", "Zhejiang", "571", ("Xiaoshan", "Yuhang", "Binjiang"),
     ("Wensan", "Jianghui", "Moganshan")),
    ("Ningbo", "Zhejiang", "574", ("Yinzhou", "Beilun", "Jiangbei"), ("Zhongshan", "Baizhang")),
    ("Wenzhou", "Zhejiang", "577", ("Lucheng", "Ouhai"), ("Wenzhou", "Huancheng")),
    ("Xiamen", "Fujian", "592", ("Huli", "Siming", "Jimei"), ("Xiahe", "Hubin", "Lianqian")),
    ("Quanzhou", "Fujian", "595", ("Jinjiang", "Fengze"), ("Quanxiu", "Tian'an")),
    ("Suzhou", "Jiangsu", "512", ("Wuzhong", "Xiangcheng", "Kunshan"), ("Ganjiang", "Renmin")),
    ("Shanghai", "", "21", ("Minhang", "Pudong", "Songjiang", "Jiading"),
     ("Caobao", "Zhangjiang", "Hongqiao", "Yanggao")),
    ("Tianjin", "", "22", ("Binhai", "Hexi", "Nankai"), ("Weijin", "Huanghe")),
    ("Qingdao", "Shandong", "532", ("Chengyang", "Laoshan"), ("Xianggang", "Haier")),
    ("Wuhan", "Hubei", "27", ("Hongshan", "Jianghan"), ("Luoyu", "Jiefang")),
    ("Chengdu", "Sichuan", "28", ("Wuhou", "Jinjiang"), ("Tianfu", "Renmin")),
    ("Zhengzhou", "Henan", "371", ("Jinshui", "Zhongyuan"), ("Huayuan", "Nongye")),
)  # fmt: skip
CN_PLACE_WEIGHTS: tuple[int, ...] = (22, 14, 9, 5, 3, 12, 7, 5, 3, 5, 3, 3, 4, 1, 2, 1, 1, 1)

HK_DISTRICTS: tuple[str, ...] = ("Kwun Tong", "Tsuen Wan", "Kwai Chung", "Mong Kok", "Sha Tin")
HK_ROADS: tuple[str, ...] = ("Hung To", "Hoi Bun", "Wang Lung", "Sha Tsui", "Kwai Fung",
                             "Nathan", "On Lok")  # fmt: skip
HK_BUILDING_WORDS: tuple[str, ...] = ("Wing On", "Kai Tak", "Golden", "Prosperity",
                                      "Harbour", "Everwin", "Lucky")  # fmt: skip

# Trade phrases: words are kept apart so generic ones can be dropped or reordered.
INDUSTRIES: tuple[tuple[str, ...], ...] = (
    ("Electronic", "Technology"), ("Trading",), ("Import", "and", "Export"),
    ("International", "Trading"), ("Biotechnology",), ("Household", "Products"),
    ("Garment",), ("Crafts",), ("Industrial",), ("Technology",), ("E-Commerce",),
    ("Supply", "Chain", "Management"), ("Lighting", "Technology"), ("Plastic", "Products"),
    ("Hardware", "Manufacturing"), ("Textile",), ("Cosmetics",), ("Toys",),
    ("Sporting", "Goods"), ("Industrial", "and", "Trading"), ("Network", "Technology"),
    ("Import", "and", "Export", "Trading"), ("Electronics",), ("Outdoor", "Products"),
)  # fmt: skip
GENERIC_WORDS: frozenset[str] = frozenset(
    {"Electronic", "Technology", "Trading", "International", "Industrial", "Products",
     "Network", "Supply", "Chain", "Management", "Manufacturing", "E-Commerce"}
)  # fmt: skip

# Abbreviations as (full, short forms...). Multi-word entries match word runs.
ORG_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Import and Export", ("Imp & Exp", "Imp. & Exp.", "I/E", "Imp and Exp", "Import & Export")),
    ("International", ("Intl", "Int'l", "Intl.")),
    ("Technology", ("Tech", "Tech.")),
    ("Biotechnology", ("Biotech",)),
    ("Trading", ("Trade", "Trdg")),
    ("Electronic", ("Elec", "Electron")),
    ("Electronics", ("Elec",)),
    ("Industrial", ("Ind", "Ind.", "Indl")),
    ("Manufacturing", ("Mfg", "Mfg.")),
    ("Management", ("Mgmt",)),
    ("Products", ("Prod", "Prods")),
    ("and", ("&",)),
)

# Legal forms: a family per jurisdiction, first entry the registered spelling.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "CN": ("Co., Ltd.", "Co., Ltd", "Co Ltd", "CO.,LTD", "Co.,Ltd.", "Company Limited",
           "Co. Limited", "Ltd", "Limited"),
    "HK": ("Limited", "Ltd", "Ltd.", "Co., Limited", "Company Limited", "Co Ltd"),
    "US": ("LLC", "L.L.C.", "Llc"),
    "USI": ("Inc.", "Inc", "Incorporated"),
    "GB": ("Ltd", "Limited", "Ltd."),
    "DE": ("GmbH", "GMBH", "Gmbh"),
    "VN": ("Co., Ltd", "Company Limited", "Co Ltd", "JSC"),
    "IN": ("Pvt Ltd", "Private Limited", "Pvt. Ltd.", "P Ltd"),
}  # fmt: skip

ENGLISH_WORDS: tuple[str, ...] = (
    "Bright", "Harbor", "Blue", "Pine", "North", "Star", "Silver", "Oak", "Maple", "River",
    "Summit", "Golden", "Cedar", "Crest", "Eagle", "Lotus", "Metro", "Prime", "Urban",
    "Coastal", "Sunrise", "Iron", "Willow", "Falcon", "Atlas", "Vertex", "Nova", "Echo",
)  # fmt: skip
EN_INDUSTRIES: tuple[tuple[str, ...], ...] = (
    ("Goods",), ("Trading",), ("Supply",), ("Imports",), ("Outfitters",), ("Brands",),
    ("Home", "Goods"), ("Electronics",), ("Apparel",), ("Wellness",),
)  # fmt: skip

# Other exporting countries: (code, names, legal families, cities, calling code, weight)
OTHER_COUNTRIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str], ...] = (
    ("US", ("United States", "USA"), ("US", "USI"), ("Los Angeles", "City of Industry",
     "Miami", "Edison"), "1"),
    ("VN", ("Vietnam", "Viet Nam"), ("VN",), ("Ho Chi Minh City", "Hanoi", "Hai Phong"), "84"),
    ("IN", ("India",), ("IN",), ("Mumbai", "New Delhi", "Surat"), "91"),
    ("GB", ("United Kingdom", "UK"), ("GB",), ("London", "Manchester", "Leeds"), "44"),
    ("DE", ("Germany", "Deutschland"), ("DE",), ("Hamburg", "Frankfurt", "Cologne"), "49"),
)  # fmt: skip

FORWARDER_KINDS: tuple[str, ...] = (
    "Logistics", "International Logistics", "Express", "Supply Chain", "Freight Forwarding",
    "Worldwide Express", "Global Logistics", "Cross-Border Logistics",
)  # fmt: skip

# (name, seller id prefix, mainland service-number block)
MARKETPLACES: tuple[tuple[str, str, str], ...] = (
    ("dealmart", "DM", "400-820"), ("buyhive", "BH", "400-611"), ("cartopia", "CT", "400-930"),
    ("wishnest", "WN", "400-706"), ("globazaar", "GB", "400-885"), ("tradely", "TL", "400-152"),
)  # fmt: skip

# Persons: (first name, gender, nicknames)
FIRST_NAMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("James", "m", ("Jim", "Jimmy")), ("Robert", "m", ("Bob", "Rob", "Bobby")),
    ("John", "m", ("Johnny", "Jack")), ("Michael", "m", ("Mike", "Mikey")),
    ("William", "m", ("Bill", "Will", "Billy")), ("David", "m", ("Dave",)),
    ("Richard", "m", ("Rick", "Dick", "Rich")), ("Joseph", "m", ("Joe", "Joey")),
    ("Thomas", "m", ("Tom", "Tommy")), ("Charles", "m", ("Charlie", "Chuck")),
    ("Christopher", "m", ("Chris",)), ("Daniel", "m", ("Dan", "Danny")),
    ("Matthew", "m", ("Matt",)), ("Anthony", "m", ("Tony",)), ("Steven", "m", ("Steve",)),
    ("Andrew", "m", ("Andy", "Drew")), ("Joshua", "m", ("Josh",)),
    ("Kenneth", "m", ("Ken", "Kenny")), ("Edward", "m", ("Ed", "Eddie", "Ted")),
    ("Benjamin", "m", ("Ben",)), ("Samuel", "m", ("Sam",)), ("Nicholas", "m", ("Nick",)),
    ("Jonathan", "m", ("Jon",)), ("Alexander", "m", ("Alex",)), ("Gregory", "m", ("Greg",)),
    ("Timothy", "m", ("Tim",)), ("Jose", "m", ("Pepe",)), ("Luis", "m", ()),
    ("Carlos", "m", ()), ("Kevin", "m", ()), ("Brian", "m", ()), ("Jason", "m", ()),
    ("Ryan", "m", ()), ("Tyler", "m", ()), ("Aaron", "m", ()), ("Raymond", "m", ("Ray",)),
    ("Patrick", "m", ("Pat",)), ("Gary", "m", ()), ("Eric", "m", ()), ("Wei", "m", ()),
    ("Mary", "f", ()), ("Patricia", "f", ("Pat", "Patty", "Trish")),
    ("Jennifer", "f", ("Jen", "Jenny")), ("Linda", "f", ()),
    ("Elizabeth", "f", ("Liz", "Beth", "Betty", "Eliza")), ("Barbara", "f", ("Barb",)),
    ("Susan", "f", ("Sue", "Susie")), ("Jessica", "f", ("Jess",)),
    ("Sarah", "f", ()), ("Karen", "f", ()), ("Margaret", "f", ("Maggie", "Peggy", "Meg")),
    ("Nancy", "f", ()), ("Lisa", "f", ()), ("Deborah", "f", ("Deb", "Debbie")),
    ("Catherine", "f", ("Cathy", "Kate")), ("Christine", "f", ("Chris", "Tina")),
    ("Rebecca", "f", ("Becky",)), ("Kimberly", "f", ("Kim",)), ("Emily", "f", ("Em",)),
    ("Michelle", "f", ()), ("Amanda", "f", ("Mandy",)), ("Melissa", "f", ("Missy",)),
    ("Stephanie", "f", ("Steph",)), ("Victoria", "f", ("Vicky", "Tori")),
    ("Maria", "f", ()), ("Ana", "f", ()), ("Rosa", "f", ()), ("Sofia", "f", ()),
    ("Ashley", "f", ()), ("Nicole", "f", ("Nikki",)), ("Samantha", "f", ("Sam",)),
    ("Angela", "f", ("Angie",)), ("Laura", "f", ()), ("Hannah", "f", ()), ("Mei", "f", ()),
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen",
    "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
    "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
    "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan",
    "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward",
    "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza",
    "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long",
    "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell",
    "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons",
    "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin",
    "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis",
    "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
    "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas",
    "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson",
    "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason",
    "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson",
    "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt",
    "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner",
    "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce", "Vazquez",
    "Hansen", "Peters", "Santos", "Hart", "Bradley", "Knight", "Elliott", "Cunningham",
    "Duncan", "Armstrong", "Hudson", "Carroll", "Lane", "Riley", "Andrews", "Alvarado", "Ray",
    "Delgado", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Richards",
    "Contreras", "Willis", "Carpenter", "Lawrence", "Sandoval", "Guerrero", "George",
    "Chapman", "Rios", "Estrada", "Ortega", "Watkins", "Greene", "Nunez", "Wheeler", "Valdez",
    "Harper", "Burke", "Larson", "Santiago", "Maldonado", "Morrison", "Franklin", "Carlson",
    "Austin", "Dominguez", "Carr", "Lawson", "Jacobs", "Obrien", "Lynch", "Singh", "Vega",
    "Bishop", "Montgomery", "Oliver", "Jensen", "Harvey", "Williamson", "Gilbert", "Dean",
    "Sims", "Espinoza", "Howell", "Li", "Wong", "Reid", "Hanson", "Le", "Mccoy", "Garrett",
    "Burton", "Fuller", "Wang", "Weber", "Welch", "Rojas", "Lucas", "Marquez", "Fields",
    "Park", "Yang", "Little", "Banks", "Padilla", "Day", "Walsh", "Bowman", "Schultz", "Luna",
    "Fowler", "Mejia", "Davidson", "Acosta", "Brewer", "May", "Holland", "Juarez", "Newman",
    "Pearson", "Curtis", "Cortez", "Douglas", "Schneider", "Joseph", "Barrett", "Navarro",
    "Figueroa", "Keller", "Avila", "Wade", "Molina", "Stanley", "Hopkins", "Campos", "Barnett",
    "Bates", "Chambers", "Caldwell", "Beck", "Lambert", "Miranda", "Byrd", "Craig", "Ayala",
    "Lowe", "Frazier", "Powers", "Neal", "Leonard", "Gregory", "Carrillo", "Sutton", "Fleming",
    "Rhodes", "Shelton", "Schwartz", "Norris", "Jennings", "Watts", "Duran", "Walters",
    "Cohen", "Mcdaniel", "Moran", "Parks", "Steele", "Vaughn", "Becker", "Holt", "Deleon",
    "Barker", "Terry", "Hale", "Leon", "Hail", "Benson", "Haynes", "Horton", "Miles", "Lyons",
    "Pham", "Graves", "Bush", "Thornton", "Wolfe", "Warner", "Cabrera", "Mckinney", "Mann",
    "Zimmerman", "Dawson", "Lara", "Fletcher", "Page", "Mccarthy", "Love", "Robles", "Cervantes",
    "Solis", "Erickson", "Reeves", "Chang", "Klein", "Salinas", "Fuentes", "Baldwin", "Daniel",
    "Simon", "Velasquez", "Hardy", "Higgins", "Aguirre", "Lin", "Cummings", "Chandler",
    "Sharp", "Barber", "Bowen", "Ochoa", "Dennis", "Robbins", "Liu", "Ramsey", "Francis",
    "Griffith", "Paul", "Blair", "Oconnor", "Cardenas", "Pacheco", "Cross", "Calderon",
    "Quinn", "Moss", "Swanson", "Chan", "Rivas", "Khan", "Rodgers", "Serrano", "Fitzgerald",
)  # fmt: skip

# US places: (city, state code, state name, ZIP prefix, area codes)
US_PLACES: tuple[tuple[str, str, str, str, tuple[int, ...]], ...] = (
    ("New York", "NY", "New York", "100", (212, 646, 917)),
    ("Brooklyn", "NY", "New York", "112", (718, 347)),
    ("Los Angeles", "CA", "California", "900", (213, 323, 310)),
    ("San Diego", "CA", "California", "921", (619, 858)),
    ("San Jose", "CA", "California", "951", (408, 669)),
    ("Chicago", "IL", "Illinois", "606", (312, 773)),
    ("Houston", "TX", "Texas", "770", (713, 281, 832)),
    ("Dallas", "TX", "Texas", "752", (214, 469, 972)),
    ("San Antonio", "TX", "Texas", "782", (210, 726)),
    ("Austin", "TX", "Texas", "787", (512, 737)),
    ("Phoenix", "AZ", "Arizona", "850", (602, 480)),
    ("Philadelphia", "PA", "Pennsylvania", "191", (215, 267)),
    ("Pittsburgh", "PA", "Pennsylvania", "152", (412,)),
    ("Jacksonville", "FL", "Florida", "322", (904,)),
    ("Miami", "FL", "Florida", "331", (305, 786)),
    ("Orlando", "FL", "Florida", "328", (407, 321)),
    ("Columbus", "OH", "Ohio", "432", (614,)),
    ("Cleveland", "OH", "Ohio", "441", (216,)),
    ("Charlotte", "NC", "North Carolina", "282", (704, 980)),
    ("Raleigh", "NC", "North Carolina", "276", (919,)),
    ("Indianapolis", "IN", "Indiana", "462", (317,)),
    ("Seattle", "WA", "Washington", "981", (206,)),
    ("Denver", "CO", "Colorado", "802", (303, 720)),
    ("Boston", "MA", "Massachusetts", "021", (617, 857)),
    ("Worcester", "MA", "Massachusetts", "016", (508,)),
    ("Newark", "NJ", "New Jersey", "071", (973, 862)),
    ("Jersey City", "NJ", "New Jersey", "073", (201, 551)),
    ("Hartford", "CT", "Connecticut", "061", (860,)),
    ("Providence", "RI", "Rhode Island", "029", (401,)),
    ("Portland", "ME", "Maine", "041", (207,)),
    ("Nashville", "TN", "Tennessee", "372", (615,)),
    ("Memphis", "TN", "Tennessee", "381", (901,)),
    ("Detroit", "MI", "Michigan", "482", (313,)),
    ("Atlanta", "GA", "Georgia", "303", (404, 678)),
    ("Las Vegas", "NV", "Nevada", "891", (702,)),
    ("Baltimore", "MD", "Maryland", "212", (410, 443)),
    ("Milwaukee", "WI", "Wisconsin", "532", (414,)),
    ("Albuquerque", "NM", "New Mexico", "871", (505,)),
    ("Kansas City", "MO", "Missouri", "641", (816,)),
    ("Minneapolis", "MN", "Minnesota", "554", (612,)),
    ("New Orleans", "LA", "Louisiana", "701", (504,)),
    ("Salt Lake City", "UT", "Utah", "841", (801,)),
)
US_PLACE_WEIGHTS: tuple[int, ...] = (
    9, 6, 9, 3, 2, 7, 6, 4, 3, 2, 4, 4, 2, 2, 4, 3, 2, 2, 2, 2, 2, 2, 2, 3, 1, 2, 2, 1, 1, 1,
    2, 1, 2, 3, 2, 2, 1, 1, 1, 2, 1, 1,
)  # fmt: skip

STREET_NAMES: tuple[str, ...] = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
    "Walnut", "Sunset", "Highland", "Jefferson", "Lincoln", "Madison", "Franklin", "Church",
    "Willow", "Spring", "Ridge", "Meadow", "Forest", "Valley", "River", "Center", "Chestnut",
    "Broad", "Market", "Jackson", "Adams", "Summit", "Prospect", "Fairview", "Woodland",
    "Greenwood", "Hickory", "Birch", "Magnolia", "Dogwood", "Laurel", "Cherry", "Orchard",
    "Harbor", "Bridge", "Mill", "Union", "Liberty", "Grand", "Columbia", "Riverside",
)  # fmt: skip
# (full, abbreviations)
STREET_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Street", ("St", "St.")), ("Avenue", ("Ave", "Ave.", "Av")), ("Road", ("Rd", "Rd.")),
    ("Lane", ("Ln",)), ("Drive", ("Dr", "Dr.")), ("Boulevard", ("Blvd", "Blvd.")),
    ("Court", ("Ct",)), ("Place", ("Pl",)), ("Way", ("Wy",)), ("Circle", ("Cir",)),
)  # fmt: skip
DIRECTIONS: tuple[tuple[str, str], ...] = (("North", "N"), ("South", "S"), ("East", "E"),
                                          ("West", "W"))  # fmt: skip
# Unit designators a consignee address may carry: (kind, spellings)
US_UNITS: tuple[str, ...] = ("Apt", "Apt.", "Apartment", "#", "Unit", "Ste", "Suite")
CN_UNITS: tuple[str, ...] = ("Room", "Rm", "Rm.", "Unit", "#", "Suite", "Flat")

FREEMAIL_US: tuple[tuple[str, int], ...] = (
    ("gmail.com", 45), ("yahoo.com", 14), ("outlook.com", 10), ("hotmail.com", 9),
    ("icloud.com", 10), ("aol.com", 3), ("comcast.net", 3),
)  # fmt: skip
FREEMAIL_CN: tuple[str, ...] = ("163.com", "qq.com", "126.com", "foxmail.com", "sina.com")
ROLE_MAILBOXES: tuple[str, ...] = ("sales", "info", "service", "export", "order", "admin")
PLUS_TAGS: tuple[str, ...] = ("orders", "shop", "us", "amz", "deals", "buy", "2026")

# Goods: (description, HTS, value range USD, weight range kg)
GOODS: tuple[tuple[str, str, float, float, float, float], ...] = (
    ("Phone Case", "392690", 3, 25, 0.05, 0.4), ("Bluetooth Earbuds", "851830", 8, 60, 0.1, 0.5),
    ("LED Strip Light", "940542", 6, 45, 0.2, 1.5), ("Cotton T-Shirt", "610910", 4, 30, 0.1, 0.8),
    ("Women's Dress", "620443", 8, 70, 0.2, 1.0), ("Running Shoes", "640411", 15, 90, 0.6, 1.8),
    ("Kitchen Tool Set", "821599", 5, 40, 0.3, 2.0), ("Toy Car", "950300", 4, 35, 0.2, 1.2),
    ("Phone Charger", "850440", 4, 30, 0.1, 0.5), ("Hair Clip", "961511", 1, 12, 0.02, 0.2),
    ("Yoga Mat", "950691", 8, 40, 0.8, 2.5), ("Watch", "910211", 10, 120, 0.1, 0.4),
    ("Cosmetic Brush Set", "960330", 4, 30, 0.1, 0.5), ("Socks", "611595", 2, 20, 0.05, 0.5),
    ("Pet Collar", "420100", 3, 25, 0.05, 0.3), ("Fishing Lure", "950790", 2, 30, 0.05, 0.5),
    ("Car Phone Holder", "870829", 4, 25, 0.1, 0.5), ("Backpack", "420292", 10, 60, 0.5, 1.5),
    ("Sticker Pack", "482110", 1, 10, 0.02, 0.1),
    ("Drone Spare Parts", "880730", 10, 150, 0.1, 1.0),
)  # fmt: skip
RING_GOODS: tuple[tuple[str, str, float, float, float, float], ...] = (
    ("Machine Parts", "847990", 40, 400, 2.0, 12.0), ("Mold", "848071", 60, 500, 3.0, 15.0),
    ("Chemical Reagent", "293499", 20, 300, 0.5, 3.0), ("Dietary Supplement", "210690", 10, 90,
     0.2, 1.5), ("Tablet Press Die", "847930", 80, 700, 1.0, 8.0), ("Powder Sample", "382499",
     10, 120, 0.1, 1.0), ("Industrial Dye", "320417", 15, 150, 0.3, 2.5),
)  # fmt: skip

CARRIERS: tuple[tuple[str, str, int], ...] = (
    ("USPS", "mail", 30), ("UPS", "air", 14), ("FEDEX", "air", 14), ("DHL", "air", 16),
    ("YUNEXPRESS", "air", 12), ("4PX", "air", 6), ("CAINIAO", "air", 6), ("SFEXPRESS", "air", 2),
)  # fmt: skip
PORTS: tuple[tuple[str, int], ...] = (
    ("4701", 30), ("2720", 20), ("4196", 15), ("5206", 12), ("3901", 10), ("1704", 8),
    ("2809", 5),
)  # fmt: skip
SEIZURES_BY_RING: dict[str, tuple[str, ...]] = {
    "drop_address": ("fentanyl", "precursor", "pill press"),
    "payment_hub": ("fentanyl", "precursor", "counterfeit"),
    "structuring": ("counterfeit", "pill press", "precursor"),
    "identity_churn": ("precursor", "fentanyl", "counterfeit"),
}
