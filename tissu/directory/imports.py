"""The RNA import: reads the register's published extracts and upserts the city's associations.

Both layouts are read, by header name (releases differ): ``rna_waldec`` (39 or 41 columns, ``id`` is
the W number) and ``rna_import`` (23 to 26 columns, ``id`` is the former id such as 751P00085568;
position R means the record moved to waldec and ``observation`` holds the new W number).

How it stays fast and small whatever the file size:
- the file is streamed through the csv module in batches of ``BATCH_SIZE`` rows; nothing holds the
  whole file or all its ids: duplicates within a file are found with a bitmap of the primary keys
  this file touched (a few hundred kilobytes for two million associations);
- per batch, one SELECT fetches the existing rows of the batch's ids (hash, provenance, position);
  a line whose raw record hashes to the stored ``rna_hash`` is left alone ("unchanged") before any
  parsing, which makes a monthly re-import of an unchanged file cheap;
- new rows are inserted in bulk (``COPY`` on PostgreSQL, ``executemany`` on SQLite), changed rows
  updated in bulk, skipping every field listed in ``Association.field_sources`` (edited in Tissu).

Each file is one transaction: an unreadable file, a crash or an interruption leaves the directory
as it was. A line-level problem rejects that line (reported with its number); a doubtful value
(invalid SIRET, unknown theme code, impossible date) is dropped or kept as the register has it, and
reported as a warning.

``full_clean()`` is not called per row: at two million rows it would dominate the run. Every value
is instead checked here against what the model requires (lengths, choices, the RNA id pattern).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import json
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tissu.audit.services import audit_log
from tissu.directory import services
from tissu.directory.models import (
    RNA_FIELDS,
    RNA_FORMER_ID_RE,
    RNA_ID_RE,
    Association,
    Grouping,
    ImportRun,
    ImportStatus,
    Nature,
    Origin,
    RnaPosition,
    Theme,
)

BATCH_SIZE = 5_000
# Stored report entries per run: enough to fix a file by hand, bounded so that a broken national
# file cannot write hundreds of megabytes of JSON. Counters stay exact beyond the cap.
REPORT_LIMIT = 5_000
# Large first loads on PostgreSQL drop and rebuild the secondary indexes (see _Writer.drop_secondary_indexes).
BULK_MIN_ROWS = 500_000
BYTES_PER_ROW = 350  # a waldec row weighs 300 to 450 bytes: enough to estimate a file's rows from its size
IMPORT_LOCK_KEY = 0x7155_0001  # PostgreSQL advisory lock taken by each file's transaction
PROGRESS_INTERVAL = 1.0  # seconds between two progress reports
PARIS = ZoneInfo("Europe/Paris")  # the register's timestamps are French local time
HASH_VERSION = "1"  # bump when the normalisation changes, so that the next import rewrites every row

# Header name → model field, for the columns both layouts share.
COMMON_COLUMNS = {
    "siret": "siret",
    "rup_mi": "rup_mi",
    "gestion": "management_site",
    "date_creat": "creation_date",
    "date_decla": "declaration_date",
    "date_publi": "publication_date",
    "date_disso": "dissolution_date",
    "nature": "nature",
    "groupement": "grouping",
    "titre": "name",
    "titre_court": "short_name",
    "objet": "object",
    "objet_social1": "theme_1",
    "objet_social2": "theme_2",
    "adrs_complement": "office_complement",
    "adrs_numvoie": "office_street_number",
    "adrs_repetition": "office_street_repetition",
    "adrs_typevoie": "office_street_type",
    "adrs_libvoie": "office_street_name",
    "adrs_distrib": "office_distribution",
    "adrs_codeinsee": "office_insee_code",
    "adrs_codepostal": "office_postcode",
    "adrs_libcommune": "office_city",
    "adrg_declarant": "mgmt_declarant",
    "adrg_complemid": "mgmt_complement_id",
    "adrg_complemgeo": "mgmt_complement_geo",
    "adrg_libvoie": "mgmt_street",
    "adrg_distrib": "mgmt_distribution",
    "adrg_codepostal": "mgmt_postcode",
    "adrg_achemine": "mgmt_city",
    "adrg_pays": "mgmt_country",
    "dir_civilite": "director_title",
    "siteweb": "website",
    "publiweb": "publish_on_web",
    "observation": "rna_observation",
    "position": "rna_position",
    "maj_time": "rna_updated_at",
}
WALDEC_COLUMNS = {**COMMON_COLUMNS, "id": "rna_id", "id_ex": "rna_former_id"}
# rna_import: the id column holds the former id; adr2 is "number + street" with the number padded.
IMPORT_COLUMNS = {
    **COMMON_COLUMNS,
    "id": "rna_former_id",
    "adr1": "office_complement",
    "adr2": "office_street_name",
    "adr3": "office_distribution",
    "libcom": "office_city",
}
# Not mapped on purpose: telephone and email (older waldec files), personal data the directory does not
# need; id_ex of rna_import files (the digits of the id).

# Written by the import on creation, after the parsed values and the derived fields (see _FileImport._records).
FIXED_COLUMNS = ("id", "rna_hash", "origin", "slug", "created_at", "updated_at")
DATE_FIELDS = ("creation_date", "declaration_date", "publication_date", "dissolution_date")
TEXT_FIELDS = [name for name in RNA_FIELDS if name not in (*DATE_FIELDS, "publish_on_web", "rna_updated_at")]
DERIVED_INPUTS = ("name", "short_name", "object", "theme_1", "theme_2")
NATURES = frozenset(Nature.values)
GROUPINGS = frozenset(Grouping.values)
POSITIONS = frozenset(RnaPosition.values)
DISSOLVED = (RnaPosition.DISSOLVED, RnaPosition.REMOVED)
MAX_LENGTH = {
    model_field.name: model_field.max_length
    for model_field in Association._meta.concrete_fields
    if getattr(model_field, "max_length", None)
}
THEME_CODE_RE = re.compile(r"^\d{6}$")
SIRET_NOISE_RE = re.compile(r"[\s.\-/,_]")
PADDED_NUMBER_RE = re.compile(r"^(\d+)\s*(?:(BIS|TER|QUATER|B|T|Q)\s+)?(.*)$", re.IGNORECASE)
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+\S*$", re.IGNORECASE)

# Report entries are stored as codes and rendered in the reader's language.
REASONS = {
    "malformed": _("Malformed line: %(found)s fields instead of %(expected)s."),
    "csv_error": _("Unreadable line: %(error)s."),
    "invalid_id": _("Invalid RNA number “%(value)s”."),
    "invalid_former_id": _("Invalid former RNA id “%(value)s”."),
    "no_name": _("No name (empty “titre” column)."),
    "duplicate": _("This id appears earlier in the file: the first occurrence is kept."),
    "invalid_siret": _("Invalid SIRET “%(value)s”: dropped, the line is imported without it."),
    "unknown_theme": _("Unknown theme code %(value)s in %(column)s: kept as is."),
    "invalid_theme": _("Malformed theme code “%(value)s” in %(column)s: dropped."),
    "invalid_date": _("Impossible date “%(value)s” in %(column)s: dropped."),
    "invalid_choice": _("Unknown value “%(value)s” in %(column)s: dropped."),
    "invalid_position": _("Unknown position “%(value)s”: read as active."),
    "invalid_website": _("Malformed website “%(value)s”: dropped."),
    "truncated": _("Entries not stored: %(count)s more (the report keeps the first %(limit)s)."),
}


class RnaFileError(Exception):
    """A file that cannot be imported at all: nothing of it is applied."""


def reason_text(entry: dict) -> str:
    template = REASONS.get(entry.get("code", ""))
    if template is None:
        return entry.get("code", "")
    try:
        return str(template) % entry.get("params", {})
    except (KeyError, TypeError, ValueError):
        return str(template)


# --------------------------------------------------------------------------------------------------
# Scope, counters, report


@dataclass(frozen=True)
class ImportScope:
    """Which rows to keep: those whose registered office is in one of the INSEE codes or postcodes, or all."""

    insee_codes: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    import_all: bool = False

    def keeps(self, insee_code: str, postcode: str) -> bool:
        return self.import_all or insee_code in self.insee_codes or postcode in self.postcodes

    @property
    def is_empty(self) -> bool:
        return not (self.import_all or self.insee_codes or self.postcodes)


def import_scope_for_city(*, insee_codes: Iterable[str] = (), postcodes: Iterable[str] = (), import_all: bool = False):
    """The scope asked for, or the city's INSEE codes (city settings) when nothing is asked."""
    from tissu.city.selectors import city_settings_get

    insee = tuple(dict.fromkeys(code.strip().upper() for code in insee_codes if code.strip()))
    posts = tuple(dict.fromkeys(code.strip() for code in postcodes if code.strip()))
    if not (insee or posts or import_all):
        insee = tuple(city_settings_get().insee_code_list)
    return ImportScope(insee_codes=insee, postcodes=posts, import_all=import_all)


