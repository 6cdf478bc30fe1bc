"""Project settings, read from the environment (twelve-factor) through django-environ.

Safe by default: DEBUG is off unless set, and with DEBUG off a SECRET_KEY is required.
Every variable is listed, with its default, in the README's "Configuration" table.
"""

import logging
import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from babel.numbers import is_currency
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VERSION = "0.1.0"

env = environ.Env()
if env.bool("READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# A misspelt FINALPOS_ variable would silently fall back to a default (often: demo mode
# against the simulator), so unknown ones stop the boot instead.
KNOWN_FINALPOS_VARIABLES = {
    "FINALPOS_API_KEY",
    "FINALPOS_BASE_URL",
    "FINALPOS_TIMEOUT",
    "FINALPOS_CONNECT_TIMEOUT",
    "FINALPOS_CIRCUIT_FAILURES",
    "FINALPOS_CIRCUIT_WINDOW",
    "FINALPOS_CIRCUIT_COOLDOWN",
    "FINALPOS_SIMULATOR_API_KEY",
    "FINALPOS_SIMULATOR_DB",
    "FINALPOS_SIMULATOR_LATENCY_MS",
    "FINALPOS_SIMULATOR_TILLS",
}
_unknown = sorted(
    name
    for name in os.environ
    if name.startswith("FINALPOS_") and name not in KNOWN_FINALPOS_VARIABLES
)
if _unknown:
    raise ImproperlyConfigured(
        f"Unknown Final POS setting(s): {', '.join(_unknown)}. "
        f"Known: {', '.join(sorted(KNOWN_FINALPOS_VARIABLES))}."
    )

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:  # this machine's own names always, also beside a phone's way in (the README's tip)
    ALLOWED_HOSTS += [host for host in LOCAL_HOSTS if host not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "sessions_app.operator_app.OperatorAdminConfig",  # the operator's view: /ops/
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: its runserver (which ends by saying where to sign in) wins.
    "sessions_app",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "finalpos_simulator",
]

MIDDLEWARE = [
    # First: every response gets a request id and one log line, probes and static files too.
    "finalpos_dashboard.middleware.RequestLogMiddleware",
    # Before the HTTPS redirect and the host check: platform probes reach neither.
    "finalpos_dashboard.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Static files are answered above, already compressed; pages are compressed here.
    "finalpos_dashboard.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "sessions_app.languages.UserLanguageMiddleware",
    "sessions_app.site_origin.SiteOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "sessions_app.timezones.OutletTimeZoneMiddleware",
]

ROOT_URLCONF = "finalpos_dashboard.urls"
WSGI_APPLICATION = "finalpos_dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sessions_app.context_processors.dashboard",
            ],
        },
    },
]
# Plain <input>s written in Python: Django's own HTML, faster (sessions_app/forms/renderer.py).
FORM_RENDERER = "sessions_app.forms.renderer.QuickInputRenderer"

# --- Database and cache -------------------------------------------------------------------

# Only while developing does the database default to a file in the project folder: on a
# platform that folder is an ephemeral disk, and every deploy would start from nothing.
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DEBUG and not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is required when DEBUG is off: without it the dashboard would keep its "
        "data in db.sqlite3 in the project folder, which a platform loses at the next deploy. "
        "Set DATABASE_URL (e.g. postgres://user:password@host:5432/tills; a platform's "
        "database add-on sets it), or DEBUG=true for local development."
    )
DATABASES = {
    "default": env.db_url_config(DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # never hold a transaction across an API call
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked"; with the
    # write-ahead log, pages keep reading while a close is written, and a commit is one fsync.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every worker and machine must share one cache: the sign-in throttle and the Final POS circuit
# breaker live there. Redis is the first choice; a table in the database is the fallback for a
# platform without Redis (created by `createcachetable`, part of the release step).
REDIS_URL = env.str("REDIS_URL", default="")
DATABASE_CACHE = env.bool("DATABASE_CACHE", default=False)
if REDIS_URL:
    _redis_options: dict[str, object] = {"socket_connect_timeout": 3, "socket_timeout": 3}
    if not env.bool("REDIS_VERIFY_CERTIFICATE", default=True):
        _redis_options["ssl_cert_reqs"] = "none"  # Heroku Redis: TLS with a self-signed certificate
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_options,
        }
    }
