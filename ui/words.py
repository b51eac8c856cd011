"""Words for what ``data/`` and ``notes/`` answer in codes: a period's name, its notes and release, how the
boundaries were simplified, a geography's names, why a sign-in failed, why an uploaded file was refused. The
layers below hand up a code with its parameters; every sentence a reader sees about them is written here, once,
in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data.errors import SnapshotDamaged, SnapshotProblem
from data.geographies import Geography
from data.measures import PeriodNote, period_years
from data.reference import PANDEMIC_YEAR
from notes.accounts import Denial, SignInFailure
from notes.readers import UploadProblem, UploadRejected
from notes.store import NoteRejected, Rejection
from notes.uploads import Unmatched, UnmatchedNames
from ui import format as fmt
from ui.i18n import N_, _, ngettext

PERIOD_NOTES = {
    PeriodNote.INCOME_WITHOUT_MOE: N_("Household income brackets come without margins of error in our source."),
    PeriodNote.NO_MOE_ARCHIVED: N_(
        "No margins of error were archived for this vintage, so reliability and significance cannot be shown."
    ),
    PeriodNote.PROFILE_LINES: N_(
        "Households and broadband come from the Data Profile (DP02); the other lines from B28002/B28003."
    ),
}


@dataclass(frozen=True)
class PlaceWords:
    """How the interface speaks of one geography's places (English message ids, translated where shown)."""

    choice: str  # the geography in a menu
    heading: str  # a column of place names
    find: str  # the search box
    every: str  # the table of all places: {n}
    selected: str  # the Planner's count: {n}, {total}
    none_match: str  # no place passes the Planner's filters
    chosen: str  # the printed Planner summary's title: {n}
    number: str  # a place's number in a printed subtitle: {number}
    overlaps: str  # the other geography's places sharing its households: {place}, {places}
    nearby_notes: str  # the notes about the other geography's places it overlaps: {place}
    source: str  # the printed profile's source line: {period}
    least: str  # Home's list of the least-connected: {n}
    map_link: str  # Home's link to the map of the geography
    export_table: str  # what the Planner's Excel file holds
    export_source: str
    export_method: str
    name: str | None = None  # how a place is named ({number}), when the snapshot's names are not proper nouns


PLACES = {
    "community_area": PlaceWords(
        choice=N_("Community areas"),
        heading=N_("Community area"),
        find=N_("Find a community area"),
        every=N_("All {n} community areas"),
        selected=N_("{n} of {total} community areas selected"),
        none_match=N_("No community area matches every filter. Loosen a filter in the sidebar."),
        chosen=N_("{n} community areas chosen in the Planner"),
        number=N_("Community area {number}"),
        overlaps=N_("{place} lies in these wards (share of its households): {places}."),
        nearby_notes=N_("Notes about the wards {place} lies in"),
        source=N_(
            "Source: U.S. Census Bureau, American Community Survey, {period}, apportioned from census tracts to "
            "community areas. ± is the 90 % margin of error. Reliability from the coefficient of variation: "
            "under 15 % reliable, 15-30 % use with caution, over 30 % unreliable."
        ),
        least=N_("Five least-connected community areas"),
        map_link=N_("Map of the community areas"),
        export_table=N_("Chicago community areas chosen in the Planner of the Chicago digital equity map"),
        export_source=N_(
            "U.S. Census Bureau, American Community Survey 5-year estimates (tables B28002, B28003, B19001) for "
            "census tracts; community-area boundaries: City of Chicago."
        ),
        export_method=N_(
            "Tract counts are shared out to community areas by CMAP's household crosswalk and summed; shares are "
            "computed from the sums. ± is the 90 % margin of error (Census Bureau formulas). CV under 15 % reliable, "
            "15-30 % use with caution, over 30 % unreliable. Plausible ranks: 90 % range from 10,000 simulations of "
            "the tracts' estimates. 'Compared with the city': 90 % significance test against the rest of the city."
        ),
    ),
    "ward": PlaceWords(  # "distrito" in the City's Spanish materials
        choice=N_("Wards"),
        heading=N_("Ward"),
        find=N_("Find a ward"),
        every=N_("All {n} wards"),
        selected=N_("{n} of {total} wards selected"),
        none_match=N_("No ward matches every filter. Loosen a filter in the sidebar."),
        chosen=N_("{n} wards chosen in the Planner"),
        number=N_("Ward {number}"),
        overlaps=N_("{place} covers these community areas (share of its households): {places}."),
        nearby_notes=N_("Notes about the community areas {place} covers"),
        source=N_(
            "Source: U.S. Census Bureau, American Community Survey, {period}, apportioned from census tracts to "
            "wards by households from 2020 block groups. ± is the 90 % margin of error. Reliability from the "
            "coefficient of variation: under 15 % reliable, 15-30 % use with caution, over 30 % unreliable."
        ),
        least=N_("Five least-connected wards"),
        map_link=N_("Map of the wards"),
        export_table=N_("Chicago wards chosen in the Planner of the Chicago digital equity map"),
        export_source=N_(
            "U.S. Census Bureau, American Community Survey 5-year estimates (tables B28002, B28003, B19001) for "
            "census tracts, and households of 2020 block groups; ward boundaries (2023): City of Chicago."
        ),
        export_method=N_(
            "Tract counts are shared out to wards by each tract's households in the ward (from 2020 block groups, "
            "by land area) and summed; shares are computed from the sums. ± is the 90 % margin of error (Census "
            "Bureau formulas). CV under 15 % reliable, 15-30 % use with caution, over 30 % unreliable. Plausible "
            "ranks: 90 % range from 10,000 simulations of the tracts' estimates. 'Compared with the city': 90 % "
            "significance test against the rest of the city."
        ),
        name=N_("Ward {number}"),
    ),
}


