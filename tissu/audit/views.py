from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tissu.audit.forms import AuditFilterForm
from tissu.audit.selectors import audit_action_prefixes, audit_entry_list
from tissu.city.permissions import associations_office_required


@associations_office_required
@require_safe
def entry_list(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entry_list(**{key: value for key, value in filters.items() if value})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "prefixes": audit_action_prefixes(), "query": query.urlencode()}
    template = "audit/entry_list.html#results" if request.htmx else "audit/entry_list.html"
    return render(request, template, context)
