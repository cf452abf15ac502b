"""Finding seizures: the filtered list, its exports and the detail page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def seizure_list(request):
    return HttpResponse("list")


@login_required
def seizure_export(request, file_format: str):
    return HttpResponse("export")


@login_required
def seizure_detail(request, pk: int):
    return HttpResponse("detail")