@dataclass
class Counters:
    lines_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dissolved: int = 0
    skipped: int = 0
    rejected: int = 0
    warnings: int = 0

    def add(self, other: Counters) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    limit: int = REPORT_LIMIT
    entries: list[dict] = field(default_factory=list)
    left_out: int = 0

    def add(self, *, file: str, line: int, rna_id: str, level: str, code: str, **params) -> None:
        if len(self.entries) >= self.limit:
            self.left_out += 1
            return
        self.entries.append({"file": file, "line": line, "id": rna_id, "level": level, "code": code, "params": params})

    def stored(self) -> list[dict]:
        """The entries in file order then line order (a batch reports its malformed lines first)."""
        files: dict[str, int] = {}
        for entry in self.entries:
            files.setdefault(entry["file"], len(files))
        entries = sorted(self.entries, key=lambda entry: (files[entry["file"]], entry["line"] or 0))
        if not self.left_out:
            return entries
        note = {"count": self.left_out, "limit": self.limit}
        return [
            *self.entries,
            {"file": "", "line": None, "id": "", "level": "note", "code": "truncated", "params": note},
        ]


# --------------------------------------------------------------------------------------------------
# Reading


def detect_encoding(binary: IO[bytes]) -> str:
    """'utf-8-sig' with a BOM; 'utf-8' if the whole file decodes strictly as UTF-8; else 'iso-8859-15'.

    The scan reads the file once more, a megabyte at a time, with an incremental decoder (so a
    multi-byte character split across two chunks is fine): any invalid sequence means a legacy
    encoding. The register's legacy files are ISO-8859-1 or -15; ISO-8859-15 is chosen because it
    differs from -1 in only eight code points, where it has the French letters œ, Œ and Ÿ (and €)
    while -1 has rare symbols (¤ ¦ ¨ ´ ¸ ¼ ½ ¾) that association names and objects do not use.
    """
    binary.seek(0)
    if binary.read(3) == codecs.BOM_UTF8:
        binary.seek(0)
        return "utf-8-sig"
    binary.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := binary.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "iso-8859-15"
    finally:
        binary.seek(0)
    return "utf-8"


def _header_name(raw: str) -> str:
    return raw.replace("\ufeff", "").strip().strip('"').strip().lower()


def _records(reader) -> Iterator[tuple[int, list[str] | None, str]]:
    """(first line number, fields or None, csv error) for each record left in the reader.

    The csv module reads quoted fields across line breaks, so a record's number is the line after
    the previous record's last one. A csv error (a quote never closed swallows lines until the
    field size limit) rejects that record; the reader then goes on from where it stopped.
    """
    previous_end = reader.line_num
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield previous_end + 1, None, str(error)
            previous_end = reader.line_num
            continue
        line = previous_end + 1
        previous_end = reader.line_num
        if fields and any(value.strip() for value in fields):
            yield line, fields, ""


# --------------------------------------------------------------------------------------------------
# Parsing one row


class _Row:
    __slots__ = ("fields", "former_id", "hash", "key", "line", "rna_id", "shown_id", "values", "warnings")

    def __init__(self, line: int, fields: list[str]):
        self.line = line
        self.fields = fields
        self.values: dict[str, Any] = {}
        self.warnings: list[tuple[str, dict]] = []
        self.rna_id = ""  # W number, if any
        self.former_id = ""  # former id (rna_import rows)
        self.key: tuple[str, str] | None = None  # ("W", id) or ("F", former id)
        self.shown_id = ""
        self.hash = ""


