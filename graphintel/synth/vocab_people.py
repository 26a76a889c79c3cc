"""Word lists for synthetic US consignees: names, cities, streets, units, area codes, domains.

Plain data, kept apart from the code that draws from it. Phone numbers use the 555
exchange (555-01xx is reserved for fiction); e-mail domains are reserved or made up.
"""

from __future__ import annotations


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a block of text."""
    return tuple(text.split())


FIRST_NAMES: tuple[str, ...] = words(
    """
    James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
    Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy
    Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Paul Emily
    Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah
    Timothy Stephanie Ronald Rebecca Edward Sharon Jason Laura Jeffrey Cynthia Ryan Dorothy
    Jacob Amy Gary Kathleen Nicholas Angela Eric Shirley Jonathan Emma Stephen Brenda
    Larry Pamela Justin Nicole Scott Anna Brandon Samantha Benjamin Katherine Samuel
    Christine Gregory Debra Alexander Rachel Patrick Carolyn Frank Janet Raymond Maria
    Jack Olivia Dennis Heather Jerry Helen Tyler Catherine Aaron Diane Jose Julie Adam
    Victoria Nathan Joyce Henry Lauren Zachary Kelly Douglas Christina Peter Ruth Kyle
    Joan Noah Virginia Ethan Judith Jeremy Evelyn Christian Hannah Walter Andrea Keith
    Megan Austin Cheryl Roger Jacqueline Terry Martha Sean Madison Gerald Teresa Carl
    Gloria Dylan Sara Harold Janice Jordan Ann Jesse Kathryn Bryan Abigail Lawrence Sophia
    Arthur Frances Gabriel Jean Bruce Alice Logan Judy Billy Isabella Joe Julia Alan Grace
    Juan Amber Elijah Denise Willie Danielle Albert Marilyn Wayne Beverly Randy Charlotte
    Mason Natalie Vincent Theresa Liam Diana Roy Brittany Bobby Doris Caleb Kayla Bradley
    Alexis Russell Lori Lucas Marie Wei Mei Hiroshi Yuki Priya Arjun Minh Linh Carlos
    Lucia Diego Sofia Mateo Valeria Omar Fatima Ahmed Aisha Dmitri Olga Kwame Amara
    """
)

LAST_NAMES: tuple[str, ...] = words(
    """
    Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
    Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson
    White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott
    Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter
    Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart
    Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed
    Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray
    Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
    Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales
    Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds
    Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar
    Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington
    Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
    Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes
    Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
    Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant
    Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley
    Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado
    Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis
    Carpenter Lawrence Sandoval Guerrero George Chapman Rios Estrada Ortega Watkins Greene
    Nunez Wheeler Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson
    Austin Dominguez Carr Lawson Jacobs O'Brien Wang Zhang Liu Huang Zhao Wu Zhou Xu Sun
    Ma Zhu Hu Guo Lin Yamamoto Tanaka Sato Singh Kumar Shah Khan Ali Hassan Ivanov Novak
    Kowalski Okafor Mensah Smith-Jones Van Dyke
    """
)
# "Van Dyke" is one surname written with a space.
LAST_NAMES = tuple(n for n in LAST_NAMES if n not in ("Van", "Dyke")) + ("Van Dyke",)

MIDDLE_INITIALS: tuple[str, ...] = tuple("ABCDEFGHJKLMNPRSTW")

# (city, state code, first three ZIP digits)
US_CITIES: tuple[tuple[str, str, str], ...] = (
    ("New York", "NY", "100"),
    ("Brooklyn", "NY", "112"),
    ("Buffalo", "NY", "142"),
    ("Los Angeles", "CA", "900"),
    ("San Francisco", "CA", "941"),
    ("San Diego", "CA", "921"),
    ("San Jose", "CA", "951"),
    ("Sacramento", "CA", "958"),
    ("Fresno", "CA", "937"),
    ("Chicago", "IL", "606"),
    ("Houston", "TX", "770"),
    ("Dallas", "TX", "752"),
    ("Austin", "TX", "787"),
    ("San Antonio", "TX", "782"),
    ("El Paso", "TX", "799"),
    ("Phoenix", "AZ", "850"),
    ("Tucson", "AZ", "857"),
    ("Philadelphia", "PA", "191"),
    ("Pittsburgh", "PA", "152"),
    ("Jacksonville", "FL", "322"),
    ("Miami", "FL", "331"),
    ("Orlando", "FL", "328"),
    ("Tampa", "FL", "336"),
    ("Columbus", "OH", "432"),
    ("Cleveland", "OH", "441"),
    ("Cincinnati", "OH", "452"),
    ("Indianapolis", "IN", "462"),
    ("Charlotte", "NC", "282"),
    ("Raleigh", "NC", "276"),
    ("Seattle", "WA", "981"),
    ("Spokane", "WA", "992"),
    ("Denver", "CO", "802"),
    ("Boston", "MA", "021"),
    ("Detroit", "MI", "482"),
    ("Nashville", "TN", "372"),
    ("Memphis", "TN", "381"),
    ("Portland", "OR", "972"),
    ("Las Vegas", "NV", "891"),
    ("Louisville", "KY", "402"),
    ("Baltimore", "MD", "212"),
    ("Milwaukee", "WI", "532"),
    ("Albuquerque", "NM", "871"),
    ("Atlanta", "GA", "303"),
    ("Kansas City", "MO", "641"),
    ("St. Louis", "MO", "631"),
    ("Omaha", "NE", "681"),
    ("Minneapolis", "MN", "554"),
    ("New Orleans", "LA", "701"),
    ("Salt Lake City", "UT", "841"),
    ("Newark", "NJ", "071"),
    ("Jersey City", "NJ", "073"),
    ("Richmond", "VA", "232"),
    ("Virginia Beach", "VA", "234"),
    ("Oklahoma City", "OK", "731"),
    ("Tulsa", "OK", "741"),
    ("Birmingham", "AL", "352"),
    ("Hartford", "CT", "061"),
    ("Providence", "RI", "029"),
    ("Boise", "ID", "837"),
    ("Des Moines", "IA", "503"),
    ("Anchorage", "AK", "995"),
    ("Honolulu", "HI", "968"),
    ("Charleston", "SC", "294"),
    ("Little Rock", "AR", "722"),
    ("Madison", "WI", "537"),
    ("Burlington", "VT", "054"),
)

STATE_NAMES: dict[str, str] = {
    "AK": "Alaska",
    "AL": "Alabama",
    "AR": "Arkansas",
    "AZ": "Arizona",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "IA": "Iowa",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "MA": "Massachusetts",
    "MD": "Maryland",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MO": "Missouri",
    "NC": "North Carolina",
    "NE": "Nebraska",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NV": "Nevada",
    "NY": "New York",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VA": "Virginia",
    "VT": "Vermont",
    "WA": "Washington",
    "WI": "Wisconsin",
}

STREET_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(
        words(
            """
    Main Oak Maple Cedar Pine Elm Washington Lake Hill Park Walnut Spring Church Highland
    Jefferson Lincoln Madison Franklin Jackson Adams Sunset Ridge River Meadow Forest
    Willow Chestnut Birch Cherry Spruce Poplar Magnolia Dogwood Laurel Hickory Sycamore
    Mill Center Market Union Bridge Broad Water Front Grove Valley Prospect Pleasant
    Summit Liberty Orchard Harbor Bay Ocean Beach Sunrise Fairview Greenwood Woodland
    Lakeview Riverside Hillcrest Brookside Kingston Franklin Monroe Hamilton Grant Hudson
    Vine Juniper College University Academy Canal Railroad Depot Station Mission Plaza
    Rose Lilac Ivy Aspen Sequoia Redwood Cypress Palm Juniper Heritage Colonial Pioneer
    """
        )
    )
)

# Each suffix with its spellings; index 0 is the full word.
STREET_TYPES: tuple[tuple[str, ...], ...] = (
    ("Street", "St", "St."),
    ("Avenue", "Ave", "Ave."),
    ("Road", "Rd", "Rd."),
    ("Drive", "Dr", "Dr."),
    ("Lane", "Ln"),
    ("Boulevard", "Blvd", "Blvd."),
    ("Court", "Ct"),
    ("Place", "Pl"),
    ("Way",),
    ("Terrace", "Ter"),
)

# How a unit is written after the street ("Apt 4B", "#4B", "Unit 4B", "Apartment 4B").
UNIT_PREFIXES: tuple[str, ...] = ("Apt ", "#", "Unit ", "Apartment ", "Apt. ")
UNIT_LETTERS: tuple[str, ...] = tuple("ABCDEFGH")

US_AREA_CODES: tuple[int, ...] = tuple(
    int(a)
    for a in words(
        """
    201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 229
    231 234 239 240 248 251 252 253 254 256 260 262 267 269 270 276 281 301 302 303 304
    305 307 308 309 310 312 313 314 315 316 317 318 319 320 321 323 325 330 334 336 337
    339 347 351 352 360 361 385 386 401 402 404 405 406 407 408 409 410 412 413 414 415
    417 419 423 424 425 432 434 435 440 443 469 470 475 478 479 480 484 501 502 503 504
    505 507 508 509 510 512 513 515 516 517 518 520 530 540 541 551 559 561 562 563 567
    570 571 573 574 575 580 585 586 601 602 603 605 606 607 608 609 610 612 614 615 616
    617 618 619 620 623 626 630 631 636 641 646 650 651 657 660 661 662 667 669 678 682
    701 702 703 704 706 707 708 712 713 714 715 716 717 718 719 720 724 727 731 732 734
    740 747 754 757 760 762 763 765 769 770 772 773 774 775 779 781 785 786 801 802 803
    804 805 806 808 810 812 813 814 815 816 817 818 828 830 831 832 843 845 847 848 850
    856 857 858 859 860 862 863 864 865 870 872 878 901 903 904 906 907 908 909 910 912
    913 914 915 916 917 918 919 920 925 928 929 931 936 937 940 941 947 949 951 952 954
    956 970 971 972 973 978 979 980 985 989
    """
    )
)

# Consumer mail domains: reserved (RFC 2606) or invented.
EMAIL_DOMAINS: tuple[str, ...] = (
    "example.com",
    "example.net",
    "example.org",
    "mail.example",
    "inbox.test",
    "post.example",
    "webmail.test",
    "fastmail.example",
)