def period_label(vintage: str) -> str:
    """'ACS 2017-2021 5-year', in the reader's language."""
    first, last = period_years(vintage)
    return _("ACS {first}-{last} 5-year").format(first=first, last=last)


def period_notes(entry: dict) -> list[str]:
    """What the build noted about a period (codes in the manifest), as sentences."""
    return [_(PERIOD_NOTES[PeriodNote(code)]) for code in entry.get("notes", []) if code in set(PeriodNote)]


def includes_pandemic_year(vintage: str) -> bool:
    """Whether a period includes 2020, when the pandemic disrupted the ACS's data collection."""
    first, last = period_years(vintage)
    return first <= PANDEMIC_YEAR <= last


def pandemic_note(vintage: str) -> tuple[str, str]:
    """What a period that includes 2020 asks of its reader: the sentence that leads to the Census Bureau's own words
    (:data:`data.reference.CENSUS_ON_2020`, quoted beside it) and our reading of them, labelled as ours."""
    first, last = period_years(vintage)
    lead = _(
        "This period includes {year}, when the COVID-19 pandemic disrupted the ACS's data collection. In the Census "
        "Bureau's own words:"
    ).format(year=PANDEMIC_YEAR)
    reading = _(
        "We did not find guidance of the Census Bureau's written for ACS {first}-{last} itself. Our reading, not "
        "the Bureau's words: these figures describe {first}-{last} as a whole, {year} included, and a margin of "
        "error does not measure a bias in who could be reached."
    ).format(first=first, last=last, year=PANDEMIC_YEAR)
    return lead, reading


def release(entry: dict) -> str:
    """When the Census Bureau released a period and when our source retrieved it."""
    parts = []
    if entry.get("released"):
        released = fmt.date(dt.date.fromisoformat(entry["released"]), "long")
        parts.append(_("Released by the Census Bureau on {date}.").format(date=released))
    retrieved = entry.get("retrieved")
    if retrieved and len(retrieved) == len("2022-02"):
        month = fmt.month(dt.date.fromisoformat(retrieved + "-01"))
        parts.append(_("Retrieved from the Census API in {month}.").format(month=month))
    elif retrieved:
        when = dt.datetime.strptime(retrieved, "%Y-%m-%dT%H:%MZ")
        parts.append(_("Retrieved from the Census API on {date} at {time} UTC.").format(
            date=fmt.date(when.date(), "long"), time=when.strftime("%H:%M")))  # fmt: skip
    return " ".join(parts)


def boundaries_method(boundaries: dict) -> str:
    """How the build simplified the boundaries for the web."""
    return _(
        "GEOS coverage simplification, {tolerance} m tolerance in EPSG:26971 (shared borders kept identical); "
        "coordinates rounded to {decimals} decimals"
    ).format(tolerance=fmt.number(boundaries["tolerance_m"]), decimals=boundaries["coordinate_decimals"])


