"""Notification kinds users can choose about. Apps register theirs in AppConfig.ready()."""

_kinds: dict[str, str] = {}


def register_notification_kind(kind: str, label) -> None:
    _kinds[kind] = label


def notification_kinds() -> list[tuple[str, str]]:
    return sorted(((k, str(v)) for k, v in _kinds.items()), key=lambda kv: kv[0])


def kind_label(kind: str) -> str:
    return str(_kinds.get(kind, kind))
