"""The Geoparser object: an injectable gazetteer and weights table; the weights file itself."""
import pytest

from gazetteer import places
from gazetteer.geoparser import Geoparser, geoparse
from gazetteer.index import build_index
from gazetteer.weights import WEIGHTS_FILE, load


@pytest.fixture(scope="module")
def small_index():
    df = places.load()
    keep = df["place_id"].isin(["SY05", "SY07", "C2987", "C3871", "C3463", "C3916"])
    return build_index(df[keep])


def test_a_small_gazetteer_can_be_injected(small_index):
    gp = Geoparser(index=small_index)
    found = {m.text: m.place_id for m in gp("قصف على كفرزيتا وسراقب ومعرة النعمان في ريف حماة")}
    assert found["كفرزيتا"] == "C3463" and found["سراقب"] == "C3916"
    assert "معرة النعمان" not in found  # not in this gazetteer
    assert [m.place_id for m in gp("غارات على مدينة حماة")] == ["C2987"]


def test_weights_are_injectable():
    text = "لدغت عقرب طفلا في المنزل"
    assert geoparse(text) == []
    eager = Geoparser(weights=load().replace(threshold=0.0, hopeless=0.0, isolated_near=-1.0, isolated_prominence=0.0))
    assert any(m.text == "عقرب" for m in eager(text))


def test_every_weight_has_a_line_of_help_and_the_file_round_trips(tmp_path):
    w = load()
    assert len(w) >= 30
    for name in w:
        assert w.help(name), f"{name} has no help line"
    out = tmp_path / "weights.tsv"
    w.write(out)
    assert dict(load(out)) == dict(w)
    assert load(out).help("threshold") == w.help("threshold")
    with pytest.raises(AttributeError):
        w.threshold = 1.0
    assert WEIGHTS_FILE.exists()


def test_index_flags_replace_prominence_thresholds():
    from gazetteer.index import get_index

    idx = get_index()
    caps = {idx.place_id[r] for r in range(len(idx.kind)) if idx.is_capital[r]}
    assert {"C1001", "C1007", "C2528", "C2987", "C5993"} <= caps and len(caps) == 13
    from arabic.normalize import name_key

    assert idx.is_capital_name(name_key("حماة")) and idx.is_capital_name(name_key("درعا"))
    assert not idx.is_capital_name(name_key("سراقب"))
    assert all(idx.is_seat[r] for r in range(len(idx.kind)) if idx.is_capital[r])
