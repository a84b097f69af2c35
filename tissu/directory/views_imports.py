"""Directory views: the RNA import in the back office (upload, progress, report)."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tissu.city.permissions import associations_office_required
from tissu.city.selectors import city_settings_get
from tissu.directory import imports
from tissu.directory.forms_imports import ImportForm
from tissu.directory.models import ImportRun, ImportStatus
from tissu.directory.views_common import posted, posted_files, render_form

REPORT_ROWS_SHOWN = 100


def _run_for_staff(pk: int) -> ImportRun:
    # Reached only through associations_office_required: every run is the office's.
    run = ImportRun.objects.select_related("started_by").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


@associations_office_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    initial = {"insee_codes": ", ".join(city_settings_get().insee_code_list)}
    form = ImportForm(posted(request), posted_files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        run = imports.import_run_queue(user=request.user, upload=form.cleaned_data["file"], scope=form.scope())
        messages.success(request, _("The file was received: the import runs in the background."))
        return redirect("directory:import-detail", run.pk)
    page = Paginator(imports.import_runs_recent(), 25).get_page(request.GET.get("page"))
    return render_form(request, "directory/imports/run_list.html", {"form": form, "page": page})


@associations_office_required
@require_safe
def import_detail(request, pk: int):
    run = _run_for_staff(pk)
    rows = imports.import_run_report_rows(run)
    context = {
        "run": run,
        "is_running": run.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "report_rows": rows[:REPORT_ROWS_SHOWN],
        "report_total": len([row for row in rows if row["level"] != "note"]),
        "rejected_count": sum(1 for row in rows if row["level"] == "rejected"),
        "warning_count": sum(1 for row in rows if row["level"] == "warning"),
        "notes": [row for row in rows if row["level"] == "note"],
        "errors": run.error.splitlines(),
    }
    # htmx polls the status region every 2 s while the run is going; a plain reload shows the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "directory/imports/run_detail.html"
    response = render(request, f"{template}#status" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@associations_office_required
@require_safe
def import_report(request, pk: int):
    """The report as CSV (';', UTF-8 with a BOM so that spreadsheet software reads the accents)."""
    run = _run_for_staff(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rna-import-{run.pk}-report.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("file"), _("line"), _("RNA id"), _("level"), _("reason")])
    levels = {"rejected": _("rejected"), "warning": _("warning"), "note": _("note")}
    for row in imports.import_run_report_rows(run):
        writer.writerow(
            [row["file"], row["line"] or "", row["id"], levels.get(row["level"], row["level"]), row["reason"]]
        )
    return response


urlpatterns = [
    path("gestion/imports/", import_list, name="import-list"),
    path("gestion/imports/<int:pk>/", import_detail, name="import-detail"),
    path("gestion/imports/<int:pk>/rapport.csv", import_report, name="import-report"),
]
