"""Catalogues are committed complete and compiled (CI also checks they match the code: update_messages --check)."""

import pytest

from tissu.lib import i18n

PO_FILES = i18n.po_files()


def test_every_app_with_strings_has_french_and_english_catalogues():
    languages = {(path.parents[2], path.parent.parent.name) for path in PO_FILES}
    for root in i18n.catalogue_roots():
        assert (root / "locale", "fr") in {(r, lang) for r, lang in languages}, root
        assert (root / "locale", "en") in {(r, lang) for r, lang in languages}, root


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(i18n.PACKAGE_DIR)))
def test_each_catalogue_is_translated_and_compiled(po_path):
    assert i18n.untranslated(po_path) == []
    assert po_path.with_suffix(".mo").read_bytes() == i18n.compile_catalogue(po_path)
