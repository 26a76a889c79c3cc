"""Given-name nicknames and short forms: "Bill" is William, "Peggy" Margaret, "Pepe" José.

Consignees write the name their friends use as often as the one on their passport, so two
person names whose given names are a nickname and its full name (or two nicknames of one
full name) are one name spelled two ways, not two people. The table holds common English
(US) nicknames and Spanish hypocorisms, from the usual published lists; a nickname of
several names ("Pat": Patrick or Patricia) matches each of them, but those names do not
match each other.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA

# full name: its nicknames and short forms (folded, lower case)
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "abigail": ("abby", "abbie", "gail"),
    "albert": ("al", "bert", "bertie"),
    "alexander": ("alex", "al", "sasha", "xander", "sandy"),
    "alexandra": ("alex", "sasha", "sandra", "sandy", "lexi"),
    "alfred": ("al", "alf", "fred", "freddie"),
    "allison": ("ally", "allie"),
    "amanda": ("mandy", "manda"),
    "andrew": ("andy", "drew"),
    "angela": ("angie",),
    "anthony": ("tony", "ant"),
    "antonio": ("tony", "tono"),
    "arthur": ("art", "artie"),
    "barbara": ("barb", "barbie", "babs"),
    "benjamin": ("ben", "benny", "benji"),
    "bradley": ("brad",),
    "brian": ("bri",),
    "catherine": ("cathy", "cate", "kate", "katie", "cat"),
    "charles": ("charlie", "chuck", "chas", "chaz", "chip"),
    "christina": ("chris", "tina", "christy"),
    "christine": ("chris", "chrissy", "tina"),
    "christopher": ("chris", "topher", "kit"),
    "cynthia": ("cindy",),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey"),
    "deborah": ("deb", "debbie", "debby"),
    "dennis": ("denny",),
    "donald": ("don", "donnie", "donny"),
    "dorothy": ("dot", "dottie", "dolly"),
    "douglas": ("doug",),
    "edward": ("ed", "eddie", "eddy", "ted", "teddy", "ned"),
    "eleanor": ("ellie", "nell", "nora"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "betsy", "eliza", "libby", "lisa"),
    "emily": ("em", "emmy"),
    "eugene": ("gene",),
    "francisco": ("paco", "pancho", "frank", "cisco"),
    "frank": ("frankie",),
    "franklin": ("frank", "frankie"),
    "frederick": ("fred", "freddie", "freddy", "rick"),
    "gabriel": ("gabe",),
    "gabriela": ("gaby", "gabby"),
    "gerald": ("gerry", "jerry"),
    "gregory": ("greg",),
    "guadalupe": ("lupe", "lupita"),
    "harold": ("harry", "hal"),
    "henry": ("hank", "harry", "hal"),
    "isabel": ("isa", "bella", "izzy"),
    "jacob": ("jake", "jack"),
    "james": ("jim", "jimmy", "jamie", "jimbo"),
    "janet": ("jan",),
    "jeffrey": ("jeff",),
    "jennifer": ("jen", "jenny", "jenn"),
    "jerome": ("jerry",),
    "jessica": ("jess", "jessie"),
    "jesus": ("chuy",),
    "john": ("jack", "johnny", "jon"),
    "jonathan": ("jon", "jonny", "johnny", "nathan"),
    "jose": ("pepe", "chepe"),
    "joseph": ("joe", "joey", "jos"),
    "joshua": ("josh",),
    "judith": ("judy", "judi"),
    "katherine": ("kathy", "kate", "katie", "kat", "kay"),
    "kathleen": ("kathy", "kate", "katie"),
    "kenneth": ("ken", "kenny"),
    "kimberly": ("kim", "kimmy"),
    "lawrence": ("larry", "laurie"),
    "leonard": ("leo", "len", "lenny"),
    "margaret": ("maggie", "meg", "peggy", "marge", "margie", "greta", "daisy"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mikey", "mick", "mickey"),
    "michelle": ("shelly", "mich"),
    "nathaniel": ("nate", "nathan", "nat"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicole": ("nikki", "nicky", "nic"),
    "patricia": ("pat", "patty", "patsy", "trish", "tricia"),
    "patrick": ("pat", "paddy", "rick"),
    "peter": ("pete",),
    "philip": ("phil",),
    "phillip": ("phil",),
    "raymond": ("ray",),
    "rebecca": ("becky", "becca", "becks"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"),
    "robert": ("rob", "bob", "bobby", "robbie", "bert"),
    "roberto": ("beto",),
    "ronald": ("ron", "ronnie"),
    "russell": ("russ",),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "sandra": ("sandy",),
    "stephanie": ("steph", "stephie"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "susie", "suzy"),
    "teresa": ("terry", "tess", "tessa"),
    "theodore": ("ted", "teddy", "theo"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "victoria": ("vicky", "tori"),
    "vincent": ("vince", "vinny"),
    "walter": ("walt", "wally"),
    "william": ("will", "bill", "billy", "willie", "willy", "liam"),
    "zachary": ("zach", "zack"),
}

_FULL: dict[str, frozenset[str]] = {}
for _name, _short in _NICKNAMES.items():
    for _nick in _short:
        _FULL[_nick] = _FULL.get(_nick, frozenset()) | {_name}


@lru_cache(maxsize=1 << 12)
def full_names(word: str) -> frozenset[str]:
    """The full names ``word`` stands for, itself included ("pat": pat, patricia, patrick)."""
    return _FULL.get(word, frozenset()) | {word}


_FORMS: dict[str, frozenset[str]] = {}
for _name, _short in _NICKNAMES.items():
    for _word in (_name, *_short):
        _FORMS[_word] = _FORMS.get(_word, frozenset()) | {_name, *_short}


def mistyped_given_name(a: str, b: str) -> str:
    """The nickname or full name of ``b``'s given name that ``a`` (four letters or more)
    mistypes by one edit ("beecky" / "rebecca" -> "becky"; "rebeca" / "becky" ->
    "rebecca"), or "" when there is none."""
    if len(a) < 4:
        return ""
    for form in sorted(_FORMS.get(b, ())):
        if form != b and OSA.distance(a, form, score_cutoff=1) <= 1:
            return form
    return ""


def same_given_name(a: str, b: str) -> bool:
    """Whether two different words are one given name: a nickname and its full name, or two
    nicknames of one full name ("bill"/"william", "peggy"/"meg"); never two full names."""
    return (a in _FULL or b in _FULL) and not full_names(a).isdisjoint(full_names(b))
