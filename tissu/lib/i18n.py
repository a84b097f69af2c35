"""Translation catalogues: where they live, and compiling them in pure Python (Babel), since a
fresh machine may lack gettext's msgfmt. The compiled .mo files are committed."""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

PACKAGE_DIR = Path(settings.BASE_DIR) / "tissu"
LANGUAGES = ["fr", "en"]


def catalogue_roots() -> list[Path]:
    """The project catalogue (tissu/locale: base templates and lib) and one per app that has a locale folder."""
    return [PACKAGE_DIR, *sorted(path.parent for path in PACKAGE_DIR.glob("*/locale") if path.is_dir())]


def po_files() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("**/locale/*/LC_MESSAGES/django.po"))


def read_catalogue(po_path: Path, language: str):
    with po_path.open("rb") as handle:
        return read_po(handle, locale=language)


def compile_catalogue(po_path: Path) -> bytes:
    language = po_path.parent.parent.name
    catalogue = read_catalogue(po_path, language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


def untranslated(po_path: Path) -> list[str]:
    """Messages of a French catalogue with no translation or marked fuzzy (English msgids need none)."""
    language = po_path.parent.parent.name
    if language == "en":
        return []
    missing = []
    for message in read_catalogue(po_path, language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing
