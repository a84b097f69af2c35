import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tissu.lib import i18n


class Command(BaseCommand):
    help = (
        "Extract the strings of every app into its own catalogue (needs gettext) and compile the .mo files "
        "with Babel. --check changes nothing and fails if a catalogue is stale, incomplete in French or not compiled."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--no-extract", action="store_true", help="Only compile the .po files.")

    def handle(self, *args, check=False, no_extract=False, **options):
        if check:
            return self._check()
        if not no_extract:
            self._extract()
        for po_path in i18n.po_files():
            po_path.with_suffix(".mo").write_bytes(i18n.compile_catalogue(po_path))
            missing = i18n.untranslated(po_path)
            status = f"{len(missing)} untranslated" if missing else "complete"
            self.stdout.write(f"{po_path.relative_to(i18n.PACKAGE_DIR.parent)}: {status}")

    def _extract(self):
        app_dirs = [path.name for path in i18n.PACKAGE_DIR.iterdir() if (path / "apps.py").exists()]
        for root in i18n.catalogue_roots():
            (root / "locale").mkdir(exist_ok=True)
            command = [sys.executable, "-P", "-m", "django", "makemessages", "--no-obsolete", "--add-location", "file"]
            command += [f"--locale={language}" for language in i18n.LANGUAGES]
            if root == i18n.PACKAGE_DIR:
                command += [f"--ignore={name}/*" for name in app_dirs]
            command += ["--ignore=tests/*", "--ignore=*/tests/*", "--ignore=static/*"]
            subprocess.run(command, cwd=root, check=True, env=self._env())  # noqa: S603 - fixed argv

    def _env(self):
        import os

        return {**os.environ, "DJANGO_SETTINGS_MODULE": "tissu.settings", "PYTHONPATH": str(i18n.PACKAGE_DIR.parent)}

    def _check(self):
        problems = []
        originals = {path: path.read_bytes() for path in i18n.po_files()}
        before = {path: self._ids(path) for path in originals}
        try:
            self._extract()
            for path in i18n.po_files():
                if path not in before:
                    problems.append(f"{path}: new catalogue not committed (run make messages)")
                elif self._ids(path) != before[path]:
                    problems.append(f"{path}: strings changed in the code (run make messages)")
        finally:
            for path in i18n.po_files():
                if path in originals:
                    path.write_bytes(originals[path])
                else:
                    path.unlink()
        for path in originals:
            if i18n.untranslated(path):
                problems.append(f"{path}: {len(i18n.untranslated(path))} strings without a French translation")
            mo_path = path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.read_bytes() != i18n.compile_catalogue(path):
                problems.append(f"{mo_path}: not compiled from its .po (run make messages)")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"{len(originals)} catalogues up to date and complete."))

    @staticmethod
    def _ids(path: Path) -> set:
        return {message.id for message in i18n.read_catalogue(path, "fr") if message.id}
