"""URL query parameters <-> view state: round trips, and tolerance of hand-edited URLs."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import Filters
from dashboard.filters import SPECS, Context, Filters as F
from dashboard.urlstate import ViewState, from_query, to_query

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).map(
    str.strip).filter(bool)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def views(draw) -> ViewState:
    start, end = sorted([draw(dates), draw(dates)])
    filters = Filters(
        start=draw(st.none() | st.just(start)), end=draw(st.none() | st.just(end)),
        types=tuple(draw(st.lists(words, max_size=3, unique=True))),
        governorates=tuple(draw(st.lists(words, max_size=3, unique=True))),
        sources=tuple(draw(st.lists(words, max_size=2, unique=True))),
        search=draw(st.just("") | words), min_count=draw(st.integers(0, 10_000)),
        include_undated=draw(st.booleans()), include_unlocated=draw(st.booleans()),
        include_background=draw(st.booleans()),
    )
    centre = draw(st.none() | st.tuples(st.integers(-900_000, 900_000), st.integers(-1_800_000, 1_800_000)).map(
        lambda t: (t[0] / 10_000, t[1] / 10_000)))
    return ViewState(filters=filters, event=draw(st.none() | words), centre=centre,
                     zoom=draw(st.none() | st.integers(1, 19)))


def as_url_and_back(query: dict) -> dict[str, list[str]]:
    """What a browser hands back after the query went through a real URL string."""
    return parse_qs(urlencode(query, doseq=True), keep_blank_values=True)


@given(views())
def test_round_trip_through_a_url(state: ViewState) -> None:
    parsed, problems = from_query(as_url_and_back(to_query(state)))
    assert problems == []
    assert parsed == state


def test_defaults_give_an_empty_query() -> None:
    assert to_query(ViewState()) == {}
    assert from_query({}) == (ViewState(), [])


def test_readable_parameter_names() -> None:
    state = ViewState(Filters(start=date(2012, 1, 1), end=date(2012, 12, 31), types=("defection", "desertion"),
                              governorates=("Hama",), search="حماة"), event="ev1", centre=(35.1, 36.75), zoom=9)
    assert to_query(state) == {"from": "2012-01-01", "to": "2012-12-31", "types": ["defection", "desertion"],
                               "gov": ["Hama"], "q": "حماة", "ev": "ev1", "lat": "35.1000", "lon": "36.7500",
                               "z": "9"}


@pytest.mark.parametrize("query, problem", [
    ({"from": ["2012-13-01"]}, "from"),
    ({"to": ["yesterday"]}, "to"),
    ({"from": ["2014-01-01"], "to": ["2013-01-01"]}, "after"),
    ({"min": ["-3"]}, "min"),
    ({"min": ["many"]}, "min"),
    ({"z": ["40"]}, "z"),
    ({"lat": ["95"], "lon": ["36"]}, "lat"),
])
def test_bad_values_are_dropped_and_reported(query: dict, problem: str) -> None:
    state, problems = from_query(query)
    assert len(problems) == 1 and problem in problems[0]
    assert state == ViewState()


def test_half_a_centre_is_no_centre_and_repeated_values_are_deduplicated() -> None:
    state, _ = from_query({"lat": ["35"], "types": ["shelling", "shelling", " ", "airstrike"]})
    assert state.centre is None
    assert state.filters.types == ("shelling", "airstrike")


# One non-default setting per filter spec: a spec added without an example here fails the test below.
SPEC_EXAMPLES = {
    "f_dates": F(start=date(2013, 2, 1), end=date(2014, 3, 1)),
    "f_types": F(types=("airstrike", "defection")),
    "f_gov": F(governorates=("Hama",)),
    "f_src": F(sources=("Outlet A", "Outlet B")),
    "f_q": F(search="حماة"),
    "f_min": F(min_count=12),
    "f_undated": F(include_undated=False),
    "f_unlocated": F(include_unlocated=False),
    "f_background": F(include_background=True),
    "f_status": F(statuses=("rejected",)),
}
CTX = Context({"event_type": ["airstrike", "defection"], "admin1": ["Hama"], "source": ["Outlet A", "Outlet B"]},
              (date(2012, 1, 1), date(2020, 1, 1)))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.key)
def test_every_filter_spec_round_trips_through_the_url_and_its_widget(spec) -> None:
    example = SPEC_EXAMPLES[spec.key]
    query = to_query(ViewState(filters=example))
    assert query and query == spec.to_query(example)  # only this spec speaks for this setting
    parsed, problems = from_query(as_url_and_back(query))
    assert problems == [] and parsed.filters == example
    widget_problems: list[str] = []
    assert spec.from_widget(spec.to_widget(example, CTX, widget_problems), CTX) == {
        k: v for k, v in vars(example).items() if k in spec.from_widget(None, CTX)}
    assert widget_problems == []
    assert spec.mask is not None and spec.to_query(F()) == {}  # the default leaves the URL alone



@pytest.mark.parametrize("statuses, query", [((), {"status": ["all"]}), (("corrected", "rejected"), {"status": ["corrected", "rejected"]})])
def test_review_status_round_trips_even_when_it_asks_for_every_status(statuses, query) -> None:
    state = ViewState(filters=F(statuses=statuses))
    assert as_url_and_back(to_query(state)) == query
    parsed, problems = from_query(query)
    assert problems == [] and parsed.filters.statuses == statuses


def test_rejected_events_are_hidden_by_default_and_an_unknown_status_is_reported() -> None:
    assert "rejected" not in F().statuses and to_query(ViewState()) == {}
    parsed, problems = from_query({"status": ["rejected", "bogus"]})
    assert parsed.filters.statuses == ("rejected",) and problems == ["ignored unknown review status 'bogus'"]
