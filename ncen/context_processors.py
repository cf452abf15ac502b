from django.conf import settings


def ncen(request):
    return {"demo_mode": settings.NCEN_DEMO_MODE}