def ward_method_check(validation: dict, area_names: dict[int, str]) -> str:
    """How close the ward method comes to the truth where the truth is known: run on the 77 community areas and
    compared with CMAP's block-based factors (figures recorded by the build)."""

    def worst(figures: dict) -> str:
        return ", ".join(f"{area_names[n]} {fmt.number(off, 1)} %" for n, off in figures["worst"])

    households, unconnected = validation["households"], validation["no_subscription"]
    return _(
        "How good is this? Run on the 77 community areas, where CMAP's block-based factors give the answer, the "
        "method's household counts are off by {median} % in the median area and by at most {p90} % in nine areas "
        "out of ten; furthest off are {worst} (our reading: there, block groups mix homes with offices, airport "
        "land and water, so land area is a poor guide to where households live). Households without an Internet "
        "subscription: median {u_median} %, nine in ten "
        "within {u_p90} %, furthest off {u_worst}. A ward figure carries this error on top of its margin of error."
    ).format(
        median=fmt.number(households["median_pct"], 2), p90=fmt.number(households["p90_pct"], 1),
        worst=worst(households), u_median=fmt.number(unconnected["median_pct"], 2),
        u_p90=fmt.number(unconnected["p90_pct"], 1), u_worst=worst(unconnected),
    )  # fmt: skip


def place_heading(geography: Geography) -> str:
    """'Community area', 'Ward': the heading of a column of place names."""
    return _(PLACES[geography.key].heading)


def places_say(geography: Geography, field: str, **params) -> str:
    """One of :class:`PlaceWords`' sentences for ``geography``, in the reader's language."""
    return _(getattr(PLACES[geography.key], field)).format(**params)


def spoken_names(geography: Geography, numbers) -> dict[int, str] | None:
    """The reader's names of ``geography``'s places ("Distrito 20"), or None when the snapshot's names are proper
    nouns shown as published (community areas)."""
    template = PLACES[geography.key].name
    return None if template is None else {int(n): _(template).format(number=int(n)) for n in numbers}


SIGN_IN = {
    SignInFailure.WRONG: N_("Wrong username or password."),
    SignInFailure.LOCKED: N_("Too many failed attempts. Try again in {wait} seconds."),
    SignInFailure.DISABLED: N_("This account is disabled. Ask an administrator."),
}


def sign_in_failure(reason: SignInFailure, **params) -> str:
    """Why a sign-in failed, in the reader's language (never which of name or password was wrong)."""
    return _(SIGN_IN[reason]).format(**params)


SNAPSHOT_PROBLEMS = {
    SnapshotProblem.NO_PERIOD: N_("The data file {file} is missing or lists no data period."),
    SnapshotProblem.UNLISTED: N_("The data file {file} has no checksum in the manifest (it was removed)."),
    SnapshotProblem.MISSING: N_("The data file {file} is missing."),
    SnapshotProblem.CHANGED: N_(
        "The data file {file} does not match the checksum the build recorded (it is damaged or was edited)."
    ),
    SnapshotProblem.SHORT: N_("The data file {file} does not have one row for each of its {count} places."),
    SnapshotProblem.UNREADABLE: N_("The data file {file} cannot be read (it is cut short or is not the build's JSON)."),
    SnapshotProblem.BAD_PERIOD: N_("The data file {file} names a data period that is not one: {period}."),
}


def snapshot_damaged(damage: SnapshotDamaged) -> str:
    """Which data file is missing or damaged, and how to get it back, in the reader's language."""
    return (
        _(SNAPSHOT_PROBLEMS[damage.problem]).format(file=damage.file, **damage.params)
        + " "
        + _("Rebuild the data with `make build`, or restore the committed files with `git checkout data/snapshot`.")
    )


DENIAL = {
    Denial.NOT_SIGNED_IN: N_("Sign in with a staff account to change notes."),
    Denial.EXPIRED: N_("Your session has expired. Sign in again."),
    Denial.INACTIVE: N_("Your account is no longer active. Ask an administrator."),
    Denial.READ_ONLY: N_("Your account can read notes but not change them. Ask for a staff account."),
}


def denial(reason: Denial) -> str:
    """Why a write was refused, in the reader's language."""
    return _(DENIAL[reason])


