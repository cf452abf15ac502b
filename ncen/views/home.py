from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors


@login_required
def home(request):
    tasks = selectors.task_run_list(user=request.user)[:10]
    return render(request, "ncen/home.html", {"tasks": tasks})
