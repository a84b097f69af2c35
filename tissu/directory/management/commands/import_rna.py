"""manage.py import_rna FILE [FILE…] [--insee CODE…] [--postcode CODE…] [--all]"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tissu.directory import imports
from tissu.directory.models import ImportStatus


class ProgressBar:
    """A one-line bar on stderr, only on a terminal (logs and pipes stay clean)."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()

    def __call__(self, bytes_read: int, bytes_total: int, lines: int) -> None:
        share = bytes_read / bytes_total if bytes_total else 0
        width = 30
        filled = int(width * share)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%} {lines:>10,} lines {lines / elapsed:>8,.0f} lines/s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import associations from RNA extracts (rna_waldec or rna_import CSV files, one per département). "
        "Keeps the city's INSEE codes by default. Idempotent; one transaction per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="CSV files as published (rna_waldec_*, rna_import_*).")
        parser.add_argument("--insee", nargs="+", default=[], metavar="CODE", help="INSEE commune codes to keep.")
        parser.add_argument("--postcode", nargs="+", default=[], metavar="CODE", help="Postcodes to keep.")
        parser.add_argument("--all", action="store_true", dest="import_all", help="Keep every row of the files.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar, even on a terminal.")

    def handle(self, *args, files, insee, postcode, import_all, no_progress, **options):
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(_("No such file: %(files)s") % {"files": ", ".join(missing)})
        scope = imports.import_scope_for_city(insee_codes=insee, postcodes=postcode, import_all=import_all)
        if scope.is_empty:
            raise CommandError(
                "No INSEE code to keep: set the city's INSEE codes, or pass --insee, --postcode or --all."
            )
        bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not no_progress else None
        started = time.monotonic()
        try:
            run = imports.rna_import_files(paths=files, scope=scope, progress_callback=bar)
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted: the file being read was not applied.")) from None
        except Exception as error:
            raise CommandError(
                _("The import stopped: %(error)s. The file being read was not applied.") % {"error": error}
            ) from error
        finally:
            if bar:
                bar.close()
        elapsed = time.monotonic() - started
        self.print_summary(run, elapsed, scope)
        if run.status == ImportStatus.FAILED:
            raise CommandError(run.error)

    def print_summary(self, run, elapsed: float, scope) -> None:
        kept = _("all communes") if scope.import_all else ", ".join([*scope.insee_codes, *scope.postcodes])
        rate = run.lines_read / elapsed if elapsed else 0
        out = self.stdout.write
        files = ", ".join(run.file_names.splitlines())
        out(_("RNA import #%(number)s: %(files)s (kept: %(kept)s)") % {"number": run.pk, "files": files, "kept": kept})
        out(
            f"  {_('lines read'):<20} {run.lines_read:>10,}   "
            + _("in %(seconds).1f s (%(rate)s lines/s)") % {"seconds": elapsed, "rate": f"{rate:,.0f}"}
        )
        for label, value in (
            (_("created"), run.created),
            (_("updated"), run.updated),
            (_("unchanged"), run.unchanged),
            (_("dissolved/removed"), run.dissolved),
            (_("outside the city"), run.skipped),
            (_("rejected"), run.rejected),
            (_("warnings"), getattr(run, "warnings_total", 0)),
        ):
            out(f"  {label:<20} {value:>10,}")
        entries = [entry for entry in run.report if entry.get("level") != "note"]
        if entries:
            out(
                _("Report (%(count)s entries stored, the first 20 shown; all of them in the back office):")
                % {"count": len(entries)}
            )
            for entry in entries[:20]:
                out(
                    f"  {entry['file']}:{entry['line']} {entry['id'] or '-'} "
                    f"[{entry['level']}] {imports.reason_text(entry)}"
                )
        for entry in run.report:
            if entry.get("level") == "note":
                out(f"  {imports.reason_text(entry)}")
        if run.status == ImportStatus.DONE:
            self.stdout.write(self.style.SUCCESS(_("Import finished.")))
