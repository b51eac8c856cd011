"""The sections of the Map page: its settings (the geography among them), the map itself, the chosen place's
panel and profile, and the table of every place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pyarrow
import streamlit as st

from data.geographies import DEFAULT as DEFAULT_GEOGRAPHY
from data.geographies import GEOGRAPHIES
from data.measures import GAP_MEASURES, MEASURES, cols
from data.place_table import PlaceTable
from geo import maps
from geo.maps import CLASS_RANGE
from notes.accounts import Account
from settings import map_tiles
from ui import cache, nav, page_state, widgets
from ui import format as fmt
from ui.downloads import safe_csv_bytes
from ui.fast_map import Focus, Overlay, show_map
from ui.faults import notes_database
from ui.i18n import N_, _, cache_words, current, link_params, ngettext, speaking, theme_words
from ui.links import Address, Param
from ui.printable import Profile, shorten
from ui.prose import area_profile, change_caveat, headline, tooltip_lines
from ui.text import plain
from ui.words import period_label, places_say


@dataclass(frozen=True)
class MapSettings:
    geography: str
    measure: str
    as_share: bool
    vintage: str
    scheme: str
    classes: int
    notes_layer: str  # "" (none), widgets.ALL_NOTES, or a theme: the number of council notes per area on the map
    labels: bool  # area names on the map

    @property
    def column(self) -> str:
        return cols(self.measure).pct if self.as_share else cols(self.measure).count


MAP = "map"  # the page's name for its kept state
CHOSEN = {"community_area": "area", "ward": "ward"}  # the parameter (and search box) of a geography's chosen place
ADDRESS = Address(
    Param("geo", default=DEFAULT_GEOGRAPHY),
    Param("measure", default="no_subscription"),
    Param("vintage"),
    Param("show", default="share"),
    Param("scheme", default="quantiles"),
    Param("classes", default=5),
    *(Param(chosen) for chosen in CHOSEN.values()),
)
VIEW = "map_view"  # centre and zoom the search box chose
SESSION_ONLY = {"notes_layer": "", "labels": False, VIEW: None}  # kept for the session, not in the address
SHOW = {"share": N_("Share of households"), "count": N_("Number of households")}


def restore_map_state() -> None:
    """The settings from the address on the session's first visit (a shared link opens zoomed on its place),
    else as last seen."""
    first_visit = not page_state.seen(MAP)
    page_state.restore(MAP, ADDRESS, allowed_settings(), SESSION_ONLY)
    if first_visit:
        zoom_to_chosen(keep_city_view=True)


def allowed_settings() -> dict[str, list]:
    allowed = {
        "geo": list(GEOGRAPHIES), "measure": GAP_MEASURES, "vintage": cache.vintages(), "show": list(SHOW),
        "scheme": list(maps.SCHEMES), "classes": list(CLASS_RANGE),
    }  # fmt: skip
    for geography, chosen in CHOSEN.items():
        allowed[chosen] = list(range(1, GEOGRAPHIES[geography].count + 1))
    return allowed


def save_map_state() -> None:
    """Remember the settings and the chosen place, and write them to the address (so a link restores them)."""
    page_state.save(MAP, ADDRESS, session_only=SESSION_ONLY)


def chosen_key() -> str:
    """The session key (and address parameter) of the place chosen in the geography shown now."""
    return CHOSEN[st.session_state.get("geo") or DEFAULT_GEOGRAPHY]


def zoom_to_chosen(keep_city_view: bool = False) -> None:
    """Choosing a place in the search box zooms the map to it; clearing the box shows the whole city again
    (``keep_city_view``: leave the view as drawn when nothing is chosen)."""
    place = st.session_state.get(chosen_key())
    if place is not None:
        st.session_state[VIEW] = maps.view_of(cache.boundaries(st.session_state["geo"]), place)
    else:
        st.session_state[VIEW] = None if keep_city_view else (maps.CHICAGO_CENTER, 10)


def geography_changed() -> None:
    """Showing another geography: nothing is chosen in it yet, and the map shows the whole city."""
    for chosen in CHOSEN.values():
        st.session_state[chosen] = None
    st.session_state[VIEW] = (maps.CHICAGO_CENTER, 10)


LAYER_WORDS = {"": N_("None"), widgets.ALL_NOTES: N_("All notes: how many per area")}


def map_settings(themes: list[str]) -> MapSettings:
    """The sidebar's map settings (``themes``: the codebook, for the notes layer)."""
    with nav.settings_sidebar():
        st.header(_("Map settings"))
        geography = widgets.geography_picker(on_change=geography_changed)
        measure = widgets.measure_picker()
        show = st.radio(_("Show"), list(SHOW), format_func=lambda s: _(SHOW[s]), key="show")
        vintage = widgets.vintage_picker()
        scheme = st.selectbox(_("Colour classes"), list(maps.SCHEMES), format_func=lambda s: _(maps.SCHEMES[s][0]),
                              key="scheme")  # fmt: skip
        k = st.slider(_("Number of classes"), CLASS_RANGE.start, CLASS_RANGE.stop - 1, key="classes")
        layer = st.selectbox(_("Council notes on the map"), ["", widgets.ALL_NOTES, *themes], key="notes_layer",
                             format_func=lambda c: widgets.notes_choice_words(c, LAYER_WORDS))  # fmt: skip
        labels = st.checkbox(_("Area names on the map"), key="labels")
    return MapSettings(geography, measure, show == "share", vintage, scheme, k, layer, labels)


