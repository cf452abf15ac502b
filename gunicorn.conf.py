"""gunicorn's settings for the web server (the Docker image runs `gunicorn -c gunicorn.conf.py`).
Options given on the command line, and WEB_CONCURRENCY, still apply."""


def post_worker_init(worker):
    """Each worker, once it has loaded the application: see settle_garbage_collector."""
    from ncen.wsgi import settle_garbage_collector

    settle_garbage_collector()