class _Layout:
    """Where each model field sits in this file's rows."""

    def __init__(self, header: list[str], file_name: str):
        names = [_header_name(name) for name in header]
        if "id" not in names or "titre" not in names:
            raise RnaFileError(
                gettext("%(file)s is not an RNA extract: its first line has no “id” and “titre” columns.")
                % {"file": file_name}
            )
        self.is_import = "adr1" in names or "libcom" in names or ("adr2" in names and "adrs_libvoie" not in names)
        mapping = IMPORT_COLUMNS if self.is_import else WALDEC_COLUMNS
        self.width = len(names)
        self.columns: list[tuple[str, int]] = []
        seen: set[str] = set()
        for index, name in enumerate(names):
            model_field = mapping.get(name)
            if model_field and model_field not in seen:  # the first of two same-named columns wins
                self.columns.append((model_field, index))
                seen.add(model_field)
        self.id_index = names.index("id")
        self.insee_index = names.index("adrs_codeinsee") if "adrs_codeinsee" in names else None
        self.postcode_index = names.index("adrs_codepostal") if "adrs_codepostal" in names else None
        self.position_index = names.index("position") if "position" in names else None
        self.observation_index = names.index("observation") if "observation" in names else None

    def fits(self, fields: list[str]) -> bool:
        # A trailing separator (one more, empty field) is tolerated.
        return len(fields) == self.width or (len(fields) == self.width + 1 and not fields[-1].strip())

    def key_of(self, fields: list[str]) -> tuple[str, str, str, tuple[str, str] | None]:
        """(W id, former id, id to show in the report, lookup key or None when the id is invalid)."""
        raw_id = fields[self.id_index].replace("\ufeff", "").strip().upper()
        if not self.is_import:
            return raw_id, "", raw_id, (("W", raw_id) if RNA_ID_RE.match(raw_id) else None)
        if not RNA_FORMER_ID_RE.match(raw_id):
            return "", raw_id, raw_id, None
        position = fields[self.position_index].strip().upper() if self.position_index is not None else ""
        if position == RnaPosition.TAKEN_OVER and self.observation_index is not None:
            new_id = fields[self.observation_index].strip().upper()
            if RNA_ID_RE.match(new_id):
                return new_id, raw_id, raw_id, ("W", new_id)
        return "", raw_id, raw_id, ("F", raw_id)

    def place_of(self, fields: list[str]) -> tuple[str, str]:
        insee = fields[self.insee_index].strip().upper() if self.insee_index is not None else ""
        postcode = fields[self.postcode_index].strip() if self.postcode_index is not None else ""
        return insee, postcode


class _Parser:
    """Turns a row's fields into model values. Written for speed: it runs up to two million times."""

    def __init__(self, layout: _Layout, known_themes: frozenset[str]):
        self.layout = layout
        self.known_themes = known_themes
        present = dict(layout.columns)
        # The text fields this file has (object aside: it keeps its line breaks), their columns and lengths.
        text_columns = [name for name in TEXT_FIELDS if name in present and name != "object"]
        self.text_names = tuple(text_columns)
        self.text_getter = _getter([present[name] for name in text_columns])
        # siret is checked and compacted later: no length limit here.
        self.text_limits = tuple(MAX_LENGTH.get(name, 0) if name != "siret" else 1 << 30 for name in text_columns)
        self.object_index = present.get("object")
        self.date_columns = [(name, present[name]) for name in DATE_FIELDS if name in present]
        self.updated_index = present.get("rna_updated_at")
        self.publish_index = present.get("publish_on_web")
        self.defaults: dict[str, Any] = {
            **dict.fromkeys(TEXT_FIELDS, ""),
            **dict.fromkeys(DATE_FIELDS),
            "publish_on_web": True,
            "rna_updated_at": None,
        }
        # The register writes few distinct dates (days): parse each once. Bounded, for hostile files.
        self.dates: dict[str, datetime.date] = {}

    def parse(self, row: _Row) -> str | None:
        """Fill row.values; return a rejection code, or None. Warnings go to row.warnings."""
        layout = self.layout
        fields = row.fields
        values = self.defaults.copy()
        warn = row.warnings.append
        # Empty fields (most of them) cost one test; "_" and "__" are the register's placeholders.
        for name, value, limit in zip(self.text_names, self.text_getter(fields), self.text_limits, strict=True):
            if value:
                value = value.strip()
                if value == "_" or value == "__":
                    continue
                if "  " in value or "\n" in value or "\t" in value or "\r" in value:
                    value = " ".join(value.split())
                if len(value) > limit:
                    value = value[:limit]
                values[name] = value
        if not values["name"]:
            return "no_name"
        if self.object_index is not None:
            value = fields[self.object_index].strip()
            values["object"] = "" if value == "_" else value
        values["rna_id"] = row.rna_id or None
        if layout.is_import:
            values["rna_former_id"] = row.former_id
            street = values["office_street_name"]
            if street and street[0].isdigit():
                match = PADDED_NUMBER_RE.match(street)
                if match and match.group(3):
                    values["office_street_number"] = match.group(1)
                    values["office_street_repetition"] = (match.group(2) or "").upper()
                    values["office_street_name"] = match.group(3)
        values["office_insee_code"] = values["office_insee_code"].upper()

        dates = self.dates
        for name, index in self.date_columns:
            value = fields[index]
            if value and value[0] != "0":  # 0001-01-01: no date
                parsed = dates.get(value)
                if parsed is not None:
                    values[name] = parsed
                    continue
                stripped = value.strip()
                if stripped and stripped != "_":
                    try:
                        parsed = datetime.date.fromisoformat(stripped[:10])
                    except ValueError:
                        warn(("invalid_date", {"value": stripped[:40], "column": name}))
                    else:
                        values[name] = parsed
                        if len(dates) < DATE_CACHE_SIZE:
                            dates[value] = parsed
        if self.updated_index is not None:
            value = fields[self.updated_index].strip()
            if value and not value.startswith("0001-01-01"):
                try:
                    moment = datetime.datetime.fromisoformat(value)
                except ValueError:
                    warn(("invalid_date", {"value": value[:40], "column": "maj_time"}))
                else:
                    values["rna_updated_at"] = moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
        if self.publish_index is not None:
            values["publish_on_web"] = fields[self.publish_index].strip() != "0"

        siret = values["siret"]
        if siret:
            compact = siret if siret.isdigit() else SIRET_NOISE_RE.sub("", siret)
            if len(compact) == 14 and siret_is_valid(compact):
                values["siret"] = compact
            else:
                values["siret"] = ""
                warn(("invalid_siret", {"value": siret[:40]}))
        known_themes = self.known_themes
        for name, column in (("theme_1", "objet_social1"), ("theme_2", "objet_social2")):
            code = values[name]
            if not code or code in known_themes:
                continue
            if code == "000000":
                values[name] = ""
            elif THEME_CODE_RE.match(code):
                warn(("unknown_theme", {"value": code, "column": column}))
            else:
                values[name] = ""
                warn(("invalid_theme", {"value": code[:20], "column": column}))
        code = values["nature"]
        if code and code not in NATURES:
            code = code.upper()
            values["nature"] = code if code in NATURES else ""
            if not values["nature"]:
                warn(("invalid_choice", {"value": code[:20], "column": "nature"}))
        code = values["grouping"]
        if code and code not in GROUPINGS:
            code = code.upper()
            values["grouping"] = code if code in GROUPINGS else ""
            if not values["grouping"]:
                warn(("invalid_choice", {"value": code[:20], "column": "groupement"}))
        position = values["rna_position"]
        if position not in POSITIONS:
            position = position.upper()
            if position not in POSITIONS:
                if position:
                    warn(("invalid_position", {"value": position[:20]}))
                position = RnaPosition.ACTIVE.value
        if position == "A" and values["dissolution_date"]:
            position = RnaPosition.DISSOLVED.value  # a dissolution date without the position: the date wins
        values["rna_position"] = position
        website = values["website"]
        if website:
            candidate = website if "://" in website else f"http://{website}"
            if URL_RE.match(candidate) and len(candidate) <= MAX_LENGTH["website"]:
                values["website"] = candidate
            else:
                values["website"] = ""
                warn(("invalid_website", {"value": website[:80]}))
        row.values = values
        return None