def gap_map(table: PlaceTable, settings: MapSettings, account: Account | None = None) -> int | None:
    """Draw the choropleth; returns the area number of a new click on the map (None when there is none).
    One map frame stays on the page; the coloured areas (rendered once per setting), the area names and the
    note counts (those ``account`` may see) are layers over it, and the chosen area's outline and the search
    box's view reach it beside the map, so choosing a place never sends the map again."""
    if not widgets.map_library_ready():
        return None
    m = settings.measure
    classes = cache.classes(table, settings.column, settings.scheme, settings.classes, share=settings.as_share)
    unit = _("% of households") if settings.as_share else _("households")
    title = f"{_(MEASURES[m].label)} ({unit}), {period_label(table.key)}"
    geojson = cache.boundaries(settings.geography)

    def colours():
        return maps.areas_layer(geojson, table.rows, settings.column, classes, tooltip_lines(table.rows, m),
                                table.unreliable(m), title, current(), (_("Zoom in"), _("Zoom out")))  # fmt: skip

    place = st.session_state.get(chosen_key())
    shown = (cache.data_version(), settings.geography, settings.column, settings.vintage, settings.scheme,
             settings.classes, title, current())  # fmt: skip
    overlays = [Overlay(("areas", *shown), colours)]  # a new measure or period recolours the same map frame
    if settings.labels:
        overlays.append(Overlay(("names", settings.geography, current()), lambda: maps.area_labels(geojson)))
    counts = note_counts(account, settings.notes_layer, settings.geography) if settings.notes_layer else None
    if counts:
        overlays.append(
            Overlay(
                ("notes", current(), tuple(sorted(counts.items()))),  # the circles are named in the language
                lambda: maps.note_counts_layer(geojson, counts, note_count_words),
            )
        )
    clicked = show_map(
        "gap_map",
        ("frame", map_tiles()),
        lambda: maps.frame_map(tiles=map_tiles()),
        height=620,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
        overlays=overlays,  # layers over one unchanging map: changing them never makes a new frame
        focus=Focus(maps.outline_geometry(geojson, place), st.session_state.get(VIEW)),
    )  # choosing a place sends only the focus: its outline, and the view the search box chose
    widgets.legend(f"{_(MEASURES[m].label)} ({unit})", maps.legend_entries(classes, _("No data")))
    st.caption(_("Hatched areas: the estimate is unreliable (CV over 30 %). Grey: no data. "
                 "Click an area for its profile."))  # fmt: skip
    summary = map_summary(cache.data_version(), settings)
    st.caption(summary, help=_("The map in words, for screen readers; the table of every place is further down "
                               "the page."))  # fmt: skip
    return clicked_on_map(clicked or {})


