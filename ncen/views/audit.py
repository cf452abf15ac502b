from django.shortcuts import render

from ncen.paginator import CappedPaginator

from .. import selectors
from ..filters import AuditEntryFilterSet
from .access import administrator_required

PAGE_SIZE = 50


@administrator_required
def audit_list(request):
    filterset = AuditEntryFilterSet(
        request.GET or None, queryset=selectors.audit_entry_list(user=request.user), request=request
    )
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ncen/audit_list.html", {"filterset": filterset, "page": page})
