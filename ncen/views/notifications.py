from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import selectors, services


@login_required
def notification_list(request):
    notifications = selectors.notification_list(user=request.user)[:100]
    return render(request, "ncen/notifications.html", {"notifications": notifications})


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("ncen:notifications")
