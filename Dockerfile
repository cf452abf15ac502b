# Production image of nCEN: gunicorn for the web, the same image for the Celery worker and
# beat (see docker-compose.yml). No development or embedded-server packages.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=ncen.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

RUN groupadd --system ncen \
 && useradd --system --gid ncen --home-dir /app --no-create-home --shell /usr/sbin/nologin ncen

WORKDIR /app

# Pango and HarfBuzz, which WeasyPrint (the PDF reports) loads; the fonts ship with the app.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

# The dependencies first, read from pyproject.toml alone, so that a change to the code does
# not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# Then the code, installed in place (editable, without dependencies): the settings find
# templates/, static/ and locale/ next to the ncen package, so the code must run from /app.
COPY . .
RUN pip install --no-deps -e .

# Static files are collected into the image. The production settings refuse to load without
# these variables; the values below are placeholders that exist only for this one command
# (they are not in the image's environment) and are never used at run time.
RUN SECRET_KEY=collectstatic-at-build-time-only-placeholder-not-a-secret-0000 \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --noinput

# Uploaded files and beat's schedule live in volumes mounted here (docker-compose.yml);
# a new named volume takes this ownership.
RUN mkdir -p /data/media /data/beat && chown -R ncen:ncen /data

USER ncen
EXPOSE 8000
# WEB_CONCURRENCY (worker processes) and FORWARDED_ALLOW_IPS are read by gunicorn itself;
# gunicorn.conf.py tunes the garbage collector of each worker.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "ncen.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60"]
