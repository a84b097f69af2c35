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


def test_our_french_wins_over_the_catalogues_of_django_and_its_contrib_apps():
    """Django's admin translates "Email" as "Courriel", "All" as "Tout": the city's pages say what we wrote."""
    from babel.messages import pofile
    from django.utils import translation

    expected = {}
    for po_path in PO_FILES:
        if po_path.parent.parent.name != "fr":
            continue
        with po_path.open("rb") as handle:
            for message in pofile.read_po(handle):
                if isinstance(message.id, str) and message.id and message.string and not message.context:
                    expected.setdefault(message.id, set()).add(message.string)
    with translation.override("fr"):
        wrong = {
            msgid: translation.gettext(msgid)
            for msgid, strings in expected.items()
            if len(strings) == 1 and translation.gettext(msgid) not in strings
        }
    assert wrong == {}
