"""The environment `make run` gives the portal, for the tests that start it as a user would."""

import os


def make_run_env(**overrides: str) -> dict[str, str]:
    """Local settings with their defaults and no .env: this process's environment without
    the project's own settings, the database and the broker (the embedded defaults), then
    `overrides`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "FENGQIAO_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    env.update(overrides)
    return env
