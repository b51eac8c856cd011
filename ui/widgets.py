"""Widgets several pages share: measure and period pickers, the measure table, a council-note card."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from data.geographies import GEOGRAPHIES
from data.measures import GAP_MEASURES, MEASURES, cols
from data.place_table import PlaceTable
from geo import leaflet
from notes.redact import EMAIL_REMOVED, PHONE_REMOVED
from ui import cache
from ui import format as fmt
from ui.i18n import N_, _, cache_words, in_reader_language, theme_words
from ui.prose import reliability_words, significance_words
from ui.text import plain
from ui.words import PLACES, period_label, place_heading, spoken_names


def geography_picker(key: str = "geo", on_change=None) -> str:
    """Community areas or the City Council's wards (seeded in the session state by the page, from its address)."""
    return st.radio(_("Show by"), list(GEOGRAPHIES), format_func=lambda g: _(PLACES[g].choice), key=key,
                    horizontal=True, on_change=on_change)  # fmt: skip


def stop_if_geography_missing(vintage: str, geography: str) -> None:
    """Say so and stop the page when the chosen period has no figures for the chosen geography (wards need the
    2020 census tracts: ACS 2015-2019 is on the 2010 ones)."""
    if not cache.has_geography(vintage, geography):
        st.info(_("{period} is published for the 2010 census tracts, so it has no figures by {places}. Choose "
                  "ACS 2017-2021 or a later period, or show community areas.").format(
            period=period_label(vintage), places=_(PLACES[geography].choice).lower()))  # fmt: skip
        st.stop()


def measure_picker(key: str = "measure") -> str:
    """The measure to show (its value is seeded in the session state by the page, from its address)."""
    return st.selectbox(_("Measure"), GAP_MEASURES, format_func=lambda m: _(MEASURES[m].label), key=key)


def vintage_picker(key: str = "vintage") -> str:
    return st.selectbox(_("Data period"), cache.vintages(), format_func=period_label, key=key)


def map_library_ready() -> bool:
    """Leaflet is served by the app; copy it into place if a bare install left it out, else say what to run."""
    try:
        leaflet.ensure()
    except (leaflet.LeafletMissing, OSError):
        st.error(_("The map library (Leaflet) is missing from the app's static folder and could not be copied "
                   "there, so the map cannot be drawn. Start the app with `make run`, which installs everything "
                   "it needs."))  # fmt: skip
        return False
    return True


def legend(title: str, entries: list[tuple[str, str]]) -> None:
    """The map's legend, outside the map so it covers no area at any screen width: a small table whose first
    column shows each class's colour (our own labels, escaped; a plain HTML table is cheap to send)."""
    rows = "".join(
        f'<tr><td style="background:{colour};width:2.5em;border:1px solid #bbb"></td>'
        f'<td style="padding:2px 10px;border:1px solid #ddd">{html.escape(label)}</td></tr>'
        for colour, label in entries
    )
    caption = f'<caption style="caption-side:top;text-align:left;padding-bottom:4px">{html.escape(title)}</caption>'
    with st.container(key="map_legend"):
        st.html(f'<table style="border-collapse:collapse;font-size:14px">{caption}{rows}</table>', width="content")


def stop_if_measure_missing(table: PlaceTable, measure: str) -> None:
    """Say so and stop the page when the chosen period lacks the chosen measure."""
    if table.lacks(measure):
        st.info(_("{period} does not include “{measure}”. Choose another measure or data period.").format(
            period=period_label(table.key), measure=_(MEASURES[measure].label)))  # fmt: skip
        st.stop()


def download(where, label: str, make, file_name: str, mime: str, **options) -> None:
    """A download button (``where``: ``st`` or a column) whose file is made only when clicked, on Streamlit's
    download thread, in the reader's language, and without rerunning the page."""
    where.download_button(label, in_reader_language(make), file_name, mime, on_click="ignore", **options)


ALL_NOTES = "all notes"  # a notes menu's choice of every note ("" is none; anything else is a theme)


def notes_choice_words(choice: str, fixed: dict[str, str]) -> str:
    """How a notes menu names a choice: ``fixed`` words for "" and :data:`ALL_NOTES`, and for a theme the notes
    that raise it (a theme's name as the Council wrote it)."""
    if choice in fixed:
        return _(fixed[choice])
    return _("Notes that raise “{theme}”").format(theme=theme_words(choice))


# Column headings (translated when a table is made: use them as _(SHARE) and so on)
SHARE = N_("Share of households (%)")
SHARE_MOE = N_("± share (points)")
COUNT_MOE = N_("± households")
ALL_HOUSEHOLDS = N_("All households")
CV = N_("CV (%)")
RANK = N_("Rank of {n}")  # n: how many places are ranked
PLAUSIBLE = N_("Plausible ranks")
VERSUS_CITY = N_("Compared with the city")
RELIABILITY = N_("Reliability")
GROUPS = {"side": N_("Side")}  # the heading of a geography's grouping column


