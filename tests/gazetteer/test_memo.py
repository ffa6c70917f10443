"""Memo tables: a key is worked out once, kept up to the limit, and an index's memos are its own."""
import pickle

from gazetteer.features import rows_info
from gazetteer.geoparser import default
from gazetteer.memo import Memo, on


def test_a_key_is_made_once_and_kept_up_to_the_limit():
    calls = []

    def make(key):
        calls.append(key)
        return key * 2

    memo = Memo(make, limit=2)
    assert [memo[k] for k in ("a", "b", "a", "c", "c")] == ["aa", "bb", "aa", "cc", "cc"]
    assert calls == ["a", "b", "c", "c"]  # "c" came past the limit: worked out each time, never kept
    assert dict(memo) == {"a": "aa", "b": "bb"}
    assert memo.get("z") is None and "z" not in memo  # get() and `in` ask, they do not fill


def test_a_pickled_memo_starts_empty():
    memo = Memo(len)
    assert memo["abc"] == 3
    copy = pickle.loads(pickle.dumps(memo))
    assert isinstance(copy, Memo) and not copy and copy["ab"] == 2


def test_memos_live_on_their_owner():
    class Owner:
        pass

    a, b = Owner(), Owner()
    ma = on(a, "_m", str.upper)
    assert on(a, "_m", str.lower) is ma and ma["x"] == "X"
    assert on(b, "_m", "{}{}{}".format, "<", ">")["x"] == "<>x" == on(b, "_m", str.upper)["x"]  # make(*args, key)


def test_rows_info_reads_the_rows_of_its_own_index():
    idx = default().index
    rows = idx.lookup("حماه")
    kinds, minor, govs, container = rows_info(idx)[rows]
    assert kinds == {idx.kind[r] for r in rows} and govs == {idx.admin1[r] for r in rows}
    assert container == any(idx.is_container(r) for r in rows) and container
    assert minor == all(idx.prominence[r] < 0.5 for r in rows)