elif DATABASE_CACHE:
    CACHES = {
        "default": {
            # Django's DatabaseCache, writing many keys in one statement.
            "BACKEND": "finalpos_dashboard.database_cache.BulkDatabaseCache",
            "LOCATION": "dashboard_cache",
            # Past MAX_ENTRIES (300 by default) a third of the rows are culled, sign-in
            # throttle counts with them: a stranger could reset a lockout by filling the cache.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        "A shared cache is required when DEBUG is off: each worker would otherwise keep its own "
        "sign-in throttle and Final POS circuit breaker. Set REDIS_URL (e.g. "
        "redis://host:6379/1), or DATABASE_CACHE=true to keep the cache in the database (the "
        "release step runs `manage.py createcachetable`), or DEBUG=true for local development."
    )

# --- Authentication -----------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)  # per username and address
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=30)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# Proxies in front of the app that add to X-Forwarded-For (a PaaS router: 1). With 0 the
# header is ignored: anyone can write it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
LOGIN_REDIRECT_URL = "sessions_app:board"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)  # one long shift

# --- Security -----------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # till forms are small; refuse anything bigger
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Internationalisation -----------------------------------------------------------------

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-us")
# The languages people can choose (Staff -> My preferences); with no choice, the browser's
# (Django's LocaleMiddleware), else LANGUAGE_CODE. Dates and numbers follow the language.
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")  # display and business day
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The company's currency (ISO 4217); an outlet can have its own (Setup -> Rules).
CURRENCY = env.str("CURRENCY", default="USD").upper()
if not is_currency(CURRENCY):
    raise ImproperlyConfigured(f"CURRENCY must be an ISO 4217 code like EUR, not {CURRENCY!r}")

# --- Static files -------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail -------------------------------------------------------------------------------

# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587; unset prints mail to stdout.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    _email = environ.Env.email_url_config(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _email.get("EMAIL_HOST", "localhost"),
                "port": _email.get("EMAIL_PORT", 25),
                "username": _email.get("EMAIL_HOST_USER", ""),
                "password": _email.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": bool(_email.get("EMAIL_USE_TLS", False)),
                "use_ssl": bool(_email.get("EMAIL_USE_SSL", False)),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Till close <tills@localhost>")
# Unset: links in e-mails use the address people reach the site at (sessions_app/site_origin.py).
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

# --- Final POS ----------------------------------------------------------------------------

FINALPOS_API_KEY = env.str("FINALPOS_API_KEY", default="")
# With no key the dashboard runs in demo mode against the embedded simulator.
FINALPOS_DEMO_MODE = not FINALPOS_API_KEY
# Demo mode under production settings is a mistake (a forgotten key) unless asked for.
ALLOW_DEMO_WITHOUT_DEBUG = env.bool("ALLOW_DEMO_WITHOUT_DEBUG", default=False)
if FINALPOS_DEMO_MODE and not DEBUG and not ALLOW_DEMO_WITHOUT_DEBUG:
    raise ImproperlyConfigured(
        "FINALPOS_API_KEY is not set, so the dashboard would run in demo mode, against the "
        "built-in simulator instead of Final POS, and that is refused when DEBUG is off. Set "
        "FINALPOS_API_KEY to your Final POS key; for a demo on one machine with production "
        "settings, set ALLOW_DEMO_WITHOUT_DEBUG=true."
    )
FINALPOS_SIMULATOR_URL = "http://finalpos-simulator.invalid"

# --- Background tasks ---------------------------------------------------------------------