def measure_view(table: PlaceTable, rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One row per place of ``rows`` (some of ``table``'s, in their order) for one measure, in the words the
    pages use: share and count with their margins, all households, CV and reliability, the rank among all
    places with the range it plausibly holds given the margins of error, and the 90 % test against the city.
    Numbers stay numeric (sortable). Made once per period, geography, measure, language and list of places."""
    numbers = tuple(int(n) for n in rows.index)
    return _view(cache.data_version(), table.key, table.geography.key, measure, numbers)


@cache_words(max_entries=128)
def _view(data: str, vintage: str, geography: str, measure: str, numbers: tuple[int, ...]) -> pd.DataFrame:
    """:func:`measure_view`, cached (``data``: the snapshot's version, so a rebuilt snapshot is read again)."""
    c = cols(measure)
    table = cache.place_table(vintage, geography)
    areas = table.rows.loc[list(numbers)]
    ranked = table.ranking(measure).loc[list(numbers)]
    group = table.geography.group
    return pd.DataFrame(
        {  # what a phone shows first: the name, the share and where it stands
            place_heading(table.geography): areas["name"].to_numpy(),
            _(SHARE): areas[c.pct].to_numpy(),
            _(SHARE_MOE): areas[c.pct_moe].to_numpy(),
            rank_heading(table): ranked["rank"].to_numpy(),
            _(PLAUSIBLE): [plausible_ranks(lo, hi) for lo, hi in zip(ranked["low"], ranked["high"], strict=True)],
            _(VERSUS_CITY): table.versus_city(measure).loc[list(numbers)].map(significance_words).to_numpy(),
            _(MEASURES[measure].counted): areas[c.count].round().to_numpy(),  # whole households, for display only
            _(COUNT_MOE): areas[c.moe].round().to_numpy(),
            _(ALL_HOUSEHOLDS): areas["households"].round().to_numpy(),
            _(RELIABILITY): areas[c.reliability].map(reliability_words).to_numpy(),
            _(CV): areas[c.cv].to_numpy(),
            **({_(GROUPS[group]): areas[group].to_numpy()} if group else {}),
        }
    )


def rank_heading(table: PlaceTable) -> str:
    """'Rank of 77', 'Rank of 50'."""
    return _(RANK).format(n=len(table.rows))


def plausible_ranks(low, high) -> str:
    return fmt.MISSING if pd.isna(low) else (f"{low}" if low == high else f"{low}–{high}")


def measure_columns(table: PlaceTable, measure: str) -> dict:
    """How :func:`measure_view`'s columns are shown: the place's name pinned (it stays in view when the table
    scrolls sideways), one decimal for shares, whole households, and a plain sentence of help on the columns a
    council member may not know (columns keep their natural width: a narrower one would cut its heading)."""
    one_decimal = st.column_config.NumberColumn(format="%.1f")
    households = st.column_config.NumberColumn(format="localized")
    return {
        place_heading(table.geography): st.column_config.TextColumn(pinned=True),
        _(SHARE): one_decimal,
        _(SHARE_MOE): st.column_config.NumberColumn(
            format="%.1f", help=_("90 % margin of error, in percentage points")
        ),
        _(MEASURES[measure].counted): households,
        _(COUNT_MOE): households,
        _(ALL_HOUSEHOLDS): households,
        _(CV): st.column_config.NumberColumn(
            format="%.1f",
            help=_("Coefficient of variation: under 15 reliable, 15-30 use with caution, over 30 unreliable"),
        ),
        rank_heading(table): st.column_config.NumberColumn(
            help=_("Among the {n} places; 1 = largest share").format(n=len(table.rows))
        ),
        _(PLAUSIBLE): st.column_config.TextColumn(
            help=_(
                "90 % range of the rank, from simulating every census tract's estimates with their margins of error"
            ),  # fmt: skip
        ),
        _(VERSUS_CITY): st.column_config.TextColumn(
            width="large", help=_("90 % significance test against the share in the rest of the city")
        ),
    }


def shown_formats(measure: str) -> dict[str, int]:
    """The decimals each numeric column of :func:`measure_view` is shown with (shares and CVs one, households
    none), for the downloads to read as the screen does."""
    return {
        _(SHARE): 1, _(SHARE_MOE): 1, _(CV): 1,
        _(MEASURES[measure].counted): 0, _(COUNT_MOE): 0, _(ALL_HOUSEHOLDS): 0,
    }  # fmt: skip


def as_shown(shown: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The table with its numbers rounded as the screen shows them (half up, once): counts as whole numbers,
    shares to one decimal (the full precision stays in the snapshot's own columns)."""
    out = shown.copy()
    for column, decimals in shown_formats(measure).items():
        if column in out:
            values = [None if pd.isna(v) else float(fmt.rounded(v, decimals)) for v in out[column]]
            out[column] = pd.array(values, dtype="Int64" if decimals == 0 else "Float64")
    return out


def measure_table(
    table: PlaceTable,
    rows: pd.DataFrame,
    measure: str,
    key: str = "measures",
    extra: dict | None = None,
    counts_first: bool = False,
    extra_after: str | None = None,
    cards: bool = True,
) -> pd.DataFrame:
    """The measure's table for ``rows`` of ``table`` (``extra``: more columns, name → values in the rows' order,
    at the end or right after the column ``extra_after``; ``counts_first``: households before shares, when the
    map shows numbers of households; ``cards``: one card per place on a phone); returns what it shows."""
    shown = measure_frame(table, rows, measure, extra, counts_first, extra_after)
    show_measure_frame(table, shown, measure, key, cards)
    return shown


def measure_frame(
    table: PlaceTable,
    rows: pd.DataFrame,
    measure: str,
    extra: dict | None = None,
    counts_first: bool = False,
    extra_after: str | None = None,
) -> pd.DataFrame:
    """What :func:`measure_table` shows, as a frame of formatted columns in the reader's language."""
    shown = as_shown(measure_view(table, rows, measure), measure).assign(**(extra or {}))
    if extra and extra_after:
        before = list(shown.columns[: list(shown.columns).index(extra_after) + 1])
        shown = shown[[*before, *extra, *(c for c in shown.columns if c not in before and c not in extra)]]
    if counts_first:
        counts = [_(MEASURES[measure].counted), _(COUNT_MOE)]
        shown = shown[[shown.columns[0], *counts, *(c for c in shown.columns[1:] if c not in counts)]]
    return shown


def show_measure_frame(table: PlaceTable, shown, measure: str, key: str, cards: bool = True) -> None:
    """Draw a frame of :func:`measure_frame`, or the same as an Arrow table (``cards``: one card per place on a
    phone; a pandas frame only)."""

    def wide(frame):
        st.dataframe(frame, hide_index=True, width="stretch", placeholder=fmt.MISSING,
                     column_config=measure_columns(table, measure))  # fmt: skip

    if cards:
        table_or_cards(shown, key, wide)
    else:
        with st.container(key=key):
            wide(shown)


def table_or_cards(frame: pd.DataFrame, key: str, wide) -> None:
    """``frame`` drawn by ``wide(frame)`` on a wide screen and as one card per row on a phone (the page's style
    sheet shows one or the other by the screen's width), so no column is ever cut off or scrolled away. Cards
    name their row by its first column and write the rest as "heading: value", numbers as the table shows them."""
    with st.container(key=f"wide_{key}"):
        wide(frame)
    with st.container(key=f"phone_{key}"):
        for record in frame.to_dict("records"):
            with st.container(border=True):
                st.caption(str(record.pop(frame.columns[0])))
                plain("\n".join(f"{name}: {card_value(value)}" for name, value in record.items()))


def card_value(value) -> str:
    """A table cell as a card writes it: numbers grouped for the reader's language, missing values as —."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fmt.MISSING
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt.number(value, 0 if float(value).is_integer() else 1)
    return str(value)


def note_card(note, area_names: dict[int, str], max_chars: int = 3000):
    """One council note as plain text (title, date · event · areas and wards · themes, body) in a bordered box.
    Returns the box so a page can add controls to it."""
    box = st.container(border=True)
    with box:
        if note.deleted:
            st.caption(_("Deleted note (staff can restore it)"))
        st.caption(
            _("Public") if note.visibility == "public" else _("Council only: signed-in council members and staff")
        )
        with st.container(key=f"note_title_{note.id}"):  # bold by the page style: a title, not body text
            plain(removed_markers_worded(note.title))
        when = fmt.date(note.conversation_date) if note.conversation_date else _("date not given")
        wards = spoken_names(GEOGRAPHIES["ward"], note.wards) or {}
        places = [area_names.get(a, str(a)) for a in note.areas] + [wards[w] for w in note.wards]
        where = "; ".join(places) or _("no area")
        themes = "; ".join(theme_words(t) for t in note.themes)
        plain(" · ".join(p for p in [when, note.event, where, themes] if p))
        plain(removed_markers_worded(note.body[:max_chars]) + (" …" if len(note.body) > max_chars else ""))
    return box


def removed_markers_worded(text: str) -> str:
    """A note's text with the markers left where contact details were removed in the reader's language."""
    return text.replace(EMAIL_REMOVED, _("[e-mail removed]")).replace(PHONE_REMOVED, _("[phone removed]"))
