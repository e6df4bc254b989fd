import pytest


@pytest.fixture
def published(monkeypatch):
    """Record what the outbox relay publishes instead of talking to a broker."""
    calls: list[tuple[str, list, dict]] = []

    def fake_publish(app, message):
        calls.append((message.task_name, message.args, message.kwargs))

    monkeypatch.setattr("jobs.services._publish", fake_publish)
    return calls