def _getter(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """fields → the fields at ``indexes``, as a tuple (operator.itemgetter returns a bare value for one index)."""
    if len(indexes) == 1:
        (only,) = indexes
        return lambda fields: (fields[only],)
    if not indexes:
        return lambda fields: ()
    return operator.itemgetter(*indexes)


# COPY text format, PostgreSQL: the columns _FileImport._copy_lines writes, in its order (object last
# of the text ones), then every other column with its default (_Writer.copy_suffix).
NULL = "\\N"
COPY_CHUNK = 500
COPY_TEXT_FIELDS = [
    *(name for name in TEXT_FIELDS if name not in ("rna_id", "object")),
    "family_1", "family_2", "search_text", "search_name", "rna_hash", "origin", "slug", "object",
]  # fmt: skip
COPY_OTHER_FIELDS = ["rna_id", *DATE_FIELDS, "publish_on_web", "rna_updated_at", "id", "created_at", "updated_at"]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


DATE_CACHE_SIZE = 100_000
# Luhn over digits given as bytes: a doubled digit's digit sum, for b"0"…b"9" (other bytes unchanged).
_LUHN_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def _luhn_ok(digits: bytes) -> bool:
    doubled = digits[-2::-2].translate(_LUHN_DOUBLED)
    return (sum(digits[-1::-2]) + sum(doubled) - 48 * len(digits)) % 10 == 0


def siret_is_valid(number: str) -> bool:
    """stdnum.fr.siret.is_valid for a compact string, a few times faster, same rules: 14 digits, the
    SIREN's Luhn, and the SIRET's Luhn except for La Poste's establishments (356000000…, but its head
    office), whose digits must add up to a multiple of 5. tests/test_import.py compares both."""
    if len(number) != 14 or not number.isascii() or not number.isdigit():
        return False
    digits = number.encode()
    if not _luhn_ok(digits[:9]):
        return False
    if number.startswith("356000000") and number != "35600000000048":
        return (sum(digits) - 48 * 14) % 5 == 0
    return _luhn_ok(digits)


def record_hash(fields: list[str], *, is_import: bool) -> str:
    """What the import compares to ``Association.rna_hash``: the raw record, so that an unchanged line
    is recognised before any parsing. The first character says which layout wrote the row: an
    rna_import "taken over" row never overwrites a record a waldec file wrote (waldec is newer)."""
    digest = hashlib.md5("\x1f".join(fields).encode(), usedforsecurity=False).hexdigest()
    return ("i" if is_import else "w") + HASH_VERSION + digest[:30]


# --------------------------------------------------------------------------------------------------
# Writing


class _Writer:
    """Bulk writes for one file, inside its transaction."""

    def __init__(self, leading: list[str]):
        """``leading``: the fields each inserted record starts with, in that order; every other column
        gets its model default, prepared once and appended to each record as is."""
        self.vendor = connection.vendor
        self.table = connection.ops.quote_name(Association._meta.db_table)
        by_name = {model_field.attname: model_field for model_field in Association._meta.concrete_fields}
        # Generated columns (GeneratedField) are computed by the database and cannot be written.
        rest = [
            model_field
            for name, model_field in by_name.items()
            if name not in leading and not getattr(model_field, "generated", False)
        ]
        if set(COPY_TEXT_FIELDS + COPY_OTHER_FIELDS) != set(leading):
            raise RuntimeError("COPY_TEXT_FIELDS and COPY_OTHER_FIELDS must list the fields the import writes.")
        self.columns = [by_name[name].column for name in leading] + [model_field.column for model_field in rest]
        constants: list[Any] = []
        for model_field in rest:
            default = model_field.get_default() if model_field.has_default() or not model_field.null else None
            if default is None and not model_field.null:
                default = "" if model_field.empty_strings_allowed else None
            constants.append(self._prepare_constant(model_field, default))
        self.constants = tuple(constants)
        # PostgreSQL: COPY lines formatted by _FileImport._copy_lines; the defaults as one text suffix.
        self.copy_columns = [by_name[name].column for name in COPY_TEXT_FIELDS + COPY_OTHER_FIELDS] + [
            model_field.column for model_field in rest
        ]
        self.copy_suffix = "".join("\t" + _copy_text(value) for value in self.constants) + "\n"
        self.sqlite_pk = None
        self.dropped_indexes: list[str] = []

    def drop_secondary_indexes(self) -> None:
        """PostgreSQL, large loads: drop the indexes the import does not read, to rebuild them at the end.

        Maintaining two GIN indexes (full text, trigrams) and twenty-odd btrees row by row costs ten
        times more than building them once. Kept: the primary key, the unique constraints (they keep
        the data right) and the former-id index (rna_import lookups). DDL is transactional: if the
        file fails, the indexes come back with the rollback. The catch: DROP INDEX locks the table
        until the file's transaction ends, so readers of the directory wait; this mode therefore
        only starts for a first load (see BULK_MIN_ROWS).
        """
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT index_class.relname, pg_get_indexdef(index_class.oid)
                FROM pg_index
                JOIN pg_class AS index_class ON index_class.oid = pg_index.indexrelid
                WHERE pg_index.indrelid = %s::regclass AND NOT pg_index.indisprimary AND NOT pg_index.indisunique
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = pg_index.indexrelid)
                """,
                [Association._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                if definition.endswith("(rna_former_id)"):
                    continue
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                self.dropped_indexes.append(definition)

    def restore_indexes(self) -> None:
        if not self.dropped_indexes:
            return
        with connection.cursor() as cursor:
            # Server memory for the index builds of this transaction only (GIN builds love it).
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # CREATE INDEX refuses a table with queued deferred-constraint checks (the foreign keys of
            # the inserted rows): run them now, then restore Django's deferred default.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for definition in self.dropped_indexes:
                cursor.execute(definition)
            cursor.execute(f"ANALYZE {self.table}")
        self.dropped_indexes = []

    def _prepare_constant(self, model_field, value):
        if value is None:
            return None
        if model_field.get_internal_type() == "JSONField":
            return json.dumps(value)
        return value

    def adapt(self, value):
        """Values for the driver: psycopg takes Python dates and aware datetimes; SQLite wants Django's text forms."""
        if self.vendor == "sqlite" and isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def allocate_pks(self, count: int) -> list[int]:
        if not count:
            return []
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Association._meta.db_table, count],
                )
                return [pk for (pk,) in cursor.fetchall()]
            if self.sqlite_pk is None:
                # The file's transaction holds SQLite's write lock (BEGIN IMMEDIATE): nobody else inserts.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")  # noqa: S608
                highest = cursor.fetchone()[0]
                try:
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [Association._meta.db_table])
                    found = cursor.fetchone()
                except DatabaseError:
                    found = None
                self.sqlite_pk = max(highest, found[0] if found else 0)
            first = self.sqlite_pk + 1
            self.sqlite_pk += count
            return list(range(first, first + count))

    def insert(self, rows: Iterable[tuple]) -> None:
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({marks})",  # noqa: S608
                    [[self.adapt(value) for value in row] for row in rows],
                )

    def insert_lines(self, lines: Iterable[str]) -> None:
        """PostgreSQL: COPY lines (text format, columns in copy_columns order), a few hundred per write."""
        columns = ", ".join(connection.ops.quote_name(column) for column in self.copy_columns)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) >= COPY_CHUNK:
                    copy.write("".join(chunk))
                    chunk.clear()
            if chunk:
                copy.write("".join(chunk))

    def update(self, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """changes: (pk, {field: value}); rows with the same set of fields go in one executemany."""
        groups: dict[tuple[str, ...], list[list[Any]]] = {}
        for pk, values in changes:
            names = tuple(values)
            groups.setdefault(names, []).append([*(self.adapt(values[name]) for name in names), pk])
        with connection.cursor() as cursor:
            for names, params in groups.items():
                assignments = ", ".join(
                    f"{connection.ops.quote_name(Association._meta.get_field(name).column)} = %s" for name in names
                )
                cursor.executemany(f"UPDATE {self.table} SET {assignments} WHERE id = %s", params)  # noqa: S608


class _Seen:
    """The primary keys this file has touched, as a bitmap: 250 kB for two million associations."""

    def __init__(self):
        self.bits = bytearray()

    def add(self, pk: int) -> None:
        index = pk >> 3
        if index >= len(self.bits):
            self.bits.extend(bytes(index - len(self.bits) + 65_536))
        self.bits[index] |= 1 << (pk & 7)

    def __contains__(self, pk: int) -> bool:
        index = pk >> 3
        return index < len(self.bits) and bool(self.bits[index] & (1 << (pk & 7)))


@dataclass
class _Existing:
    pk: int
    rna_id: str | None
    former_id: str
    hash: str
    field_sources: dict
    keywords: str
    position: str


class _FileImport:
    """One file, inside its transaction."""

    def __init__(self, *, name: str, layout: _Layout, scope: ImportScope, report: Report):
        self.name = name
        self.layout = layout
        self.scope = scope
        self.report = report
        self.counters = Counters()
        self.parser = _Parser(layout, frozenset(Theme.objects.values_list("code", flat=True)))
        derived = list(services.association_derived_fields(self.parser.defaults))
        self.writer = _Writer([*self.parser.defaults, *derived, *FIXED_COLUMNS])
        self.seen = _Seen()

    def reject(self, row_line: int, shown_id: str, code: str, **params) -> None:
        self.counters.rejected += 1
        self.report.add(file=self.name, line=row_line, rna_id=shown_id, level="rejected", code=code, **params)

    def warn(self, row: _Row) -> None:
        for code, params in row.warnings:
            self.counters.warnings += 1
            self.report.add(file=self.name, line=row.line, rna_id=row.shown_id, level="warning", code=code, **params)

    def existing_for(self, rows: list[_Row]) -> tuple[dict[str, _Existing], dict[str, _Existing]]:
        """The batch's associations already in the directory: one query, by W number and by former id."""
        w_ids = [row.rna_id for row in rows if row.rna_id]
        former_ids = [row.former_id for row in rows if row.former_id] if self.layout.is_import else []
        by_w: dict[str, _Existing] = {}
        by_former: dict[str, _Existing] = {}
        if not (w_ids or former_ids):
            return by_w, by_former
        conditions, params = [], []
        for condition, ids in (("rna_id {}", w_ids), ("rna_id IS NULL AND rna_former_id {}", former_ids)):
            if not ids:
                continue
            if connection.vendor == "postgresql":
                conditions.append(condition.format("= ANY(%s)"))  # one array parameter, not thousands
                params.append(ids)
            else:
                conditions.append(condition.format(f"IN ({', '.join(['%s'] * len(ids))})"))
                params.extend(ids)
        sql = (
            "SELECT id, rna_id, rna_former_id, rna_hash, field_sources, keywords, rna_position "  # noqa: S608
            f"FROM {self.writer.table} WHERE {' OR '.join(f'({condition})' for condition in conditions)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        for pk, rna_id, former_id, stored_hash, sources, keywords, position in found:
            if isinstance(sources, str):
                sources = json.loads(sources)
            existing = _Existing(pk, rna_id, former_id, stored_hash, sources or {}, keywords, position)
            if rna_id:
                by_w[rna_id] = existing
            else:
                by_former[former_id] = existing
        return by_w, by_former

    def flush(self, batch: list[tuple[int, list[str]]]) -> None:
        layout = self.layout
        rows: list[_Row] = []
        outside: list[_Row] = []
        for line, fields in batch:
            if not layout.fits(fields):
                self.reject(line, fields[layout.id_index].strip() if len(fields) > layout.id_index else "",
                            "malformed", found=len(fields), expected=layout.width)  # fmt: skip
                continue
            row = _Row(line, fields)
            row.rna_id, row.former_id, row.shown_id, row.key = layout.key_of(fields)
            insee, postcode = layout.place_of(fields)
            if not self.scope.keeps(insee, postcode):
                if row.key is None:
                    self.counters.skipped += 1
                    continue
                outside.append(row)  # kept only if already in the directory (it moved away)
            elif row.key is None:
                code = "invalid_former_id" if layout.is_import else "invalid_id"
                self.reject(line, row.shown_id, code, value=row.shown_id[:30])
                continue
            rows.append(row)
        by_w, by_former = self.existing_for(rows)
        outside_ids = {id(row) for row in outside}

        new_rows: list[_Row] = []
        new_keys: set[tuple[str, str]] = set()
        changes: list[tuple[_Row, _Existing]] = []
        for row in rows:
            existing = by_w.get(row.rna_id) if row.rna_id else None
            if existing is None and layout.is_import and row.former_id:
                existing = by_former.get(row.former_id)
            if id(row) in outside_ids and existing is None:
                self.counters.skipped += 1
                continue
            if (existing is not None and existing.pk in self.seen) or (existing is None and row.key in new_keys):
                self.reject(row.line, row.shown_id, "duplicate")
                continue
            row.hash = record_hash(row.fields, is_import=layout.is_import)
            if existing is None:
                new_keys.add(row.key)
                new_rows.append(row)  # parsed in create(), while the previous rows stream into the database
                continue
            if existing.hash == row.hash:
                self.seen.add(existing.pk)
                self.counters.unchanged += 1
                continue
            problem = self.parser.parse(row)
            if problem:
                self.reject(row.line, row.shown_id, problem)
                continue
            self.warn(row)
            self.seen.add(existing.pk)
            if layout.is_import and row.rna_id and existing.rna_id and not existing.hash.startswith("i"):
                # A taken-over rna_import row meeting its waldec record: only the former id is news.
                if not existing.former_id and "rna_former_id" not in existing.field_sources:
                    self.writer.update([(existing.pk, {"rna_former_id": row.former_id})])
                    self.counters.updated += 1
                else:
                    self.counters.unchanged += 1
            else:
                changes.append((row, existing))
        self.create(new_rows)
        self.change(changes)

    def create(self, rows: list[_Row]) -> None:
        if not rows:
            return
        pks = self.writer.allocate_pks(len(rows))  # a rejected row leaves a gap: harmless
        # A generator: on PostgreSQL each record goes into COPY as soon as it is parsed and built, so
        # the database works on the batch while Python prepares the next rows. No query may run inside
        # COPY: the theme families are loaded before (theme_family caches them on its first call).
        services.theme_family("")
        if self.writer.vendor == "postgresql":
            self.writer.insert_lines(self._copy_lines(rows, pks))
        else:
            self.writer.insert(self._records(rows, pks))

    def _copy_lines(self, rows: list[_Row], pks: list[int]) -> Iterator[str]:
        """PostgreSQL: the new rows as COPY text lines, formatted here rather than value by value by the
        driver, with the defaults as one prepared suffix. The text fields are joined in one go: after
        _Parser.parse none of them holds a tab or a line break, but ``object``, which goes last and is
        escaped alone; any of them may hold a backslash, doubled on the joined text."""
        now = timezone.now().isoformat()
        origin = Origin.RNA.value
        suffix = self.writer.copy_suffix
        text_fields = operator.itemgetter(*COPY_TEXT_FIELDS[:-1])
        parse, derive, slug_for, seen = (
            self.parser.parse,
            services.association_derived_fields,
            services.unique_slug,
            self.seen,
        )
        for pk, row in zip(pks, rows, strict=True):
            problem = parse(row)
            if problem:
                self.reject(row.line, row.shown_id, problem)
                continue
            self.warn(row)
            values = row.values
            seen.add(pk)
            self.counters.created += 1
            values.update(derive(values))
            values["rna_hash"] = row.hash
            values["origin"] = origin
            values["slug"] = slug_for(values["name"], row.rna_id or row.former_id)
            text = "\t".join(text_fields(values))
            if "\\" in text:
                text = text.replace("\\", "\\\\")
            creation, declaration, publication, dissolution = (
                values["creation_date"], values["declaration_date"], values["publication_date"],
                values["dissolution_date"],
            )  # fmt: skip
            updated = values["rna_updated_at"]
            yield (
                f"{text}\t{_copy_text(values['object'])}\t{values['rna_id'] or NULL}"
                f"\t{creation.isoformat() if creation else NULL}\t{declaration.isoformat() if declaration else NULL}"
                f"\t{publication.isoformat() if publication else NULL}"
                f"\t{dissolution.isoformat() if dissolution else NULL}\t{'t' if values['publish_on_web'] else 'f'}"
                f"\t{updated.isoformat() if updated else NULL}\t{pk}\t{now}\t{now}{suffix}"
            )

    def _records(self, rows: list[_Row], pks: list[int]) -> Iterator[tuple]:
        """Records in the writer's column order: the parsed values, the derived fields, FIXED_COLUMNS,
        then the model defaults of every other column."""
        now = timezone.now()
        origin = Origin.RNA.value
        constants = self.writer.constants
        parse, derive, slug_for, seen = (
            self.parser.parse,
            services.association_derived_fields,
            services.unique_slug,
            self.seen,
        )
        for pk, row in zip(pks, rows, strict=True):
            problem = parse(row)
            if problem:
                self.reject(row.line, row.shown_id, problem)
                continue
            self.warn(row)
            values = row.values
            seen.add(pk)
            self.counters.created += 1
            yield (
                *values.values(),
                *derive(values).values(),
                pk, row.hash, origin, slug_for(values["name"], row.rna_id or row.former_id), now, now,
                *constants,
            )  # fmt: skip

    def change(self, changes: list[tuple[_Row, _Existing]]) -> None:
        if not changes:
            return
        protected_inputs = [
            existing.pk for _row, existing in changes if set(existing.field_sources) & set(DERIVED_INPUTS)
        ]
        current = {}
        if protected_inputs:
            current = {
                values["pk"]: values
                for values in Association.objects.filter(pk__in=protected_inputs).values("pk", *DERIVED_INPUTS)
            }
        now = timezone.now()
        updates = []
        for row, existing in changes:
            protected = existing.field_sources
            values = {name: value for name, value in row.values.items() if name not in protected}
            if "rna_id" in values and values["rna_id"] is None and existing.rna_id:
                del values["rna_id"]  # an rna_import row never takes away a W number
            inputs = {name: row.values[name] for name in DERIVED_INPUTS}
            if existing.pk in current:
                inputs.update({name: current[existing.pk][name] for name in DERIVED_INPUTS if name in protected})
            inputs["keywords"] = existing.keywords
            values.update(services.association_derived_fields(inputs))
            values["rna_hash"] = row.hash
            values["updated_at"] = now
            updates.append((existing.pk, values))
            newly_dissolved = (
                values.get("rna_position", existing.position) in DISSOLVED and existing.position not in DISSOLVED
            )
            if newly_dissolved:
                self.counters.dissolved += 1
            else:
                self.counters.updated += 1
        self.writer.update(updates)


# --------------------------------------------------------------------------------------------------
# Progress


class ProgressReporter:
    """Makes a running import's progress visible: an optional callback (the command's bar), and for a
    recorded run, the ImportRun row. The row is written through a second database connection, because
    the import's own transaction would hide it until the end; that only works on PostgreSQL (SQLite
    allows one writer) and only when the import is not nested in an outer transaction (tests, demo)."""

    def __init__(self, *, run: ImportRun | None, callback: Callable[[int, int, int], None] | None):
        self.run = run
        self.callback = callback
        self.last = 0.0
        self.side = None
        if run is not None and run.pk and connection.vendor == "postgresql" and not connection.in_atomic_block:
            try:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
            except DatabaseError:
                self.side = None

    def __call__(self, *, bytes_read: int, bytes_total: int, lines: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        if self.callback:
            self.callback(bytes_read, bytes_total, lines)
        if self.side is not None:
            try:
                with self.side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {ImportRun._meta.db_table} SET bytes_read = %s, lines_read = %s WHERE id = %s",  # noqa: S608
                        [bytes_read, lines, self.run.pk],
                    )
            except DatabaseError:
                self.close()

    def close(self) -> None:
        if self.side is not None:
            try:
                self.side.close()
            finally:
                self.side = None


# --------------------------------------------------------------------------------------------------
# Services


@dataclass
class ImportSource:
    """A file to import: its name (for the report) and a way to open it as binary."""

    name: str
    open: Callable[[], IO[bytes]]
    size: int

    @classmethod
    def from_path(cls, path: Path | str) -> ImportSource:
        path = Path(path)
        return cls(name=path.name, open=lambda: path.open("rb"), size=path.stat().st_size if path.exists() else 0)


def _bulk_mode(source: ImportSource, scope: ImportScope) -> bool:
    """A first load of a large file on PostgreSQL: rebuild the secondary indexes at the end (see _Writer)."""
    if connection.vendor != "postgresql" or not scope.import_all:
        return False
    estimated_rows = source.size // BYTES_PER_ROW
    return estimated_rows >= BULK_MIN_ROWS and estimated_rows > 2 * Association.objects.count()


def _binary(handle) -> IO[bytes]:
    """A real binary stream for io.TextIOWrapper (Django's File objects wrap one)."""
    return handle if isinstance(handle, io.IOBase) else getattr(handle, "file", handle)


def _import_file(
    *, source: ImportSource, scope: ImportScope, report: Report, progress: ProgressReporter, offset: int,
    total: int, lines_before: int,
) -> Counters:  # fmt: skip
    try:
        handle = source.open()
    except OSError as error:
        raise RnaFileError(
            gettext("%(file)s cannot be read: %(error)s") % {"file": source.name, "error": error.strerror or error}
        ) from error
    with handle:
        binary = _binary(handle)
        encoding = detect_encoding(binary)
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=";", quotechar='"', doublequote=True, strict=False)
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            header = []
        layout = _Layout(header, source.name)
        if connection.vendor == "postgresql":
            # One import at a time (two uploads, or the command during an upload): the second waits for
            # the first file's commit instead of failing on the unique RNA numbers. SQLite's write lock
            # (BEGIN IMMEDIATE) already does this.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        job = _FileImport(name=source.name, layout=layout, scope=scope, report=report)
        if _bulk_mode(source, scope):
            job.writer.drop_secondary_indexes()
        batch: list[tuple[int, list[str]]] = []
        for line, fields, error in _records(reader):
            job.counters.lines_read += 1
            if fields is None:
                job.reject(line, "", "csv_error", error=error[:200])
                continue
            batch.append((line, fields))
            if len(batch) >= BATCH_SIZE:
                job.flush(batch)
                batch = []
                lines = lines_before + job.counters.lines_read
                progress(bytes_read=offset + binary.tell(), bytes_total=total, lines=lines)
        job.flush(batch)
        job.writer.restore_indexes()
        text.detach()
    progress(
        bytes_read=offset + source.size, bytes_total=total, lines=lines_before + job.counters.lines_read, force=True
    )
    return job.counters


def import_run_scope(run: ImportRun) -> ImportScope:
    return ImportScope(
        insee_codes=tuple(code for code in run.insee_codes.split(",") if code),
        postcodes=tuple(code for code in run.postcodes.split(",") if code),
        import_all=run.import_all,
    )


@transaction.atomic
def import_run_create(
    *, source: str, file_names: list[str], scope: ImportScope, user=None, upload=None, bytes_total: int = 0
) -> ImportRun:
    run = ImportRun(
        started_by=user if user is not None and user.pk else None,
        source=source,
        file_names="\n".join(file_names),
        insee_codes=",".join(scope.insee_codes),
        postcodes=",".join(scope.postcodes),
        import_all=scope.import_all,
        bytes_total=bytes_total,
    )
    run.full_clean(exclude=["upload"])
    if upload is not None:
        run.upload.save(upload.name, upload, save=False)
    run.save()
    return run


def import_run_execute(
    *, run: ImportRun, sources: list[ImportSource], progress_callback: Callable[[int, int, int], None] | None = None
) -> ImportRun:
    """Run the import that ``run`` records, one transaction per file, and store its outcome.

    A file that cannot be imported (not an RNA extract, unreadable) is rolled back and named in
    ``run.error``; the other files still go in. A crash or an interruption rolls back the file being
    read, marks the run failed and propagates.
    """
    scope = import_run_scope(run)
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now()
    run.bytes_total = sum(source.size for source in sources)
    run.bytes_read = 0
    run.save(update_fields=["status", "started_at", "bytes_total", "bytes_read"])
    totals, report, errors = Counters(), Report(limit=REPORT_LIMIT), []
    if scope.is_empty:
        errors.append(
            gettext("No INSEE code to keep: set the city's INSEE codes, or give INSEE codes, postcodes or “all”.")
        )
        return _import_run_finish(run=run, totals=totals, report=report, errors=errors)
    reporter = ProgressReporter(run=run, callback=progress_callback)
    offset = 0
    try:
        for source in sources:
            stored, left_out = len(report.entries), report.left_out
            try:
                with transaction.atomic():
                    counters = _import_file(
                        source=source, scope=scope, report=report, progress=reporter, offset=offset,
                        total=run.bytes_total, lines_before=totals.lines_read,
                    )  # fmt: skip
            except RnaFileError as error:
                # Nothing of this file was applied: its line entries would describe changes that did not happen.
                del report.entries[stored:]
                report.left_out = left_out
                errors.append(str(error))
            else:
                totals.add(counters)
            offset += source.size
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            errors.append(gettext("Interrupted: the file being read was not applied."))
        else:
            errors.append(
                gettext("The import stopped on an unexpected error (%(error)s): the file being read was not applied.")
                % {"error": f"{type(error).__name__}: {error}"[:500]}
            )
        _import_run_finish(run=run, totals=totals, report=report, errors=errors)
        raise
    finally:
        reporter.close()
    run = _import_run_finish(run=run, totals=totals, report=report, errors=errors)
    _settle_after_bulk_load(created=totals.created)
    return run


def _settle_after_bulk_load(*, created: int) -> None:
    """PostgreSQL, after a large first load has committed: VACUUM ANALYZE the associations, so that the first
    searches do not each pay for setting the new rows' hint bits (p95 64 ms instead of 40–47 ms at 1.9M
    associations, docs/benchmarks.md) and the visibility map is set. About 17 s for 1.9M rows; not possible
    inside a transaction (tests, or a caller's atomic block), where autovacuum will do it later."""
    if connection.vendor != "postgresql" or connection.in_atomic_block or created < BULK_MIN_ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(Association._meta.db_table)}")


