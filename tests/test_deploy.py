"""What a deployment relies on: production settings, collectstatic, the compose file.

The production settings are loaded in subprocesses, so that nothing here touches the test
process's own (already configured) settings.
"""

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every variable the production settings read without a default.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "fengqiao.example.org,localhost",
    "FENGQIAO_PII_KEY": secrets.token_urlsafe(32),
    "DATABASE_URL": "postgres://fengqiao:unused@127.0.0.1:5432/fengqiao",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_TRUSTED_PROXIES": "10.0.0.0/24",
}


def _env(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "FENGQIAO_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(PRODUCTION_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_load_with_the_environment_set():
    result = _python(
        """
        import django
        from django.conf import settings
        django.setup()
        print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)
        print(settings.DATABASES["default"]["ENGINE"])
        print(settings.CELERY_BROKER_URL)
        print(settings.STORAGES["staticfiles"]["BACKEND"])
        """,
        _env(),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "False True True"
    assert lines[1] == "django.db.backends.postgresql"
    assert lines[2] == "redis://127.0.0.1:6379/0"
    assert lines[3] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "FENGQIAO_PII_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_TRUSTED_PROXIES",
    ],
)
def test_production_settings_refuse_to_start_without_a_required_variable(missing):
    result = _python(
        "import django; django.setup(); print('started')",
        _env(**{missing: None}),
    )
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_collectstatic_builds_a_compressed_manifest(tmp_path):
    """The Dockerfile runs this at build time; a missing referenced file breaks the build."""
    (tmp_path / "collect_settings.py").write_text(
        "from config.settings.production import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    env = _env(DJANGO_SETTINGS_MODULE="collect_settings")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    static = tmp_path / "static"
    assert (static / "staticfiles.json").is_file()
    hashed_css = list((static / "css").glob("fengqiao.*.css"))
    assert hashed_css, "no hashed copy of css/fengqiao.css"
    assert list((static / "css").glob("fengqiao.*.css.gz")), "whitenoise did not compress"


def test_docker_compose_names_the_services():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]
    assert "healthcheck" in services["web"]
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"


def test_dockerfile_runs_gunicorn_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "collectstatic" in dockerfile
    user_lines = [line for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1].split()[1] not in ("root", "0")
    assert "config.wsgi" in dockerfile


def test_docker_compose_migrates_as_the_owner_and_runs_the_app_as_the_runtime_role():
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    migrate = services["migrate"]
    assert "FENGQIAO_DB_OWNER" in migrate["environment"]["DATABASE_URL"]
    assert "grant_runtime_role" in " ".join(migrate["command"])
    init = services["postgres"]["volumes"]
    assert any(volume.endswith(":/docker-entrypoint-initdb.d:ro") for volume in init)
    assert (ROOT / "docker/postgres/initdb/10-fengqiao-roles.sh").is_file()
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        url = service["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://${FENGQIAO_DB_RUNTIME_ROLE"), url
        # The app containers never see compose's .env (the owner's and superuser's passwords).
        assert service["env_file"] == "app.env"
        assert "migrate" not in " ".join(service["command"])
