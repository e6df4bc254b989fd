# Fengqiao (枫桥) — the production image: gunicorn serving config.wsgi on port 8000.
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# gettext: compilemessages at build time, when the project has translations.
# libreoffice-writer-nogui + fonts-noto-cjk: issued documents are converted .docx → PDF with
# the Chinese fonts embedded (documents/converter.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libreoffice-writer-nogui fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/fengqiao --uid 10001 fengqiao

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt

COPY . .

# Build-time values only: collectstatic and compilemessages need the settings to load, not
# real secrets. The running container gets its own from the environment (.env).
RUN export DJANGO_SECRET_KEY=build-only-not-a-secret \
        DJANGO_ALLOWED_HOSTS=localhost \
        DJANGO_TRUSTED_PROXIES=127.0.0.1/32 \
        FENGQIAO_PII_KEY=build-only-not-a-secret \
        DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        REDIS_URL=redis://localhost:6379/0 \
    && python manage.py collectstatic --noinput --verbosity 1 \
    && if [ -d locale ]; then python manage.py compilemessages --verbosity 0; fi \
    && mkdir -p var/media \
    && chown -R fengqiao:fengqiao var

USER fengqiao

EXPOSE 8000

# More workers or a longer timeout: set GUNICORN_CMD_ARGS, which gunicorn reads itself.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
