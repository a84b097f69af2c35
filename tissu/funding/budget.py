"""The associative chart of accounts of the CERFA 12156 budgets, read from the standards' CSV.

/work/shared/data/standards/cerfa_budget_lines.csv lists, in the form's order, headings (60 – Achats, 86 –
Emplois des contributions volontaires en nature…) and the lines under them. The file gives no side: the
side comes from the block a row belongs to, in the form's order: charges (60 to 69 and indirect charges),
then uses of contributions in kind (86), then products (70 to 79 and own resources), then sources of
contributions in kind (87). A copy of the file ships with the app (cerfa_budget_lines.csv) so that a
deployment does not depend on the shared folder.

A budget balances when total charges equal total products, and uses in kind (86) equal sources (87).
"""

import csv
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

CSV_PATH = Path(__file__).with_name("cerfa_budget_lines.csv")

CHARGES = "charges"
USES_IN_KIND = "uses_in_kind"  # 86
PRODUCTS = "products"
SOURCES_IN_KIND = "sources_in_kind"  # 87
SIDES = [CHARGES, USES_IN_KIND, PRODUCTS, SOURCES_IN_KIND]
# The heading that opens each block, in the file's order.
BLOCK_STARTS = {"86": USES_IN_KIND, "70": PRODUCTS, "87": SOURCES_IN_KIND}
EXTRA_HEADINGS = {"CHARGINDIRECT", "RESSPROPRES"}
# The line of the products side where a commune's grant is written ("74 – Commune(s)").
CITY_GRANT_LINE = "74com"


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    side: str
    heading: str  # the code of the heading it sits under ("" for a heading)

    @property
    def is_heading(self) -> bool:
        return not self.heading


@functools.cache
def all_lines() -> tuple[Line, ...]:
    lines = []
    side = CHARGES
    heading = ""
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, label = row["reference"].strip(), row["libelle"].strip()
            side = BLOCK_STARTS.get(code, side)
            if re.fullmatch(r"\d\d", code) or code in EXTRA_HEADINGS:
                heading = code
                lines.append(Line(code=code, label=label, side=side, heading=""))
            else:
                lines.append(Line(code=code, label=label, side=side, heading=heading))
    return tuple(lines)


@functools.cache
def entry_lines() -> dict[str, Line]:
    """The lines an amount is written on (headings only group them), by code."""
    return {line.code: line for line in all_lines() if not line.is_heading}


def totals(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """Sum of each side for {code: amount} (unknown codes ignored)."""
    result = dict.fromkeys(SIDES, Decimal("0"))
    lines = entry_lines()
    for code, amount in amounts.items():
        if code in lines and amount:
            result[lines[code].side] += amount
    return result


def balance_errors(amounts: dict[str, Decimal]) -> list[str]:
    """The reasons this budget does not balance (empty when it does), translated."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    total = totals(amounts)
    errors = []
    if total[CHARGES] != total[PRODUCTS]:
        errors.append(
            _("Total charges (%(charges)s €) and total products (%(products)s €) must be equal.")
            % {"charges": number_format(total[CHARGES], 2), "products": number_format(total[PRODUCTS], 2)}
        )
    if total[USES_IN_KIND] != total[SOURCES_IN_KIND]:
        errors.append(
            _("Uses of contributions in kind (86: %(uses)s €) and their sources (87: %(sources)s €) must be equal.")
            % {"uses": number_format(total[USES_IN_KIND], 2), "sources": number_format(total[SOURCES_IN_KIND], 2)}
        )
    return errors
