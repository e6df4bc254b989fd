"""Production (docker compose): PostgreSQL, Redis, gunicorn, whitenoise. No secret has a default."""

from .base import *  # noqa: F401,F403
from .base import STORAGES, check_proxies, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
PII_ENCRYPTION_KEY = env("FENGQIAO_PII_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env("REDIS_URL")
# Required: production runs behind a reverse proxy. Without its address every client would
# share the proxy's, and the per-address login lockout would lock everyone out at once.
TRUSTED_PROXIES = check_proxies(env.list("DJANGO_TRUSTED_PROXIES"))

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Printed (as a QR code) on every issued document: the public address of /v/<code>/.
FENGQIAO_PUBLIC_URL = env("FENGQIAO_PUBLIC_URL", default=f"https://{ALLOWED_HOSTS[0]}")