# Review alerts (and any other e-mail) run off the request path. "database" queues them in
# the database and the worker process runs them (`manage.py worker`, the Procfile's worker):
# the database is the one store every deployment has, and a task queued there commits with
# the close that caused it. (RQ would need Redis, which stays optional: Django's database
# cache is the documented fallback.) "immediate" runs them at once: demo mode and tests.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate" if FINALPOS_DEMO_MODE else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# Base URL prefix -> requests transport adapter: demo mode reaches the embedded simulator
# in-process, with no socket; the client itself knows nothing of the simulator.
FINALPOS_TRANSPORTS = {FINALPOS_SIMULATOR_URL: "finalpos_simulator.adapter.SimulatorAdapter"}
FINALPOS_BASE_URL = env.str(
    "FINALPOS_BASE_URL",
    default=FINALPOS_SIMULATOR_URL if FINALPOS_DEMO_MODE else "https://api.finalpos.com",
).rstrip("/")
FINALPOS_CONNECT_TIMEOUT = env.float("FINALPOS_CONNECT_TIMEOUT", default=3.05)
FINALPOS_TIMEOUT = env.float("FINALPOS_TIMEOUT", default=10.0)  # read timeout, seconds
# A write whose answer was lost and that a read still does not show this long after it was sent
# did not land: no request of ours lives longer.
FINALPOS_SETTLED_AFTER = timedelta(seconds=FINALPOS_CONNECT_TIMEOUT + FINALPOS_TIMEOUT + 5)
# In demo mode, `make run`'s server refreshes from the simulator this often (seconds; 0: never),
# as the worker does in production: shifts the demo's tills open show up by themselves.
DEMO_REFRESH_SECONDS = env.float("DEMO_REFRESH_SECONDS", default=20.0)
FINALPOS_CIRCUIT_FAILURES = env.int("FINALPOS_CIRCUIT_FAILURES", default=5)
FINALPOS_CIRCUIT_WINDOW = env.int("FINALPOS_CIRCUIT_WINDOW", default=60)
FINALPOS_CIRCUIT_COOLDOWN = env.int("FINALPOS_CIRCUIT_COOLDOWN", default=30)
FINALPOS_SIMULATOR_API_KEY = env.str("FINALPOS_SIMULATOR_API_KEY", default="demo-key")
FINALPOS_SIMULATOR_DB = env.str(
    "FINALPOS_SIMULATOR_DB", default=str(BASE_DIR / "var" / "finalpos-simulator.sqlite3")
)
FINALPOS_SIMULATOR_LATENCY_MS = env.int("FINALPOS_SIMULATOR_LATENCY_MS", default=0)
# In demo mode the simulated company's tills open, sell and close on their own as time passes.
FINALPOS_SIMULATOR_TILLS = env.bool("FINALPOS_SIMULATOR_TILLS", default=True)

# --- Error reports ------------------------------------------------------------------------

# Sentry is off unless SENTRY_DSN is set; events never carry personal data or the API key.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from finalpos_dashboard.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=VERSION,
        secrets=[FINALPOS_API_KEY, FINALPOS_SIMULATOR_API_KEY],
    )

# --- Till-close policy --------------------------------------------------------------------


# Payment methods a cashier declares at close: "key:Display name", in the order shown.
# Only these keys are ever sent in closingAmounts; "cash" is the counted drawer.
def _payment_methods(raw: list[str]) -> tuple[tuple[str, str], ...]:
    methods = []
    for item in raw:
        key, _, name = item.partition(":")
        key, name = key.strip(), name.strip() or key.strip()
        if not key.isidentifier():
            raise ImproperlyConfigured(
                f"PAYMENT_METHODS entries look like cash:Cash (a key of letters, digits and "
                f"underscores, then a display name), not {item!r}"
            )
        methods.append((key, name))
    if "cash" not in {key for key, _ in methods}:
        raise ImproperlyConfigured("PAYMENT_METHODS must include cash (the counted drawer).")
    return tuple(methods)