REJECTION = {
    Rejection.THEME_NAME: N_("A theme needs a name."),
    Rejection.THEME_EXISTS: N_("The theme “{name}” already exists."),
    Rejection.NO_THEME: N_("There is no theme “{name}”."),
    Rejection.SAME_NAME: N_("Give the theme a different name."),
    Rejection.NO_TITLE: N_("Every note needs a title."),
    Rejection.NO_TEXT: N_("The note “{title}” has no text."),
    Rejection.LONG_TITLE: N_("Titles can have at most {limit} characters."),
    Rejection.LONG_TEXT: N_("A note can have at most {limit} characters; split long transcripts."),
    Rejection.AREA_NUMBER: N_("Community area numbers run from 1 to {limit}, not {number}."),
    Rejection.WARD_NUMBER: N_("Ward numbers run from 1 to {limit}, not {number}."),
    Rejection.VISIBILITY: N_("A note is either council-only or public."),
    Rejection.UNKNOWN_THEME: N_("Unknown theme “{name}”; add it to the codebook first."),
    Rejection.NOTHING: N_("There is nothing to save."),
    Rejection.NO_NOTE: N_("Note {number} does not exist."),
    Rejection.PUBLIC_CONTACTS: N_(
        "“{title}” would be published with contact details in it: {contacts}. Remove "
        "them, or confirm that anyone may read them."
    ),  # fmt: skip
    Rejection.NUL: N_(
        "The text holds a null character (an invisible control character some converted files carry), which "
        "cannot be stored; remove it and try again."
    ),
}


def rejection(refused: NoteRejected) -> str:
    """Why a note or theme was not stored, in the reader's language (numbers as the reader writes them)."""
    params = {k: fmt.count(v) if isinstance(v, int) else v for k, v in refused.params.items()}
    return _(REJECTION[refused.reason]).format(**params)


UPLOAD_PROBLEMS = {  # {file}: the file's name as shown; the other parameters as :func:`upload_refusal` spells them
    UploadProblem.WRONG_TYPE: N_("“{file}”: we accept {accepted} files."),
    UploadProblem.EMPTY: N_("“{file}” is empty."),
    UploadProblem.TOO_BIG: N_("“{file}” is {size} MB; the limit is {limit} MB."),
    UploadProblem.NOT_WORD: N_("“{file}” is named .docx but is not a Word document."),
    UploadProblem.NOT_PDF: N_("“{file}” is named .pdf but is not a PDF."),
    UploadProblem.HOLDS_PDF: N_("“{file}” is named {suffix} but holds a PDF file."),
    UploadProblem.HOLDS_ZIP: N_("“{file}” is named {suffix} but holds a zip/Word file."),
    UploadProblem.NO_TEXT: N_("“{file}”: it has no text."),
    UploadProblem.TEXT_TOO_LONG: N_("“{file}”: it has more than {limit} characters of text; split it into parts."),
    UploadProblem.UTF16_DAMAGED: N_("“{file}”: this file says it is UTF-16 text but is damaged; save it as UTF-8."),
    UploadProblem.NOT_TEXT: N_(
        "“{file}”: this file is not text (it looks like a program, image or other binary file)."
    ),
    UploadProblem.ENCODING: N_(
        "“{file}”: this file's text encoding is not UTF-8 or Windows-1252; save it as UTF-8 and try again."
    ),
    UploadProblem.DOCX_DAMAGED: N_("“{file}”: this .docx file is damaged or is not really a Word document."),
    UploadProblem.NOT_DOCX_ARCHIVE: N_("“{file}”: this archive is not a Word document (.docx)."),
    UploadProblem.EXPANDS: N_(
        "“{file}”: this Word document expands to far more data than a document should; it was refused."
    ),
    UploadProblem.DOCX_UNOPENABLE: N_("“{file}”: this Word document could not be opened (it may be damaged)."),
    UploadProblem.PDF_PASSWORD: N_(
        "“{file}”: this PDF is password-protected; save an unprotected copy and upload that."
    ),
    UploadProblem.PDF_PAGES: N_("“{file}”: this PDF has {pages} pages; the limit is {limit}. Split it into parts."),
    UploadProblem.PDF_CONTENT: N_(
        "“{file}”: this PDF's pages hold more than {limit} MB of drawing instructions, far more than a document of "
        "notes; it was refused. Save its text as a .txt or .docx file and upload that."
    ),
    UploadProblem.PDF_UNREADABLE: N_(
        "“{file}”: this PDF could not be read (it may be damaged or use a feature we cannot open)."
    ),
    UploadProblem.PDF_NO_TEXT_LAYER: N_(
        "“{file}”: this PDF has no text layer (it is probably a scanned image); upload a text version."
    ),
    UploadProblem.CSV_EMPTY: N_("“{file}”: this CSV file is empty."),
    UploadProblem.CSV_MISSING_COLUMNS: N_(
        "“{file}”: this CSV file lacks the column(s) {missing}. The first row must name the columns {columns} "
        "(and optionally event)."
    ),
    UploadProblem.CSV_TOO_MANY_ROWS: N_(
        "“{file}”: this CSV file has more than {limit} notes; split it into smaller files."
    ),
    UploadProblem.CSV_MALFORMED: N_("“{file}”: this CSV file is malformed near line {line}."),
    UploadProblem.CSV_BAD_ROWS: N_("“{file}”: nothing was saved. Fix these rows and upload again: {rows}."),
    UploadProblem.CSV_NO_NOTES: N_("“{file}”: this CSV file has a header row but no notes."),
    UploadProblem.UNREADABLE: N_("“{file}”: this file could not be read."),
    UploadProblem.TOO_MUCH_MEMORY: N_(
        "“{file}” needed more than {megabytes} MB of memory to read and was stopped. Save it as plain text "
        "(.txt), or split it into smaller files, and upload that."
    ),
}
ROW_PROBLEMS = {  # one row of a CSV file
    UploadProblem.NOT_A_DATE: N_("“{text}” is not a date we can read (use a real date such as 2024-03-15)"),
    UploadProblem.TEXT_COLUMN_EMPTY: N_("the text column is empty"),
    UploadProblem.ROW_TEXT_TOO_LONG: N_("the text is longer than {limit} characters"),
    UploadProblem.EXTRA_CELLS: N_(
        "it has {cells} cells but the first row names {columns} columns: a text holding a comma (or the file's "
        "delimiter) must be in double quotes"
    ),
}
MEGABYTE, MEBIBYTE = 1_000_000, 1024 * 1024


