"""`make run`: a developer's or a demo machine. SQLite and a server-less broker by default."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-fengqiao-demo-key-0000")
PII_ENCRYPTION_KEY = env("FENGQIAO_PII_KEY", default="local-only-pii-key-fengqiao-demo-0000")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
