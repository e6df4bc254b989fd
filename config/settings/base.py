"""Settings shared by every environment. Environment variables are read through one django-environ Env."""

import datetime
import ipaddress
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# The embedded setup's files (SQLite database and broker, cache, media): var/ unless
# FENGQIAO_VAR_DIR names another directory (the embedded crawl test uses a temporary one).
VAR_DIR = Path(env("FENGQIAO_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "axes",
    # ours, in dependency order
    "common",
    "organisations",
    "audit",
    "deadlines",
    "notifications",
    "jobs",
    "documents",
    "cases",
    "mediation",
    "enforcement",
    "credit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, saving an unchanged session at most every SESSION_REFRESH_SECONDS
    "common.sessions.SessionMiddleware",
    "common.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL characters out of query parameters; a database refusal of posted NUL is a 400
    "common.nul.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # axes last: it inspects the response of the login view
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fengqiao.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, worker and beat share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL in production: migrations run as the owner role (compose's `migrate` service),
# the application as this runtime role, granted by `manage.py grant_runtime_role` after
# every migrate (audit/dbroles.py): no superuser, no owner, audit rows append-only.
DATABASE_RUNTIME_ROLE = env("FENGQIAO_DB_RUNTIME_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "common.validators.CharacterClassPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 8 idle hours (one working day) and when the browser closes. The idle
# clock is pushed back by a save at most every SESSION_REFRESH_SECONDS (common/sessions.py),
# not by an UPDATE on every page view.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True


# --- Client address, lockout, rate limits ---------------------------------------------
# Addresses (CIDR) of our own reverse proxies. Only a request from one of them may say who
# the client is (X-Forwarded-For); the audit trail, django-axes and the API throttles all
# read the client address through common.network.client_ip.
def check_proxies(cidrs: list[str]) -> list[str]:
    for cidr in cidrs:
        try:
            ipaddress.ip_network(cidr.strip(), strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {exc}") from exc
    return cidrs


TRUSTED_PROXIES = check_proxies(env.list("DJANGO_TRUSTED_PROXIES", default=[]))
AXES_CLIENT_IP_CALLABLE = "common.network.client_ip"

# Lockout for 30 minutes: 5 failed logins for one user name from one address, or 20 from one
# address over any user names (spraying). Locking by user name and address means nobody can
# lock a clerk out from elsewhere; common.lockout scales the per-address count, since axes
# itself has one limit for every parameter set. Locked API logins answer 429 in JSON.
AXES_FAILURE_LIMIT = 5
AXES_IP_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "common.lockout.PerAddressLimitDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "common.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True

# Requests per client address for the endpoints anyone can reach (common/throttling.py):
# `token` the API login, `rating` the resident's rating page, `public` any future endpoint
# that answers without a login.
# `credit_lookup` / `credit_lookup_day` the public credit lookup's searches (a person checks
# a few names; a scraper needs thousands), `challenge` a new challenge picture.
THROTTLE_RATES = {
    "token": "10/min",
    "rating": "20/min",
    "public": "60/min",
    "credit_lookup": env("CREDIT_LOOKUP_RATE", default="10/min"),
    "credit_lookup_day": env("CREDIT_LOOKUP_DAILY_RATE", default="100/day"),
    "challenge": "30/min",
    # per partner agency (credit feed), whatever address it reads from
    "partner_feed": env("PARTNER_FEED_RATE", default="120/min"),
}
# Seconds a public-page challenge (common.challenge) stays answerable.
PUBLIC_CHALLENGE_TTL = env.int("PUBLIC_CHALLENGE_TTL", default=300)

# --- Browser security headers -----------------------------------------------------------
# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from our own
# origin; no inline <script> or on…= handlers (JS lives in static/js/). `data:` images:
# Bootstrap's CSS draws its icons (select arrows, close buttons) as data: SVGs. Inline
# style="" attributes are allowed (style-src-attr) for computed widths and indents (progress
# bars, tree depth) and DRF's browsable API: they cannot run code. <style> elements stay
# forbidden (drf-spectacular's and DRF's page templates are overridden for that).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no page uses are switched off. The grid worker's photo upload uses
# <input type="file" capture>, which opens the device's camera app and needs no camera
# permission (that is only for getUserMedia), so the camera is off too.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()"
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request answers 401 with WWW-Authenticate: Token.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["common.throttling.ClientScopedRateThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "common.api.StrictFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "common.api_schema.ErrorDocumentingAutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "common.api_parsers.SizeLimitedJSONParser",
        "common.api_parsers.SizeLimitedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # The resident's no-login rating link (per client address).
    "DEFAULT_THROTTLE_RATES": {"rating_link": env("RATING_LINK_THROTTLE", default="60/hour")},
    # Reverse proxies in front of the app: the throttle then counts the client's address from
    # X-Forwarded-For as the proxies saw it, instead of a header any client can write.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=None),
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# API tokens (django-rest-knox): only a hash is stored; a token lasts one working day
# (DJANGO_API_TOKEN_TTL_HOURS) and is refused after that; POST /api/auth/logout/ ends it.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=env.int("DJANGO_API_TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "枫桥 Fengqiao API",
    "DESCRIPTION": "矛盾纠纷化解与执行案件管理平台接口。Errors share one format: "
    '{"code", "detail", "fields"}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every operation: staff only (the docs page asks for a login too).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind`; name each choice set after its model in the schema.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "organisations.models.Organisation.Kind",
        "PartyKindEnum": "cases.models.parties.Party.Kind",
        "DisputeEventKindEnum": "cases.models.loop.DisputeEvent.Kind",
        "AttachmentKindEnum": "cases.models.disputes.Attachment.Kind",
        "ReferralTargetEnum": "cases.models.choices.ReferralTarget",
        "BundleStatusEnum": "cases.models.disputes.Bundle.Status",
        "ImportBatchStatusEnum": "cases.models.imports.ImportBatch.Status",
        "PartyRoleEnum": "cases.models.choices.PartyRole",
        "BasisKindEnum": "enforcement.models.core.BasisKind",
        # enforcement notices (enf-notices)
        "NoticeKindEnum": "enforcement.models.notices.NoticeKind",
        "AssetReportStatusEnum": "enforcement.models.notices.AssetReportStatus",
        "CheckResultEnum": "enforcement.models.notices.CheckResult",
        "AssetCategoryEnum": "enforcement.models.notices.AssetCategory",
        "CategoryEnum": "cases.models.choices.Category",
        "ElectronicChannelEnum": "enforcement.models.notices.ElectronicChannel",
        "IssuedDocumentStatusEnum": "documents.models.IssuedDocument.Status",
        "EnforcementCaseStatusEnum": "enforcement.models.core.CaseStatus",
        "EnforcementRoleEnum": "enforcement.models.core.EnforcementRole",
        "RestrictionBasisEnum": "credit.models.Restriction.Basis",
        "RestorationBasisEnum": "credit.models.Restoration.Basis",
        "BoundRoleEnum": "credit.models.BoundRole",
    },
}

# --- Celery ----------------------------------------------------------------------------
# Without REDIS_URL the broker is an SQLite file through kombu's SQLAlchemy transport,
# so `make run` needs no server; production and CI point REDIS_URL at Redis.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request publishing a task must not hang on a broker outage: connect and socket timeouts
# are short and a publish is not retried (the outbox relay retries). Redis redelivers an
# unacknowledged task after visibility_timeout. The SQLAlchemy transport takes no options.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "max_retries": 0,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS if REDIS_URL else {}

# Shared cache (import progress, counters): Redis when there is one; otherwise files under
# var/, which the web server and the worker of `make run` both see.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

# --- Issued documents ------------------------------------------------------------------
# The address printed (as a QR code) on documents for the public check page /v/<code>/.
FENGQIAO_PUBLIC_URL = env("FENGQIAO_PUBLIC_URL", default="http://127.0.0.1:8000")
# LibreOffice for .docx → PDF: found on PATH unless set; seconds before a conversion is killed.
DOCUMENTS_SOFFICE = env("DOCUMENTS_SOFFICE", default="")
DOCUMENTS_CONVERT_TIMEOUT = env.int("DOCUMENTS_CONVERT_TIMEOUT", default=60)
# Public verification (page and API together): requests per address.
DOCUMENTS_VERIFY_RATE = env("DOCUMENTS_VERIFY_RATE", default="30/m")

# --- Personal data ---------------------------------------------------------------------
# Key for encrypting ID numbers and phones at rest and for their blind index.
PII_ENCRYPTION_KEY = env("FENGQIAO_PII_KEY", default="")

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="fengqiao@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # rating-link tokens, ID numbers and phones never reach a log line (common.logscrub)
    "filters": {"scrub": {"()": "common.logscrub.ScrubFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's own handlers (debug console, runserver's request line) bypass the filter:
        # send its records to the root handler instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# --- Enforcement: asset inquiry (网络查控) ------------------------------------------------
# The providers an inquiry asks (enforcement/inquiry/providers.py), like CACHES: key →
# BACKEND (an InquiryProvider), LABEL, OPTIONS. The national online inquiry system and local
# banks are reached through their own provider classes where a court has the link; none
# ships with the portal, so production asks nobody until configured and an inquiry is
# refused with a message rather than pretending to have asked. Local and test settings
# select the simulated provider.
ENFORCEMENT_INQUIRY_PROVIDERS: dict = {}
# The worker asks providers for this many targets (debtor × provider) at a time, with this
# many concurrent calls (the answer time is waiting, not work), and holds a claim on a batch
# for ENFORCEMENT_INQUIRY_CLAIM_SECONDS: a worker that dies leaves its batch to be taken
# again after that. A task stops after ENFORCEMENT_INQUIRY_TASK_SECONDS and continues in a
# new task (under the global time limits), and the bulk start puts this many inquiries in
# one task.
ENFORCEMENT_INQUIRY_BATCH = env.int("ENFORCEMENT_INQUIRY_BATCH", default=200)
ENFORCEMENT_INQUIRY_CONCURRENCY = env.int("ENFORCEMENT_INQUIRY_CONCURRENCY", default=64)
ENFORCEMENT_INQUIRY_CLAIM_SECONDS = env.int("ENFORCEMENT_INQUIRY_CLAIM_SECONDS", default=120)
ENFORCEMENT_INQUIRY_TASK_SECONDS = env.int("ENFORCEMENT_INQUIRY_TASK_SECONDS", default=240)
ENFORCEMENT_INQUIRY_TASK_CHUNK = env.int("ENFORCEMENT_INQUIRY_TASK_CHUNK", default=1000)
# A (debtor, provider) pair that failed this many times in a row is given up (shown as 查询失败).
ENFORCEMENT_INQUIRY_MAX_ATTEMPTS = env.int("ENFORCEMENT_INQUIRY_MAX_ATTEMPTS", default=5)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "AssetKindEnum": "enforcement.models.assets.AssetKind",
        "AssetStateEnum": "enforcement.models.assets.AssetState",
        "AssetClassEnum": "enforcement.models.assets.AssetClass",
        "MeasureEnum": "enforcement.models.assets.Measure",
        "InquiryStatusEnum": "enforcement.models.assets.InquiryStatus",
        "InquiryPurposeEnum": "enforcement.models.assets.InquiryPurpose",
        "InquiryTargetStatusEnum": "enforcement.models.assets.TargetStatus",
        "ClueStatusEnum": "enforcement.models.assets.ClueStatus",
        "ControlStatusEnum": "enforcement.models.assets.ControlStatus",
        "ControlActionKindEnum": "enforcement.models.assets.ControlActionKind",
        "DeadlineStateEnum": "deadlines.models.Deadline.State",
    }
)

# --- enf-endings: schema names of the endings' choice sets
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "SettlementStatusEnum": "enforcement.models.endings.SettlementStatus",
        "EndingsApprovalStatusEnum": "enforcement.models.endings.ApprovalStatus",
        "FinalCheckScheduleStatusEnum": "enforcement.models.endings.ScheduleStatus",
        "FinalCheckResultEnum": "enforcement.models.endings.CheckResultKind",
        "TerminationGroundEnum": "enforcement.models.endings.TerminationGround",
        "EndingKindEnum": "enforcement.models.endings.EndingKind",
        "HeardByEnum": "enforcement.models.endings.HeardBy",
        # credit's listing ground, now beside the termination ground in the schema
        "ListingGroundEnum": "credit.models.sanctions.Ground",
    }
)

# enf-measures: coercive measures, objections, campaigns
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "CoerciveMeasureKindEnum": "enforcement.models.measures.MeasureKind",
        "CoerciveMeasureStatusEnum": "enforcement.models.measures.MeasureStatus",
        "ObjectionKindEnum": "enforcement.models.measures.ObjectionKind",
        "ObjectionStatusEnum": "enforcement.models.measures.ObjectionStatus",
    }
)

# --- enf-guarantee: schema names of the guarantee's choice sets
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "GuaranteeKindEnum": "enforcement.models.guarantee.GuaranteeKind",
        "GuaranteeStatusEnum": "enforcement.models.guarantee.GuaranteeStatus",
    }
)
