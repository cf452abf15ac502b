"""gunicorn.conf.py settles the garbage collector of each worker once the application is
loaded: what loading made is frozen (out of every collection), the views the first request
would import are among it, and young objects are collected less often."""

import json
import os
import subprocess
import sys
from pathlib import Path

from ncen.wsgi import GC_THRESHOLDS

ROOT = Path(__file__).resolve().parents[2]

# What a gunicorn worker does: load the application, then call post_worker_init.
WORKER = """
import gc, json, runpy, sys
import ncen.wsgi
before = {"frozen": gc.get_freeze_count(), "views": "seizures.api.views" in sys.modules}
runpy.run_path("gunicorn.conf.py")["post_worker_init"](None)
print(json.dumps({
    "before": before,
    "frozen": gc.get_freeze_count(),
    "views": "seizures.api.views" in sys.modules,
    "thresholds": gc.get_threshold(),
}))
"""


def test_a_worker_freezes_the_loaded_application_and_collects_less_often():
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ncen.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state["before"] == {"frozen": 0, "views": False}
    assert state["views"] is True
    # Django, DRF and the project: some 140,000 objects when this was written.
    assert state["frozen"] > 50_000
    assert tuple(state["thresholds"]) == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700  # Python's default