def _import_run_finish(*, run: ImportRun, totals: Counters, report: Report, errors: list[str]) -> ImportRun:
    run.status = ImportStatus.FAILED if errors else ImportStatus.DONE
    run.error = "\n".join(errors)
    run.finished_at = timezone.now()
    run.bytes_read = run.bytes_total if not errors else run.bytes_read
    for name in ("lines_read", "created", "updated", "unchanged", "dissolved", "skipped", "rejected"):
        setattr(run, name, getattr(totals, name))
    run.report = report.stored()
    run.save(
        update_fields=[
            "status", "error", "finished_at", "bytes_read", "lines_read", "created", "updated", "unchanged",
            "dissolved", "skipped", "rejected", "report",
        ]
    )  # fmt: skip
    audit_log(
        actor=run.started_by,
        action="directory.import.finished",
        target=run,
        data={
            "status": run.status,
            "files": run.file_names.splitlines(),
            "warnings": totals.warnings,
            **{name: getattr(totals, name) for name in ("lines_read", "created", "updated", "unchanged", "dissolved",
                                                         "skipped", "rejected")},
        },
    )  # fmt: skip
    run.warnings_total = totals.warnings  # for the command's summary; not a database field
    return run


def rna_import_files(*, paths: list[Path | str], scope: ImportScope, user=None, progress_callback=None) -> ImportRun:
    """The command line's import (and the demo's): record a run, then execute it at once."""
    sources = [ImportSource.from_path(path) for path in paths]
    run = import_run_create(
        source="command", file_names=[source.name for source in sources], scope=scope, user=user,
        bytes_total=sum(source.size for source in sources),
    )  # fmt: skip
    return import_run_execute(run=run, sources=sources, progress_callback=progress_callback)


