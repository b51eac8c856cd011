"""A browser's side of Streamlit's websocket protocol, enough to drive the app as a visitor does: open a page
(with its address), change a widget, and read what the rerun shows.

The browser connects to ``/_stcore/stream``, sends a ``BackMsg.rerun_script`` (the address's query string, the
page, the widgets' values and the hashes of the big messages it has cached), and the server answers with
``ForwardMsg``s (a new session, deltas that draw elements, and ``script_finished``). We do the same with the
``websockets`` package and Streamlit's own protobuf classes, and keep the text of every drawn element so a check
can ask "does this rerun show the chosen area's heading?".
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
RERUN_SECONDS = 60  # a rerun not finished by then counts as an error (a browser shows "Running…" meanwhile)


class RerunFailed(RuntimeError):
    """The rerun raised an exception on the page, or did not finish in time; the message says which."""


@dataclass
class Rerun:
    """What one rerun showed: the seconds from the request to ``script_finished``, the text of every element
    drawn (headings, markdown, captions, widget labels), the widgets by their key, and the bytes received."""

    seconds: float
    texts: list[str]
    widgets: dict[str, tuple[str, object]]  # user key (or label) → (widget id, its element)
    bytes_received: int

    def shows(self, words: str) -> bool:
        return any(words in text for text in self.texts)


@dataclass
class Session:
    """One simulated browser tab: its websocket, the app's pages, and the widget values it would send."""

    ws: object
    pages: dict[str, str] = field(default_factory=dict)  # page name ("Map") → page script hash
    page_hash: str = ""
    states: dict[str, WidgetState] = field(default_factory=dict)  # widget id → value sent with every rerun
    cached: dict[str, ForwardMsg] = field(default_factory=dict)  # the big messages this "browser" keeps, by hash

    @classmethod
    async def open(cls, ws_url: str, headers: dict[str, str] | None = None) -> Session:
        """Connect as a browser tab does (``headers``: e.g. the proxy's route cookie)."""
        ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, compression=None,
                                      open_timeout=RERUN_SECONDS, ping_interval=None,
                                      additional_headers=headers)  # fmt: skip
        return cls(ws)

    async def close(self) -> None:
        await self.ws.close()

    async def visit(self, page: str, query: str = "") -> Rerun:
        """Open ``page`` by its address ("Map", "Council_notes"; "" for home) with a query string, as a link or
        the sidebar does."""
        self.states = {}  # Streamlit forgets a page's widgets when another page runs
        return await self.rerun(query, page=page)

    async def change(self, widget_id: str, query: str = "", **value) -> Rerun:
        """Set one widget (``string_value="Englewood"``, ``double_value=10.0``…) and rerun, as a browser does."""
        self.set(widget_id, **value)
        return await self.rerun(query)

    def set(self, widget_id: str, **value) -> None:
        """Set a widget's value for the next rerun (a form's fields before its submit button)."""
        self.states[widget_id] = WidgetState(id=widget_id, **value)

    async def press(self, widget_id: str, query: str = "") -> Rerun:
        """Press a button (a form's submit button): true for this one rerun, as a browser sends it."""
        self.set(widget_id, trigger_value=True)
        try:
            return await self.rerun(query)
        finally:
            self.states.pop(widget_id, None)

    async def rerun(self, query: str = "", page: str | None = None) -> Rerun:
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = query
        if page is not None:  # a visit names the page, as the browser's address does
            self.page_hash, client.page_name = "", page
        client.page_script_hash = self.page_hash
        client.widget_states.widgets.extend(self.states.values())
        client.cached_message_hashes.extend(self.cached)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._until_finished(start), RERUN_SECONDS)

    async def _until_finished(self, start: float) -> Rerun:
        texts, widgets, received = [], {}, 0
        while True:
            raw = await self.ws.recv()
            received += len(raw)
            msg = ForwardMsg.FromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "ref_hash":  # "draw the message you cached": what the browser does with it
                msg, kind = self.cached[msg.ref_hash], "delta"
            elif msg.metadata.cacheable and msg.hash:
                self.cached[msg.hash] = msg
            if kind in ("new_session", "page_info_changed", "navigation"):
                self._learn_pages(getattr(msg, kind))
            elif kind == "delta":
                _read_delta(msg.delta, texts, widgets)
            elif kind == "script_finished":
                if msg.script_finished in FINISHED:
                    return Rerun(time.perf_counter() - start, texts, widgets, received)
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    texts, widgets = [], {}  # st.rerun(): the next run draws the page again
                    continue
                raise RerunFailed(f"script finished with status {msg.script_finished}")

    def _learn_pages(self, message) -> None:
        """The page now shown, which the next rerun names (the hash, as a browser does after its first run)."""
        pages = getattr(message, "app_pages", [])
        self.pages |= {page.page_name: page.page_script_hash for page in pages}
        if getattr(message, "page_script_hash", ""):
            self.page_hash = message.page_script_hash


TEXT_FIELDS = ("markdown", "heading", "alert", "metric", "text", "caption")


def _read_delta(delta, texts: list[str], widgets: dict) -> None:
    if delta.WhichOneof("type") != "new_element":
        return
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        raise RerunFailed(f"the page showed an exception: {element.exception.type}")
    part = getattr(element, kind)
    for name in ("body", "label"):
        value = getattr(part, name, None)
        if isinstance(value, str) and value:
            texts.append(value)
    widget_id = getattr(part, "id", "")
    if widget_id.startswith("$$ID-"):
        key = widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else ""
        label = getattr(part, "label", "")
        widgets[key if key and key != "None" else label] = (widget_id, part)
        if label:
            widgets.setdefault(label, (widget_id, part))
