"""AppTest page tests: what a user sees on each page, without a browser."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from data import snapshot
from geo import maps
from settings import REPO_ROOT, SNAPSHOT_DIR
from tests.support.snapshot import boundaries
from ui.sections import map as map_sections

pytestmark = pytest.mark.slow  # every page in AppTest: run by make test, not make check

MAIN = "acs5_2017_2021"


def run(page: str, query: dict | None = None, **session) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def folium_component(at: AppTest):
    found = [el for el in at.get("component_instance")]
    assert found, "no map component on the page"
    return json.loads(found[0].proto.json_args)


def home_text(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption])


def test_home_shows_our_172k_figure_rounded_once():
    at = run("app.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Our estimate"] == "171,879"
    assert (
        "without an Internet subscription, ± 3,435 households, that is 15.5 % ± 0.3 points of 1,112,450"
        in home_text(at)
    )
    assert metrics["No broadband"] == "173,211" and metrics["No Internet access at home"] == "133,312"


def test_home_quotes_the_city_in_its_own_words_with_sources_and_labels_the_match_as_ours():
    from data.reference import QUOTES

    text = home_text(at := run("app.py"))
    for quote in QUOTES:
        assert quote.words in text and quote.source in text
    assert "our own inference from the numbers" in text
    assert "citing ACS" not in text  # no source names an ACS period
    table = at.dataframe[0].value
    shown = zip(table["Households"], table["Share of households"], table["Period"], strict=True)
    rows = dict(zip(table["Published figure"], shown, strict=True))
    assert rows["over 15% of households (~172,000)"] == ("171,879 ± 3,435", "15.5 %", "ACS 2017-2021 5-year")
    assert rows["as many as 8% (~92,000)"][1:] == ("8.2 %", "ACS 2017-2021 5-year")
    assert rows["As many as 20% of Chicago households"][1:] == ("21.0 %", "ACS 2015-2019 5-year")
    assert rows["over 12% don't have computers"][1:] == ("12.1 %", "ACS 2015-2019 5-year")
    apart = dict(zip(table["Published figure"], table["How far apart"], strict=True))
    assert apart["As many as 20% of Chicago households"] == "ours is 1.0 percentage point higher"
    assert apart["172K households"] == "ours is 121 households fewer"
    assert "line up" not in text and "the last column says how far apart the two are" in text


def test_home_says_the_range_check_cannot_tell_the_definitions_apart():
    text = home_text(run("app.py"))
    assert "No Internet subscription: 172,000 lies inside our 90 % range (168,443 to 175,314)" in text
    assert "No broadband: 172,000 lies inside our 90 % range" in text
    assert "The rounding can: 171,879 rounds to 172,000, while 173,211 would round to 173,000" in text


def test_home_lists_the_five_least_connected_areas_with_plausible_ranks_and_ties():
    at = run("app.py")
    table = at.dataframe[1].value
    areas = snapshot.read_areas(MAIN, SNAPSHOT_DIR)
    expected = areas.nlargest(5, "no_subscription_pct")["area_name"].tolist()
    assert table["Community area"].tolist() == expected
    assert table["Rank of 77"].tolist() == [1, 2, 3, 4, 5]
    assert table["Plausible ranks"].iloc[0].startswith("1–")
    assert table["Statistically tied with"].iloc[0] == "Englewood, Fuller Park"


def test_map_page_draws_77_areas_and_lists_them_in_a_table():
    at = run("pages/1_Map.py")
    component = folium_component(at)
    for field in ('"area_number"', '"number"', '"side"'):  # only trusted display fields reach the map
        assert component["script"].count(field) == 0
    assert all("/app/static/leaflet/" in link for link in component["js_links"])
    table = at.dataframe[-1].value
    assert len(table) == 77
    assert len(at.get("download_button")) == 1


def test_map_html_stays_under_250_kB():
    at = run("pages/1_Map.py")
    component = folium_component(at)
    assert len((component["html"] + component["script"]).encode()) < 250_000


def fake_click(tooltip: str):
    def fake(*_args, **_kwargs):
        return {"last_object_clicked_tooltip": tooltip, "last_object_clicked": {"lat": 41.78, "lng": -87.64}}

    return fake


def test_a_click_on_the_map_opens_the_area_profile(monkeypatch):
    monkeypatch.setattr(map_sections, "show_map", fake_click("Englewood (#68)\n2,679 ± 360 households"))
    at = run("pages/1_Map.py")
    assert at.selectbox(key="area").value == 68
    assert any(h.value == "Englewood" for h in at.subheader)
    profile = at.table[0].value.reset_index()
    first = profile.iloc[0]
    assert first["Measure"] == "No Internet subscription"
    assert first["Households counted"] == "2,679 ± 360" and first["Share of all households"] == "29.4 % ± 3.5 points"
    assert first["Rank"].startswith("2 of 77 (plausible 1–")
    assert first["Compared with the city"] == "significantly higher than the city"
    assert first["Change since the earlier period"].endswith("(not tested: the periods overlap)")
    headline = " ".join(m.value for m in at.markdown)
    assert "Rank 2 of 77 (plausible 1–" in headline


def test_the_change_compares_with_the_newest_earlier_period_and_says_what_overlap_means():
    at = run("pages/1_Map.py", area=68)
    caption = " ".join(c.value for c in at.caption)
    assert "since ACS 2015-2019 5-year" in caption
    assert "share the years 2017-2019, so a difference reflects only the years they do not share" in caption
    assert "shown without a significance test" in caption and "(our paraphrase" in caption
    assert "changed in 2016" in caption


def test_choosing_an_area_in_the_selectbox_opens_its_profile():
    at = run("pages/1_Map.py")
    at.selectbox(key="area").set_value(8).run()
    assert any(h.value == "Near North Side" for h in at.subheader)


def test_switching_the_measure_recolours_the_map():
    at = run("pages/1_Map.py")
    before = folium_component(at)
    at.selectbox(key="measure").set_value("no_computer").run()
    after = folium_component(at)
    assert before["feature_group"] != after["feature_group"]  # new colours
    assert "No computer" in after["feature_group"] and "No computer" not in before["feature_group"]  # title follows
    assert before["script"] == after["script"] and before["key"] == after["key"]  # in the same map frame


def test_a_measure_the_period_lacks_is_explained_not_drawn():
    at = run("pages/1_Map.py", vintage="acs5_2015_2019", measure="cellular_only")
    assert any("does not include" in i.value for i in at.info)
    assert not at.get("component_instance")


def test_about_page_lists_sources_periods_and_method():
    at = run("pages/4_About_the_data.py")
    headers = [h.value for h in at.header]
    assert {"Sources", "Data periods in this dashboard", "Margins of error and reliability"} <= set(headers)
    assert {"ACS 2017-2021 5-year", "ACS 2015-2019 5-year"} <= {s.value for s in at.subheader}


def test_about_says_acs_2017_2021_includes_2020_in_the_census_bureau_s_own_words():
    from data.reference import CENSUS_ON_2020

    at = run("pages/4_About_the_data.py")
    text = " ".join(e.value for e in [*at.markdown, *at.caption])
    assert "This period includes 2020, when the COVID-19 pandemic disrupted the ACS's data collection" in text
    assert f"> “{CENSUS_ON_2020.words}”" in text and CENSUS_ON_2020.source in text
    assert "Our reading, not the Bureau's words: these figures describe 2017-2021 as a whole" in text
    assert text.count("This period includes 2020") == 1  # not ACS 2015-2019
    assert "a place is **compared with the rest of the city**" in text  # which test, said in plain words
    assert "every census tract's estimates are drawn again" in text  # how the plausible ranks are simulated


def test_planner_link_with_a_side_lists_exactly_its_12_areas():
    at = run("pages/2_Planner.py", query={"side": "Far Southeast Side"})
    table = at.dataframe[0].value
    assert len(table) == 12 and set(table["Side"]) == {"Far Southeast Side"}
    assert at.multiselect(key="p_sides").value == ["Far Southeast Side"]
    assert at.subheader[0].value == "12 of 77 community areas selected"


def test_planner_link_with_a_minimum_share_lists_exactly_those_areas():
    at = run("pages/2_Planner.py", query={"measure": "no_subscription", "min_pct": "20"})
    areas = snapshot.read_areas(MAIN, SNAPSHOT_DIR)
    expected = set(areas.loc[areas["no_subscription_pct"] >= 20, "area_name"])
    assert set(at.dataframe[0].value["Community area"]) == expected


def test_planner_shows_a_note_for_a_malformed_link_and_keeps_working():
    at = run("pages/2_Planner.py", query={"min_pct": "lots", "colour": "red"})
    [warning] = at.warning  # one box names every ignored parameter
    assert "min_pct" in warning.value and "colour" in warning.value
    assert len(at.dataframe[0].value) == 77


def test_planner_filters_are_written_to_the_link():
    at = run("pages/2_Planner.py")
    at.selectbox(key="p_measure").set_value("no_broadband").run()
    at.number_input(key="p_min_pct").set_value(15.0).run()
    assert at.query_params["measure"] in ("no_broadband", ["no_broadband"])
    assert at.query_params["min_pct"] in ("15", ["15"])
    summary = at.metric[0].value
    assert "±" in summary


def add_two_notes():
    from notes import accounts, db, store

    engine = db.make_engine()
    accounts.create_account(engine, "alice", "correct horse battery", "staff")
    staff = accounts.sign_in(engine, "alice", "correct horse battery")
    store.add_notes(engine, staff, [
        store.NoteDraft("Englewood listening session", "Seniors asked for loans", areas=[68], themes=["devices"],
                        visibility="public"),
        store.NoteDraft("Rogers Park meeting", "Not about Englewood", areas=[1, 68],
                        themes=["affordability", "devices"], visibility="public"),
        store.NoteDraft("Council-only meeting", "Residents' own words, not yet published", areas=[1, 68],
                        themes=["affordability"]),
    ])  # fmt: skip


def test_the_profile_shows_council_notes_tagged_to_the_area(monkeypatch):
    add_two_notes()
    monkeypatch.setattr(map_sections, "show_map", fake_click("Rogers Park (#1)"))
    at = run("pages/1_Map.py")
    shown = " ".join(t.value for t in at.text)
    assert "Rogers Park meeting" in shown and "Englewood listening session" not in shown
    assert "Council-only meeting" not in shown  # signed out: published notes only
    assert "Themes raised most: affordability (1), devices (1)." in shown  # the council-only note not counted


def test_signed_in_the_profile_counts_every_theme_council_members_may_read(monkeypatch):
    from notes import accounts, db

    add_two_notes()
    monkeypatch.setattr(map_sections, "show_map", fake_click("Englewood (#68)"))
    at = run("pages/1_Map.py", account=accounts.sign_in(db.make_engine(), "alice", "correct horse battery"))
    assert "Themes raised most: affordability (2), devices (2)." in " ".join(t.value for t in at.text)


def test_the_notes_layer_shows_counts_per_area():
    from notes import accounts, db, store

    add_two_notes()
    at = run("pages/1_Map.py")
    base = folium_component(at)["script"]
    assert "council note" not in folium_component(at)["feature_group"]
    at.selectbox(key="notes_layer").set_value("all notes").run()
    layers = folium_component(at)["feature_group"]
    assert "2 council notes" in layers and '1 council note\\"' in layers  # published notes only, signed out
    at.selectbox(key="notes_layer").set_value("affordability").run()
    layers = folium_component(at)["feature_group"]
    assert '1 council note\\"' in layers and "2 council notes" not in layers  # only notes raising the theme
    assert folium_component(at)["script"] == base  # a layer over the same map: no redraw
    engine = db.make_engine()
    staff = accounts.sign_in(engine, "alice", "correct horse battery")
    store.add_notes(
        engine,
        staff,
        [
            store.NoteDraft(  # the counts are cached until a write, then read again
                "Another Englewood visit", "Prices again", areas=[68], themes=["affordability"], visibility="public"
            )
        ],
    )
    assert "2 council notes" in folium_component(at.run())["feature_group"]


def test_planner_link_text_is_shown_literally_never_as_markdown():
    at = run("pages/2_Planner.py", query={"side": "![x](http://198.51.100.1/track.png)"})
    [warning] = at.warning
    sentence, quoted = warning.value.split("```text\n")
    assert "http" not in sentence  # the link's text is only in the literal block, shown exactly as typed
    assert "![x](http://198.51.100.1/track.png)" in quoted and quoted.endswith("```")


def test_a_map_address_restores_measure_period_show_classes_and_area():
    query = {"measure": "no_computer", "vintage": "acs5_2015_2019", "show": "count", "classes": "7", "area": "68"}
    at = run("pages/1_Map.py", query=query)
    assert at.selectbox(key="measure").value == "no_computer" and at.selectbox(key="vintage").value == query["vintage"]
    assert at.radio(key="show").value == "count" and at.slider(key="classes").value == 7
    assert at.selectbox(key="area").value == 68 and any(h.value == "Englewood" for h in at.subheader)
    assert not at.warning


def test_a_map_choice_is_written_to_the_address_and_junk_in_it_is_named():
    at = run("pages/1_Map.py", query={"measure": "wifi", "area": "99"})
    assert len(at.warning) == 1 and at.selectbox(key="measure").value == "no_subscription"  # one box names both
    ignored = at.warning[0].value
    assert "measure=“wifi”" in ignored and "area=“99”" in ignored
    at.selectbox(key="area").set_value(68).run()
    at.selectbox(key="measure").set_value("no_broadband").run()
    assert dict(at.query_params) in (
        {"area": ["68"], "measure": ["no_broadband"]},
        {"area": "68", "measure": "no_broadband"},
    )


def test_the_planner_counts_notes_raising_a_theme_and_can_keep_only_those_areas():
    add_two_notes()
    at = run("pages/2_Planner.py")
    at.selectbox(key="p_notes").set_value("affordability").run()
    table = at.dataframe[0].value.set_index("Community area")
    assert table.loc["Rogers Park", "Council notes"] == 1 and table.loc["Englewood", "Council notes"] == 1  # published
    assert table.loc["Uptown", "Council notes"] == 0
    at.checkbox(key="p_notes_only").check().run()
    assert set(at.dataframe[0].value["Community area"]) == {"Rogers Park", "Englewood"}
    assert at.subheader[0].value.startswith("2 of 77")


def test_the_planner_s_notes_filters_are_in_its_address_and_a_link_restores_them():
    add_two_notes()
    at = run("pages/2_Planner.py")
    at.selectbox(key="p_notes").set_value("affordability").run()
    at.checkbox(key="p_notes_only").check().run()
    query = {key: at.query_params[key] for key in at.query_params}
    assert query in ({"notes": "affordability", "notes_only": "1"}, {"notes": ["affordability"], "notes_only": ["1"]})
    shared = run("pages/2_Planner.py", query={"notes": "affordability", "notes_only": "1"})  # a new visitor
    assert set(shared.dataframe[0].value["Community area"]) == {"Rogers Park", "Englewood"}


def test_the_planner_compares_with_the_city_s_172k_only_in_the_period_it_matches():
    assert any(m.label == "Share of the City's 172K" for m in run("pages/2_Planner.py").metric)
    older = run("pages/2_Planner.py", query={"vintage": "acs5_2015_2019"})
    assert not any(m.label == "Share of the City's 172K" for m in older.metric)
    assert any("other periods are not compared with it" in c.value for c in older.caption)


def test_a_period_without_margins_of_error_never_reads_as_reliable_or_exact():
    at = run("pages/1_Map.py", query={"vintage": "acs5_2015_2019", "area": "68"})
    captions = " ".join(c.value for c in at.caption)
    assert (
        "Reliability unknown: our source has no margins of error" in captions and "Unreliable estimates" not in captions
    )
    assert "reliability unknown (no margin of error in our source)" in " ".join(m.value for m in at.markdown)


def map_focus(at: AppTest) -> str:
    """The script beside the map that outlines the chosen place and moves the view."""
    found = [el.proto.body for el in at.get("html") if "equityOutline" in el.proto.body]
    assert len(found) == 1, "no focus script beside the map"
    return found[0]


def test_choosing_another_area_sends_only_its_outline_and_view_not_the_map_again():
    at = run("pages/1_Map.py")
    at.selectbox(key="area").set_value(68).run()
    the_map, englewood = folium_component(at), map_focus(at)
    at.selectbox(key="area").set_value(8).run()
    assert folium_component(at) == the_map  # the same message: Streamlit sends a browser that has it a reference
    near_north = map_focus(at)
    assert near_north != englewood
    outline = json.dumps(maps.outline_geometry(boundaries(), 8), separators=(",", ":"))
    assert outline in near_north and outline not in englewood  # the chosen area's outline travels in the focus
    assert len(near_north.encode()) < 20_000  # against about 230 kB for the map
