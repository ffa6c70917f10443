"""One analysed document per article: built once by the reader and handed down."""
import sys
from collections import Counter

import arabic.normalize
import arabic.tokens
from arabic import analyse
from arabic.sentences import split_sentences
from events.pipeline import build
from tests.conftest import ROOT


def _instrument(monkeypatch, func, counts: Counter, key):
    """Replace `func` in every loaded module that imported it with a wrapper that counts its calls."""
    def counting(text, *a, **k):
        counts[key(text)] += 1
        return func(text, *a, **k)

    for mod in list(sys.modules.values()):
        for name, value in list(getattr(mod, "__dict__", {}).items()):
            if value is func:
                monkeypatch.setattr(mod, name, counting)


def test_a_build_of_the_seeds_normalises_and_tokenises_each_article_once(tmp_path, monkeypatch):
    texts = {p.read_text(encoding="utf-8").strip() for p in (ROOT / "seeds").glob("*.txt")}
    normalised, tokenised = Counter(), Counter()
    _instrument(monkeypatch, arabic.normalize.normalize, normalised, lambda t: t.strip())
    _instrument(monkeypatch, arabic.tokens.tokenize, tokenised, lambda t: t)
    build([ROOT / "seeds"], tmp_path / "events.parquet")
    per_article = {t: normalised[t] for t in texts}
    assert per_article and set(per_article.values()) == {1}, per_article
    # Every article-length tokenisation happened once (names and short phrases are not articles).
    long_ones = [n for text, n in tokenised.items() if len(text) > 500]
    assert len(long_ones) == len(texts) and set(long_ones) == {1}


def test_doc_offsets_map_back_to_the_original_text():
    text = "قصفت الطائرات بلدة كفرنبـ.ـل؛ وفي إدلب قُتل ٣ مدنيين."
    doc = analyse(text)
    assert [t.text for t in doc.tokens][:4] == ["قصفت", "الطايرات", "بلده", "كفرنبل"]
    tok = doc.tokens[3]
    start, end = doc.orig(tok.start, tok.end)
    assert text[start:end] == "كفرنبـ.ـل"
    assert "3" in [t.text for t in doc.tokens]
    assert doc.sentence_of[3] == 0 and doc.sentence_of[-1] == 1


def test_arabic_semicolon_ends_a_sentence_and_numbers_keep_their_separators():
    assert len(split_sentences("قصف على حماة؛ وفي إدلب اشتباكات")) == 2
    assert len(split_sentences("بلغ عدد النازحين 3.5 مليون شخص في المنطقة")) == 1
    assert [t.text for t in analyse("نحو 25,4 مليون").tokens] == ["نحو", "25,4", "مليون"]


def test_a_connective_word_that_names_a_part_of_a_place_cuts_no_clause():
    text = "قصفت المدفعية حماة وسط سوريا، وسط اشتباكات في وسط المدينة"
    doc = analyse(text)
    assert [doc.ntext[c:c + 12] for c in doc.clause_cuts] == [arabic.normalize.normalize("وسط اشتباكات").text]
