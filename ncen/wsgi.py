import gc
import os
from importlib import import_module

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncen.settings.production")

application = get_wsgi_application()

# Collect young objects after this many allocations (Python's default is 700), and the older
# generations as rarely as Python's defaults already do relative to it.
GC_THRESHOLDS = (50_000, 50, 1000)


def settle_garbage_collector() -> None:
    """Keep what loading the application made out of the cyclic garbage collector, and run
    it less often: its full collections walked every module, view and serializer Django had
    loaded, and made most of the list API's p95 above its p50 (bench/README.md, "The tail is
    the garbage collector"). gunicorn.conf.py calls it in each worker once the application
    is loaded; the benchmarks call it too, so that they measure what the server runs."""
    from django.conf import settings

    # The views, serializers and filters the URLconf imports, which the first request would
    # otherwise load after the freeze.
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
