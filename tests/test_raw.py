"""Raw-input readers: IDs, jam values and clear errors that name the file."""

import shutil

import pandas as pd
import pytest

from data import raw
from data.errors import RawInputError
from settings import raw_data_dir
from tests.support.raw import needs_raw


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """A scratch copy of the raw-input folder (for corrupting one file); tests only, never committed."""
    src = raw_data_dir()
    for rel in (raw.ACS_2021_FILE, raw.CROSSWALK_FILES[2020], raw.SIDES_FILE):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / rel, tmp_path / rel)
    monkeypatch.setenv("EQUITY_RAW_DATA", str(tmp_path))
    return tmp_path


def test_special_values_in_margins_of_error_follow_the_census_notes():
    frame = pd.DataFrame(
        {"geoid": ["1", "2", "3", "4"], "X_001M": [-555555555, -222222222, -333333333, 12], "X_001E": [5, 6, 7, "x"]}
    )
    out = raw.replace_special_values(frame)
    assert out["X_001M"].tolist()[0] == 0.0  # controlled estimate: MOE 0
    assert out["X_001M"].isna().tolist() == [False, True, True, False]  # could not be computed: not available
    assert out["X_001E"].tolist()[:3] == [5.0, 6.0, 7.0] and pd.isna(out["X_001E"].iloc[3])  # not a number


def test_malformed_tract_id_is_named():
    with pytest.raises(RawInputError, match=r"x\.csv: 1 malformed tract ID.*'1703101010'"):
        raw.require_tract_ids(pd.Series(["17031010100", "1703101010"]), "x.csv")


def test_missing_file_names_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("EQUITY_RAW_DATA", str(tmp_path))
    with pytest.raises(RawInputError, match="community_area_sides.csv: file not found"):
        raw.read_sides()


@needs_raw
def test_tract_ids_keep_leading_digits_as_strings():
    tracts = raw.read_acs_2017_2021()
    assert tracts["geoid"].str.len().eq(11).all()
    assert tracts["geoid"].iloc[0] == "17031010100"
    xwalk = raw.read_crosswalk(2010)
    assert xwalk["geoid"].map(type).eq(str).all()


@needs_raw
def test_acs_2015_2019_reader_builds_geoids_with_leading_zeros():
    tracts = raw.read_acs_2015_2019()
    assert len(tracts) == raw.COOK_TRACTS_2010
    assert tracts["geoid"].str.fullmatch(r"17031\d{6}").all()


@needs_raw
def test_wrong_row_count_names_file_and_problem(raw_copy):
    path = raw_copy / raw.ACS_2021_FILE
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-5]))
    with pytest.raises(RawInputError, match=r"acs5_2017_2021.*: 1327 rows, expected 1332"):
        raw.read_acs_2017_2021()


@needs_raw
def test_missing_column_names_file_and_column(raw_copy):
    path = raw_copy / raw.ACS_2021_FILE
    frame = pd.read_csv(path, dtype={"GEOID": str}).drop(columns=["B28002_013M"])
    frame.to_csv(path, index=False)
    with pytest.raises(RawInputError, match=r"acs5_2017_2021.*missing column\(s\) B28002_013M"):
        raw.read_acs_2017_2021()


@needs_raw
def test_crosswalk_shares_over_one_are_rejected(raw_copy):
    path = raw_copy / raw.CROSSWALK_FILES[2020]
    frame = pd.read_csv(path, dtype={"geoid_tract": str})
    frame.loc[0, "hh_pct"] = 0.7
    frame = pd.concat([frame, frame.iloc[[0]].assign(cca_num=2)])
    frame.to_csv(path, index=False)
    with pytest.raises(RawInputError, match="add up to more than 1"):
        raw.read_crosswalk(2020)