def note_count_words(n: int) -> str:
    return ngettext("{n} council note", "{n} council notes", n).format(n=n)


def note_counts(account: Account | None, layer: str, geography: str) -> dict[int, int] | None:
    """Council notes per area for the map layer (those ``account`` may see; with a theme, those that raise
    it); None, with a sentence, when the notes cannot be read. Cached until the next write to the notes."""
    with notes_database(stop=False):
        return cache.note_counts(account, None if layer == widgets.ALL_NOTES else layer, geography)
    return None


@cache_words(max_entries=256)
def map_summary(data: str, settings: MapSettings) -> str:
    """The map's pattern in one sentence, for readers who cannot see it: where the highest and lowest values
    are, and how many estimates are unreliable (``data``: the snapshot's version, part of the cache key)."""
    table = cache.place_table(settings.vintage, settings.geography)
    column = settings.column
    ranked = table.rows.dropna(subset=[column]).sort_values(column, ascending=False)
    show = fmt.pct if settings.as_share else fmt.count
    top = ", ".join(f"{name} ({show(value)})" for name, value in ranked[["name", column]].head(3).to_numpy())
    bottom = ", ".join(f"{name} ({show(value)})" for name, value in ranked[["name", column]].tail(3).to_numpy())
    words = [_("In words: highest in {top}; lowest in {bottom}.").format(top=top, bottom=bottom)]
    group = table.geography.group
    if group:
        sides = ranked.head(10)[group].value_counts()
        words.append(_("{n} of the 10 highest are on the {side}.").format(n=int(sides.iloc[0]), side=sides.index[0]))
    if table.has_moe:
        unreliable = int(table.unreliable(settings.measure).sum())
        words.append(_("Unreliable estimates: {unreliable} of {total}.").format(unreliable=unreliable,
                                                                                total=len(table.rows)))  # fmt: skip
    else:
        words.append(_("Reliability unknown: our source has no margins of error for this period."))
    return " ".join(words)


def click_from_last_run() -> int | None:
    """A click the map sent since the last run (read before the map is drawn, so its outline is right)."""
    return st.session_state.pop(PENDING_CLICK, None) or new_click(st.session_state.get("gap_map") or {})


PENDING_CLICK = "map_click_pending"


def new_click(clicked: dict) -> int | None:
    """The area of a click not seen before (streamlit-folium repeats the last click on every rerun)."""
    click_id = (clicked.get("last_object_clicked_tooltip"), str(clicked.get("last_object_clicked")))
    if click_id == st.session_state.get("last_map_click"):
        return None
    st.session_state["last_map_click"] = click_id
    return maps.tooltip_area_number(click_id[0])


def clicked_on_map(clicked: dict) -> int | None:
    """A click the map reports while it is drawn: kept for the next run, which selects it."""
    place = new_click(clicked)
    if place is not None:
        st.session_state[PENDING_CLICK] = place
    return place


def place_picker(table: PlaceTable) -> int | None:
    """The search box: type part of a name (or a ward's number), pick the place, and the map zooms to it."""
    names = table.names()
    return st.selectbox(
        places_say(table.geography, "find"),
        list(names),
        format_func=lambda n: names[n],
        index=None,
        placeholder=_("Type a name, or click the map"),
        key=chosen_key(),
        on_change=zoom_to_chosen,
    )


