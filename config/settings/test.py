"""pytest. Uses DATABASE_URL / REDIS_URL when set (CI: PostgreSQL and Redis), else SQLite."""

from .base import *  # noqa: F401,F403
from .base import STORAGES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-fengqiao"  # noqa: S105
PII_ENCRYPTION_KEY = "test-only-pii-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "test-media"))
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The simulated inquiry provider (deterministic; scripted per debtor where a test needs it).
ENFORCEMENT_INQUIRY_PROVIDERS = {
    "simulated": {
        "BACKEND": "enforcement.inquiry.simulated.SimulatedProvider",
        "LABEL": "网络查控（模拟）",
        "OPTIONS": {"latency_ms": env.int("ENFORCEMENT_SIMULATED_LATENCY_MS", default=0)},
    },
}