PAYMENT_METHODS = _payment_methods(
    env.list("PAYMENT_METHODS", default=["cash:Cash", "card:Card", "oliverPay:Oliver Pay"])
)
# Transaction paymentMethod strings -> our method keys; unlisted ones count as themselves.
PAYMENT_METHOD_ALIASES = env.dict(
    "PAYMENT_METHOD_ALIASES",
    default={
        "credit_card": "card",
        "debit_card": "card",
        "card": "card",
        "cash": "cash",
        "oliver_pay": "oliverPay",
        "oliverpay": "oliverPay",
        "wallet": "oliverPay",
    },
)
BLIND_COUNT = env.bool("BLIND_COUNT", default=True)
# After a blind count has been checked against expected, may the cashier change it? Either way
# the first count is kept on the report; "false" makes the first count final.
BLIND_RECOUNT_AFTER_REVEAL = env.bool("BLIND_RECOUNT_AFTER_REVEAL", default=True)
# Why cash goes in or out of a drawer during a shift, for each kind of movement; "Other" asks
# for a note. The defaults are shown in the page's language; reasons set here are shown as
# written.
CASH_PAY_OUT_REASONS = env.list(
    "CASH_PAY_OUT_REASONS",
    default=["Supplies", "Refund paid in cash", "Tips paid out", "Other"],
)
CASH_PAY_IN_REASONS = env.list(
    "CASH_PAY_IN_REASONS", default=["Change for the till", "Float top-up", "Other"]
)
CASH_DROP_REASONS = env.list("CASH_DROP_REASONS", default=["Safe drop", "Bank deposit", "Other"])
# Reasons offered for every kind, besides each kind's own (this setting once held them all).
CASH_MOVEMENT_REASONS = env.list("CASH_MOVEMENT_REASONS", default=[])
# Company name on printed reports (Final POS outlets carry their own names, not the company's).
COMPANY_NAME = env.str("COMPANY_NAME", default="")


def _amount_setting(name: str, default: str) -> Decimal:
    raw = env.str(name, default=default)
    try:
        amount = Decimal(raw)
    except ArithmeticError as error:
        raise ImproperlyConfigured(f"{name} must be an amount like 20.00, not {raw!r}") from error
    if not amount.is_finite() or amount < 0:
        raise ImproperlyConfigured(f"{name} must be a positive amount like 20.00, not {raw!r}")
    return amount


# A difference on one payment method within this is "balanced" (0.00: exact to the cent).
VARIANCE_TOLERANCE = _amount_setting("VARIANCE_TOLERANCE", "0.00")
VARIANCE_REASON_THRESHOLD = _amount_setting("VARIANCE_REASON_THRESHOLD", "5.00")
VARIANCE_APPROVAL_THRESHOLD = _amount_setting("VARIANCE_APPROVAL_THRESHOLD", "20.00")
# A cash movement above this, recorded by a cashier, waits for a manager's approval.
MOVEMENT_APPROVAL_LIMIT = _amount_setting("MOVEMENT_APPROVAL_LIMIT", "50.00")
# Blank: the currency's own default (sessions_app/cash.py: 200 USD, 30000 JPY, 50.000 KWD).
TARGET_FLOAT: Decimal | None = (
    _amount_setting("TARGET_FLOAT", "0") if env.str("TARGET_FLOAT", default="") else None
)


def _target_floats(raw: dict[str, str]) -> dict[str, Decimal]:
    floats = {}
    for outlet_id, amount in raw.items():
        try:
            floats[outlet_id.strip()] = Decimal(amount)
        except ArithmeticError as error:
            raise ImproperlyConfigured(
                f"TARGET_FLOAT_BY_OUTLET values must be amounts like 150.00, not {amount!r}"
            ) from error
    return floats


# Per-outlet exceptions to TARGET_FLOAT: "<outlet id>=150.00,<outlet id>=300.00".
TARGET_FLOAT_BY_OUTLET = _target_floats(env.dict("TARGET_FLOAT_BY_OUTLET", default={}))
# Notes and coins counted at open and close, largest first; empty means the defaults for the
# outlet's currency (sessions_app/cash.py). Example: "100,50,20,10,5,1,0.25,0.10,0.05,0.01".
# An outlet can have its own (Setup -> Rules).
CASH_DENOMINATIONS = env.list("CASH_DENOMINATIONS", default=[])
# Cash rounding where small coins are gone, the company's default (an outlet can have its
# own): the increment ("0.05"; blank or 0: none), the mode (half_up, up, down) and whether it
# applies to cash only or to every tender (cash, all).
CASH_ROUNDING = _amount_setting("CASH_ROUNDING", "0")
CASH_ROUNDING_MODE = env.str("CASH_ROUNDING_MODE", default="half_up")
if CASH_ROUNDING_MODE not in {"half_up", "up", "down"}:
    raise ImproperlyConfigured(
        f"CASH_ROUNDING_MODE must be half_up, up or down, not {CASH_ROUNDING_MODE!r}"
    )
