"""Administrators keep their administration's own code-list entries."""

from django.http import HttpResponse

from ncen.views.access import administrator_required


@administrator_required
def code_list(request):
    return HttpResponse("codes")


@administrator_required
def code_new(request):
    return HttpResponse("codes")


@administrator_required
def code_edit(request, pk: int):
    return HttpResponse("codes")
