"""Number words of the Arabic layer, read by the event counts and dates and by the geoparser."""
import pytest

from arabic.normalize import name_key
from arabic.numbers import number_word


@pytest.mark.parametrize("word, expected", [
    ("ثلاثة", ("unit", 3)),
    ("وأربعين", ("ten", 40)),  # behind a clitic
    ("خمسمائة", ("hundred", 500)),
    ("ألفا", ("scale", 1000)),
    ("الخمسين", ("ten", 50)),  # with the article too (`فاقت الخمسين`): the geoparser asks for the article apart
    ("شخصا", None),
])
def test_number_words(word, expected):
    assert number_word(name_key(word)) == expected