CASH_ROUNDING_APPLIES_TO = env.str("CASH_ROUNDING_APPLIES_TO", default="cash")
if CASH_ROUNDING_APPLIES_TO not in {"cash", "all"}:
    raise ImproperlyConfigured(
        f"CASH_ROUNDING_APPLIES_TO must be cash or all, not {CASH_ROUNDING_APPLIES_TO!r}"
    )


def _session_number_prefix(raw: str) -> str:
    prefix = raw.strip().upper()
    if not re.fullmatch(r"[A-Z][A-Z0-9]{0,5}", prefix):
        raise ImproperlyConfigured(
            f"SESSION_NUMBER_PREFIX must be 1 to 6 letters or digits, like D, not {raw!r}"
        )
    if prefix == "S":
        raise ImproperlyConfigured(
            "SESSION_NUMBER_PREFIX cannot be S: Final POS tills number their own sessions "
            "S-<year>-<sequence>, and the dashboard's numbers must never collide with theirs."
        )
    return prefix


# The dashboard numbers the shifts it opens <prefix>-<year>-<sequence>, in a space of its own:
# the tills' S- numbers can never collide with them.
SESSION_NUMBER_PREFIX = _session_number_prefix(env.str("SESSION_NUMBER_PREFIX", default="D"))

# --- Finding shifts the tills opened ------------------------------------------------------

# Each refresh pass reads at most this many pages of the company's sales, and reads at most
# this many shifts it has not seen, newest first; the rest carry over to the next pass.
DISCOVERY_PAGES_PER_PASS = env.int("DISCOVERY_PAGES_PER_PASS", default=10)
DISCOVERY_SESSIONS_PER_PASS = env.int("DISCOVERY_SESSIONS_PER_PASS", default=60)
# How far back a new install looks for the company's earlier shifts.
DISCOVERY_HISTORY_DAYS = env.int("DISCOVERY_HISTORY_DAYS", default=90)
# A catalog refresh that would remove more than this share of the outlets or tills (and more
# than one) is held until a manager confirms it: an empty or partial list is more often a
# fault upstream than a company closing its stores.
CATALOG_REMOVAL_SHARE = env.float("CATALOG_REMOVAL_SHARE", default=0.2)
# A shift Final POS answers "no such session" for is marked deleted only when it is still
# missing at a check this long after the first.
SHIFT_GONE_AFTER = timedelta(minutes=env.int("SHIFT_GONE_AFTER_MINUTES", default=5))

# --- Processes ----------------------------------------------------------------------------

# A process holding a shift's write lock, a till's claim, the refresh lease or a task writes a
# heartbeat this often; on another machine, three missed beats mean it died and what it held
# is taken over (on the same machine its pid tells at once). 0: no heartbeat thread.
PROCESS_HEARTBEAT_SECONDS = env.int("PROCESS_HEARTBEAT_SECONDS", default=5)

# --- Logging ------------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# JSON lines in production (a platform's log search reads fields), plain text while developing.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "finalpos_dashboard.log_format.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "finalpos_dashboard.log_format.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console and mail handlers would print some records twice, in another
        # format: everything goes through the root's one handler instead.
        "django": {"handlers": [], "level": LOG_LEVEL},
        "django.request": {"level": "WARNING"},
        # runserver's line per request repeats ours (finalpos_dashboard.requests).
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        "sessions_app": {"level": LOG_LEVEL},
        # The demo run locally (`make run`) refreshes from the embedded simulator every few
        # seconds: a line per call would bury the sign-in hint and the request lines.
        **(
            {
                "sessions_app.finalpos.transport": {"level": "WARNING"},
                "sessions_app.services.catalog": {"level": "WARNING"},
            }
            if FINALPOS_DEMO_MODE and DEBUG and not env.str("LOG_LEVEL", default="")
            else {}
        ),
    },
}
# Python's warnings go through the same handler (a JSON line, not a bare line on stderr).
logging.captureWarnings(LOG_FORMAT == "json")