def place_panel(table: PlaceTable, place: int | None, measure: str) -> None:
    """Beside the map: the city's figure, or the chosen place's figure and headline."""
    c = cols(measure)
    city = table.city
    if place is None:
        st.metric(_("Citywide: {measure}").format(measure=_(MEASURES[measure].label)),
                  fmt.with_moe(city[c.pct], city[c.pct_moe], as_pct=True))  # fmt: skip
        st.write(_("{count} of {households} households.").format(
            count=fmt.with_moe(city[c.count], city[c.moe]), households=fmt.count(city["households"])))  # fmt: skip
        return
    row = table.row(place)
    st.subheader(row["name"])
    households = _("{households} households").format(households=fmt.with_moe(row["households"], row["households_moe"]))
    group = [row[table.geography.group]] if table.geography.group else []
    st.caption(" · ".join([*group, households, period_label(table.key)]))
    st.metric(_(MEASURES[measure].label), fmt.with_moe(row[c.pct], row[c.pct_moe], as_pct=True))
    st.write(_("{count} households.").format(count=fmt.with_moe(row[c.count], row[c.moe])))
    st.write(headline(table, place, measure))


def overlap_words(table: PlaceTable, place: int) -> str:
    """'Woodlawn 36 %, Washington Park 21 %, …': the other geography's places sharing this place's households."""
    other = next(g for g in GEOGRAPHIES.values() if g != table.geography)
    shares = table.overlaps(place)
    names = cache.place_table(cache.main_vintage(), other.key).names()
    return ", ".join(f"{names[int(n)]} {fmt.pct(share, 0)}" for n, share in shares.items() if share >= 0.5)


@cache_words(max_entries=1024)
def place_profile(data: str, vintage: str, geography: str, place: int) -> tuple[pd.DataFrame, str]:
    """The profile table of one place and the places of the other geography sharing its households, in the
    reader's language: computed once per snapshot (``data``), period, geography, place and language, for every
    visitor."""
    table = cache.place_table(vintage, geography)
    return area_profile(table, place), overlap_words(table, place)


def profile_section(table: PlaceTable, place: int, settings: MapSettings, account: Account | None = None) -> None:
    """Every measure for one place, which places of the other geography share its households, what its residents
    told the Council (the notes ``account`` may see), and the same on one printable page."""
    names = table.names()
    st.subheader(_("Profile of {area}").format(area=names[place]))
    profile, overlaps = place_profile(cache.data_version(), table.key, table.geography.key, place)
    st.write(places_say(table.geography, "overlaps", place=names[place], places=overlaps))
    widgets.table_or_cards(profile, "profile", lambda frame: st.table(frame.set_index(frame.columns[0])))
    caveat = change_caveat(table) if table.earlier else ""
    if caveat:
        st.caption(caveat)
    themes, place_notes = notes_section(table, place, account)
    widgets.download(
        st,
        _("Printable one-page profile (PDF)"),
        lambda: printable_profile(table, place, settings, profile, themes, place_notes, caveat).pdf(
            cache.boundaries(table.geography.key)
        ),
        f"profile_{names[place].replace(' ', '_')}_{table.key}.pdf",
        "application/pdf",
        icon=":material/print:",
    )


