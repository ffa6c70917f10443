"""Arabic number words on normalised text (alef/hamza and ta marbuta already unified): their values,
for the event counts and dates, and which words are numbers at all, for the geoparser (`أربعين` is
forty, not the village `الأربعين`)."""
from __future__ import annotations

from functools import lru_cache

from arabic.clitics import stems

UNITS = {  # 1-10 (also the durations of events.dates)
    "واحد": 1, "احد": 1, "احدي": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
    "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10,
}
TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
HUNDREDS = {"ميه": 100, "مايه": 100, "ميتان": 200, "ميتين": 200, "مايتان": 200, "مايتين": 200,
            "ميتي": 200, "مايتا": 200, "مايتي": 200}  # the last three: before a noun (مائتا جندي); not
# ميتا, which is also "dead" (عثر عليه ميتا)
HUNDREDS.update({u + h: v * 100 for u, v in UNITS.items() if 3 <= v <= 9 for h in ("ميه", "مايه")})
SCALES = {"الف": 1000, "الفا": 1000, "الاف": 1000, "الفان": 2000, "الفين": 2000,
          "مليون": 1_000_000, "ملايين": 1_000_000}


@lru_cache(maxsize=1 << 16)
def number_word(word: str) -> tuple[str, int] | None:
    """(class, value) of a number word, also behind clitics (`وعشرين`): class unit, ten, hundred or scale."""
    for s in stems(word) | {word}:
        for cls, table in (("unit", UNITS), ("ten", TENS), ("hundred", HUNDREDS), ("scale", SCALES)):
            if s in table:
                return cls, table[s]
    return None
