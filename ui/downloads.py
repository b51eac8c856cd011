"""Downloads that open safely in a spreadsheet: formula-safe CSV, Excel with a header block naming what the
table is, and the selection as GeoJSON. Pure functions: the pages pass them to download buttons, which build
the file only when it is clicked, on another thread (so every word they need is passed in, already translated)."""

from __future__ import annotations

import io
import json

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text starting like a spreadsheet formula gets a leading apostrophe (OWASP CSV-injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8) with every text cell that could run as a formula neutralised; numbers are left alone. Rows
    end in CRLF (RFC 4180), so that any cell holding a line break of either kind, a bare carriage return too, is
    in double quotes (the csv module quotes a cell holding a character of the row ending, and only those): a
    spreadsheet never splits a row inside a note's text."""
    cleaned = frame.copy()
    for column in cleaned.columns:
        if not pd.api.types.is_numeric_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise_formula)
    cleaned.columns = [neutralise_formula(str(c)) for c in cleaned.columns]
    return cleaned.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def selection_geojson_bytes(geojson: dict, rows: pd.DataFrame) -> bytes:
    """The selected places' boundaries with their snapshot columns as properties (missing values as null);
    ``rows`` in the snapshot's columns, the first one the place's number."""
    records = rows.set_index(rows.columns[0], drop=False).astype(object).where(rows.notna().to_numpy(), None)
    features = []
    for feature in geojson["features"]:
        number = int(feature["properties"]["number"])
        if number in records.index:
            props = {k: (v.item() if hasattr(v, "item") else v) for k, v in records.loc[number].items()}
            features.append({"type": "Feature", "properties": props, "geometry": feature["geometry"]})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def with_period(shown: pd.DataFrame, period_label: str, heading: str = "Period") -> pd.DataFrame:
    """The table as shown, with the data period as its first column (so a saved file says when it is from);
    ``heading``: that column's heading in the reader's language."""
    return shown.assign(**{heading: period_label})[[heading, *shown.columns]]


def table_csv_bytes(shown: pd.DataFrame, period_label: str, heading: str = "Period") -> bytes:
    """The columns shown on screen (with their margins, CV, reliability, rank range and significance)."""
    return safe_csv_bytes(with_period(shown, period_label, heading))


def table_xlsx_bytes(
    shown: pd.DataFrame,
    period_label: str,
    about: list[tuple[str, str]],
    heading: str = "Period",
    decimals: dict[str, int] | None = None,
    sheet_name: str = "Selection",
) -> bytes:
    """An Excel workbook: a header block (``about``: label, text — period, source, measure, total, method,
    filters), a blank row, then the table as shown on screen, its headings frozen in view, numbers stored as
    numbers and formatted with the screen's decimals (``decimals``: column → decimals). Text that could run as a
    formula is neutralised."""
    from openpyxl.styles import Alignment, Font  # imported when a workbook is made, not with every page
    from openpyxl.utils import get_column_letter

    table = with_period(shown, period_label, heading)
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(neutralise_formula)
    first_row = len(about) + 2  # the table's heading row
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet_name, index=False, startrow=first_row - 1)
        sheet = writer.sheets[sheet_name]
        for row, (label, text) in enumerate(about, start=1):
            sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
            sheet.cell(row=row, column=2, value=neutralise_formula(text)).alignment = Alignment(wrap_text=False)
        sheet.freeze_panes = sheet.cell(row=first_row + 1, column=3)  # headings and the place's name stay in view
        for index, name in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            longest = max([len(str(name))] + [len(str(v)) for v in table[name].head(200)])
            sheet.column_dimensions[letter].width = max(10, min(45, longest + 2))
            places = (decimals or {}).get(name)
            if places is not None:
                number_format = "#,##0" + ("." + "0" * places if places else "")
                for cell in sheet[letter][first_row:]:
                    cell.number_format = number_format
    return buffer.getvalue()