def upload_refusal(refused: UploadRejected) -> str:
    """Why a file was refused, naming it, in the reader's language (numbers as the reader writes them)."""
    params = dict(refused.params)
    if refused.reason is UploadProblem.TOO_BIG:
        params.update(size=fmt.number(params["size"] / MEGABYTE, 1), limit=fmt.number(params["limit"] / MEGABYTE))
    elif refused.reason is UploadProblem.PDF_CONTENT:
        params["limit"] = fmt.count(params["limit"] // MEBIBYTE)
    elif refused.reason is UploadProblem.CSV_BAD_ROWS:
        params = {"rows": _bad_rows(params["rows"], params.get("more", 0))}
    for name in ("accepted", "missing", "columns"):
        if name in params:
            params[name] = ", ".join(params[name])
    params = {k: fmt.count(v) if isinstance(v, int) else v for k, v in params.items()}
    if refused.reason is UploadProblem.TOO_SLOW:
        return ngettext(
            "“{file}” took more than {seconds} second to read and was stopped. Save it as plain text (.txt), or "
            "split it into smaller files, and upload that.",
            "“{file}” took more than {seconds} seconds to read and was stopped. Save it as plain text (.txt), or "
            "split it into smaller files, and upload that.",
            refused.params["seconds"],
        ).format(file=refused.file, **params)
    return _(UPLOAD_PROBLEMS[refused.reason]).format(file=refused.file, **params)


def _bad_rows(rows: list, more: int) -> str:
    """The first rows of a CSV file with problems, each with its line number and problem."""
    said = [
        _("row {line}: {problem}").format(line=fmt.count(line), problem=_(ROW_PROBLEMS[UploadProblem[reason]]).format(
            **{k: fmt.count(v) if isinstance(v, int) else v for k, v in params.items()}))
        for line, reason, params in rows
    ]  # fmt: skip
    if more:
        said.append(ngettext("and {n} more", "and {n} more", more).format(n=fmt.count(more)))
    return "; ".join(said)


UNMATCHED = {
    Unmatched.AREAS: N_("{file}: these area names match no community area and will be left out: {names}"),
    Unmatched.THEMES: N_("{file}: these themes are not in the codebook and will be left out: {names}"),
}


def unmatched_names(unmatched: UnmatchedNames) -> str:
    """The names in an uploaded file that match nothing and will be left out (as written), naming the file."""
    return _(UNMATCHED[unmatched.kind]).format(file=unmatched.file, names=", ".join(unmatched.names))