def notes_section(table: PlaceTable, place: int, account: Account | None) -> tuple[str, list]:
    """What residents of one place told the Council (the notes ``account`` may see), then, labelled as such, the
    notes about the places of the other geography it overlaps. Returns the themes sentence and the place's notes
    (for the printed page)."""
    names, geography = table.names(), table.geography.key
    other = next(key for key in GEOGRAPHIES if key != geography)
    nearby = [int(n) for n in table.overlaps(place).index]
    st.subheader(_("What residents of {area} told the Council").format(area=names[place]))
    place_notes, raised, nearby_notes = [], [], []
    with notes_database(stop=False):  # the numbers stay on the page if the notes cannot be read
        place_notes, raised, nearby_notes = cache.place_notes(account, geography, place, other, nearby)
    listed = ", ".join(f"{theme_words(name)} ({count})" for name, count in raised)
    themes = _("Themes raised most: {themes}.").format(themes=listed) if raised else ""
    if not place_notes:
        st.write(_("No council notes are tagged to this area yet."))
    if themes:
        plain(themes)
        st.caption(_("Theme names are the Council's codebook; the numbers count notes. The latest notes:"))
    area_names = cache.place_table(cache.main_vintage()).names()
    for note in place_notes:
        widgets.note_card(note, area_names, max_chars=600)
    st.page_link("pages/3_Council_notes.py", label=_("All notes about {area}").format(area=names[place]),
                 icon=":material/forum:", query_params={CHOSEN[geography]: str(place), **link_params()})  # fmt: skip
    if nearby_notes:
        st.markdown("**" + places_say(table.geography, "nearby_notes", place=names[place]) + "**")
        for note in nearby_notes:
            widgets.note_card(note, area_names, max_chars=300)
    return themes, place_notes


def printable_profile(
    table: PlaceTable, place: int, settings: MapSettings, profile: pd.DataFrame, themes: str, notes: list,
    caveat: str,
) -> Profile:  # fmt: skip
    """The Map's profile of one place as one printed page."""
    row = table.row(place)
    c = cols(settings.measure)
    label = period_label(table.key)
    group = [row[table.geography.group]] if table.geography.group else []
    households = fmt.with_moe(row["households"], row["households_moe"])
    return Profile(
        title=_("{area}: digital equity profile").format(area=row["name"]),
        subtitle=" · ".join(
            [
                places_say(table.geography, "number", number=place),
                *group,
                label,
                _("{households} households").format(households=households),
                _("printed {date}").format(date=fmt.date(date.today())),
            ]
        ),  # fmt: skip
        highlighted={place},
        sentences=[
            _("{measure}: {share} of households ({count}).").format(
                measure=_(MEASURES[settings.measure].label),
                share=fmt.with_moe(row[c.pct], row[c.pct_moe], True),
                count=fmt.with_moe(row[c.count], row[c.moe]),
            ),  # fmt: skip
            headline(table, place, settings.measure),
            _(MEASURES[settings.measure].plain),
        ],
        table=profile,
        notes_heading=_("What residents of {area} told the Council").format(area=row["name"]),
        themes=themes or (_("No council notes are tagged to this area yet.") if not notes else ""),
        quotes=[shorten(note.body) for note in notes],
        footnotes=[
            caveat,
            places_say(table.geography, "source", period=label),
        ],
    )


@st.cache_resource(show_spinner=False, max_entries=256)  # one shared, read-only table per setting
def every_place(data: str, vintage: str, geography: str, measure: str, counts_first: bool, language: str):
    """The table of every place for one measure, formatted in ``language`` and already in Arrow's form (what
    Streamlit sends): computed once per snapshot (``data``), period, geography, measure, order and language, for
    every visitor."""
    with speaking(language):
        table = cache.place_table(vintage, geography)
        shown = widgets.measure_frame(table, table.rows, measure, counts_first=counts_first)
    return pyarrow.Table.from_pandas(shown, preserve_index=False)


def all_places_section(table: PlaceTable, settings: MapSettings) -> None:
    """Every place's figures, led by what the map shows (shares or numbers of households), and its download."""
    measure = settings.measure
    st.subheader(places_say(table.geography, "every", n=len(table.rows)))
    shown = every_place(cache.data_version(), table.key, table.geography.key, measure, not settings.as_share,
                        current())  # fmt: skip
    widgets.show_measure_frame(table, shown, measure, key="area_table", cards=False)
    widgets.download(
        st,
        _("Download this table (CSV)"),
        lambda: safe_csv_bytes(table.snapshot_columns(table.rows)),
        f"chicago_{table.geography.table}_{table.key}.csv",
        "text/csv",
    )
