"""A page's settings in its address, declared once: each parameter's name in the address, kind, default and
allowed values; parsed (an unknown or malformed parameter is dropped with a note, never an exception) and
written back (defaults left out, so links stay short).

    MAP = Address(Param("measure", default="no_subscription"), Param("classes", default=5), ...)
    state, notes = MAP.parse(st.query_params, allowed={"measure": GAP_MEASURES, "classes": range(3, 8)})
    MAP.query(state)  ->  {"classes": "7"}

Pure functions: :mod:`ui.page_state` keeps the state in the session and in the browser's address.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ui.i18n import N_, _

LANGUAGE = "lang"  # every page's language parameter (ui.i18n), never an unknown one
KINDS = ("choice", "choices", "number", "percent", "flag", "text")


@dataclass(frozen=True)
class Param:
    """One setting of a page. ``kind``: ``choice`` (one of the allowed values, text or whole numbers), ``choices``
    (several, the parameter repeated), ``number`` (≥ 0) or ``percent`` (0-100),
    ``flag`` (``1``) or ``text``. ``key`` names its widget (default: the address name); ``why`` says why a value
    not allowed was ignored."""

    name: str
    kind: str = "choice"
    default: object = None
    key: str = ""
    why: str = N_("not one of the choices")
    max_length: int = 100

    @property
    def widget(self) -> str:
        return self.key or self.name


def _values(params: Mapping, key: str) -> list[str]:
    """All values of a query parameter (Streamlit's query params and plain dicts alike)."""
    if hasattr(params, "get_all"):
        return list(params.get_all(key))
    value = params.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _number(raw: str, kind: str) -> float:
    value = float(raw)
    if not math.isfinite(value) or value < 0 or (kind == "percent" and value > 100):
        raise ValueError(raw)
    return value


class Address:
    """The parameters one page keeps in its address."""

    def __init__(self, *params: Param):
        assert all(p.kind in KINDS for p in params), [p.kind for p in params]
        self.params = params

    def defaults(self, runtime: Mapping[str, object] | None = None) -> dict[str, object]:
        """The settings a page opens with, by widget key (``runtime``: defaults known only when the page runs,
        by address name, such as the newest data period)."""
        runtime = runtime or {}
        return {
            p.widget: runtime.get(p.name, list(p.default or []) if p.kind == "choices" else p.default)
            for p in self.params
        }

    def parse(
        self, query: Mapping, allowed: Mapping[str, Iterable], runtime: Mapping[str, object] | None = None
    ) -> tuple[dict[str, object], list[str]]:
        """Settings by widget key from an address (``allowed``: each choice parameter's values; ``runtime``: as in
        :meth:`defaults`), and a note for each parameter that was ignored."""
        state, notes = self.defaults(runtime), []
        names = {p.name for p in self.params} | {LANGUAGE}
        notes += [_("Ignored unknown link parameter “{key}”.").format(key=k) for k in query if k not in names]
        for p in self.params:
            raws = _values(query, p.name)
            if p.kind != "choices":
                raws = raws[-1:]  # a repeated parameter: the last one counts
            for raw in raws:
                try:
                    value = self._value(p, raw, allowed)
                except ValueError:
                    why = _(p.why) if p.kind not in ("number", "percent") else _(NUMBER_WHY[p.kind])
                    notes.append(_("Ignored {key}=“{raw}”: {why}").format(key=p.name, raw=raw[:100], why=why))
                    continue
                if p.kind == "choices":
                    state[p.widget].append(value)
                else:
                    state[p.widget] = value
        return state, notes

    @staticmethod
    def _value(p: Param, raw: str, allowed: Mapping[str, Iterable]) -> object:
        if p.kind in ("number", "percent"):
            return _number(raw, p.kind)
        if p.kind == "flag":
            return raw.lower() in ("1", "true", "yes")
        if p.kind == "text":
            return raw[: p.max_length]
        options = {str(option): option for option in allowed[p.name]}
        if raw not in options:
            raise ValueError(raw)
        return options[raw]

    def query(
        self, state: Mapping[str, object], runtime: Mapping[str, object] | None = None
    ) -> dict[str, str | list[str]]:
        """The address parameters that restore ``state`` (by widget key); defaults and empty values left out."""
        defaults = self.defaults(runtime)
        query: dict[str, str | list[str]] = {}
        for p in self.params:
            value = state.get(p.widget)
            if value is None or value == defaults[p.widget] or value in ("", [], False):
                continue
            if p.kind == "choices":
                query[p.name] = [str(v) for v in value]
            elif p.kind in ("number", "percent"):
                query[p.name] = f"{value:g}"
            elif p.kind == "flag":
                query[p.name] = "1"
            else:
                query[p.name] = str(value)
        return query


NUMBER_WHY = {"number": N_("not a valid number"), "percent": N_("not a number from 0 to 100")}