@transaction.atomic
def import_run_queue(*, user, upload, scope: ImportScope) -> ImportRun:
    """The back office's import: store the uploaded file, record the run, and queue it once committed."""
    from tissu.directory.tasks import import_run_task

    run = import_run_create(
        source="upload", file_names=[Path(upload.name).name], scope=scope, user=user, upload=upload,
        bytes_total=upload.size or 0,
    )  # fmt: skip
    audit_log(actor=user, action="directory.import.queued", target=run, data={"file": Path(upload.name).name})
    transaction.on_commit(lambda: import_run_task.enqueue(run_id=run.pk))
    return run


def import_run_execute_queued(*, run_id: int) -> ImportRun | None:
    """The task's body: run a queued upload once (a task retried after it started does nothing)."""
    updated = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING)
    if not updated:
        return None
    run = ImportRun.objects.get(pk=run_id)
    upload = run.upload
    name = run.file_names.splitlines()[0] if run.file_names else Path(upload.name).name
    source = ImportSource(name=name, open=lambda: upload.storage.open(upload.name, "rb"), size=upload.size)
    try:
        return import_run_execute(run=run, sources=[source])
    except Exception:
        # Already recorded on the run (status failed, error); the task itself ends normally.
        return ImportRun.objects.get(pk=run_id)


# --------------------------------------------------------------------------------------------------
# Reads (back office)


def import_runs_recent():
    """Past runs, most recent first, without their (possibly large) reports."""
    return ImportRun.objects.select_related("started_by").defer("report").order_by("-created_at", "-pk")


def import_run_report_rows(run: ImportRun) -> list[dict]:
    """The report's entries with their reasons in the current language."""
    return [{**entry, "reason": reason_text(entry)} for entry in run.report]


def import_run_warning_count(run: ImportRun) -> int:
    return sum(1 for entry in run.report if entry.get("level") == "warning")
