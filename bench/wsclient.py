"""A browser tab without the browser: Streamlit's own protocol over the app's websocket (`/_stcore/stream`).

The load benchmark needs many sessions at once; ten headless browsers eat a small machine's CPUs before
the server gets any. A `Tab` does what the Streamlit frontend does on the wire, at a fraction of the
cost: it sends `BackMsg.rerun_script` (the URL's query string, the widget states, the page, the
fragment a widget lives in, the hashes of the big messages it holds) and reads `ForwardMsg`s until the
run's `script_finished`. Like the frontend it keeps the widgets' values it has set and sends them on
every rerun (widgets left at their defaults are not sent: the server keeps them), follows the URL the
app writes (`page_info_changed`), and keeps a cache of the large cacheable messages so the server may
answer with a reference (`ref_hash`) instead of the message. A reload is a new `Tab`, as a page load
is a new session. Nothing is drawn: a run's elements are kept so callers can check what the page shows.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

STREAM = "/_stcore/stream"
RUN_TIMEOUT_S = 300.0  # a run under heavy load can be slow; a hung one must still end the benchmark
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ScriptError(RuntimeError):
    """The app's run failed (an exception on the page or a compile error)."""


@dataclass(frozen=True)
class Shown:
    """One element a run drew, with the fragment it belongs to ('' outside any)."""

    element: Element
    fragment_id: str

    @property
    def kind(self) -> str:
        return self.element.WhichOneof("type") or ""

    @property
    def body(self):
        return getattr(self.element, self.kind)


@dataclass
class Run:
    """What one rerun sent back: its elements in order, and the URL query string after it."""

    shown: list[Shown] = field(default_factory=list)
    query_string: str = ""
    references: int = 0  # elements the server sent as a hash of one this tab holds

    def of(self, kind: str) -> list[Shown]:
        return [s for s in self.shown if s.kind == kind]

    def metric(self, label: str) -> int | None:
        """A headline figure (`st.metric`) as a number, or None when the run did not draw it."""
        for s in self.of("metric"):
            if s.body.label == label:
                return int(s.body.body.replace(",", ""))
        return None

    def html_with(self, text: str) -> list[str]:
        """The bodies of the `st.html` elements that contain `text`."""
        return [s.body.body for s in self.of("html") if text in s.body.body]

    def widget(self, key: str) -> Shown | None:
        """The widget drawn with user key `key` (its id ends in `-key`), if this run drew it."""
        return next((s for s in self.shown if widget_key(getattr(s.body, "id", "")) == key), None)


def widget_key(widget_id: str) -> str | None:
    """The user key inside a widget id (`$$ID-<hash>-<key>`), None for an element without one."""
    parts = widget_id.split("-", 2)
    return parts[2] if widget_id.startswith("$$ID-") and len(parts) == 3 else None


# ---------------------------------------------------------------- widget values as the frontend sends them

def multiselect(options: list[str]) -> WidgetState:
    """A multiselect's value: the chosen options' labels."""
    ws = WidgetState()
    ws.string_array_value.data.extend(options)
    return ws


def date_range(lo: date, hi: date) -> WidgetState:
    """A date range slider's value: both ends as microseconds since the epoch (UTC midnight)."""
    ws = WidgetState()
    ws.double_array_value.data.extend(micros(d) for d in (lo, hi))
    return ws


def component(value: object) -> WidgetState:
    """A custom component's value (`setComponentValue` with dataType json)."""
    ws = WidgetState()
    ws.json_value = json.dumps(value)
    return ws


def micros(d: date) -> float:
    return (datetime(d.year, d.month, d.day, tzinfo=timezone.utc) - EPOCH).total_seconds() * 1e6


def day(micros_: float) -> date:
    return datetime.fromtimestamp(micros_ / 1e6, tz=timezone.utc).date()


# ---------------------------------------------------------------- the tab

class Tab:
    """One page load of the app: a websocket session that reruns the script as a browser would."""

    def __init__(self, base_url: str, query_string: str = "") -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{STREAM}"
        self.query_string = query_string
        self.values: dict[str, WidgetState] = {}  # user key -> the value this tab set
        self.widgets: dict[str, Shown] = {}  # user key -> the widget as last drawn
        self.cache: dict[str, ForwardMsg] = {}  # hash -> cacheable message, as the frontend keeps them
        self.page_hash = ""
        self.conn: ClientConnection | None = None

    async def open(self) -> Run:
        """Connect and run the page (the first rerun carries only the URL, as a fresh page does)."""
        self.conn = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None, compression=None,
                                  open_timeout=RUN_TIMEOUT_S)
        return await self.rerun()

    async def set(self, key: str, value: WidgetState) -> Run:
        """Change the widget with user key `key` and rerun (only its fragment, when it lives in one)."""
        if key not in self.widgets:
            raise KeyError(f"no widget {key!r} on the page")
        self.values[key] = value
        return await self.rerun(fragment_id=self.widgets[key].fragment_id)

    async def rerun(self, fragment_id: str = "") -> Run:
        """Send the tab's state and read until the run's `script_finished`."""
        assert self.conn is not None, "open() first"
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self.client_state(fragment_id))
        await self.conn.send(msg.SerializeToString())
        return await asyncio.wait_for(self.read_run(), RUN_TIMEOUT_S)

    def client_state(self, fragment_id: str) -> ClientState:
        state = ClientState(query_string=self.query_string, page_script_hash=self.page_hash, fragment_id=fragment_id)
        state.cached_message_hashes.extend(self.cache)
        state.context_info.url = f"{self.base_url}/"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        for key, value in self.values.items():
            if key in self.widgets:
                ws = state.widget_states.widgets.add()
                ws.CopyFrom(value)
                ws.id = self.widgets[key].body.id
        return state

    async def read_run(self) -> Run:
        run = Run(query_string=self.query_string)
        while True:
            raw = await self.conn.recv()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":
                msg = self.resolve(msg)
                kind = "delta"
                run.references += 1
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash or msg.new_session.main_script_hash
            elif kind == "page_info_changed":
                self.query_string = run.query_string = msg.page_info_changed.query_string
            elif kind == "delta":
                self.take_delta(msg, run)
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    if errors := run.of("exception"):
                        raise ScriptError(f"{errors[0].body.type}: {errors[0].body.message}")
                    return run
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ScriptError("the app did not compile")

    def resolve(self, ref: ForwardMsg) -> ForwardMsg:
        """The cached message a reference stands for, with the reference's metadata (its place on the page)."""
        if ref.ref_hash not in self.cache:
            raise ScriptError(f"server referred to a message this tab never cached: {ref.ref_hash}")
        msg = ForwardMsg()
        msg.CopyFrom(self.cache[ref.ref_hash])
        msg.metadata.CopyFrom(ref.metadata)
        return msg

    def take_delta(self, msg: ForwardMsg, run: Run) -> None:
        if msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        if msg.delta.WhichOneof("type") != "new_element":
            return
        shown = Shown(msg.delta.new_element, msg.delta.fragment_id)
        run.shown.append(shown)
        if key := widget_key(getattr(shown.body, "id", "")):
            self.widgets[key] = shown

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()
            self.conn = None
