"""Configurable numbers of the cases app. Override any of them in settings (CASES_*)."""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # 三审时效: default completion deadline per difficulty, in calendar days.
    "CASES_DEADLINE_DAYS": {"simple": 3, "complex": 7, "multi_department": 15, "major": 30},
    # A registered dispute should be triaged within this many hours.
    "CASES_TRIAGE_HOURS": 24,
    # A responder should accept (应哨) a dispatch within this many hours.
    "CASES_ACCEPT_HOURS": 24,
    # How long the resident's rating link stays valid.
    "CASES_RATING_LINK_DAYS": 15,
    # Attachments: size limit and allowed content types with the extensions each may have
    # (photos and common documents). Photos are decoded with Pillow before they are kept, so
    # only formats Pillow reads are listed (no HEIC: phones' browsers upload it as JPEG).
    "CASES_ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "CASES_ATTACHMENT_TYPES": {
        "image/jpeg": (".jpg", ".jpeg"),
        "image/png": (".png",),
        "image/webp": (".webp",),
        "application/pdf": (".pdf",),
        "application/msword": (".doc",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    },
    # Duplicate suggestion: how far back "similar facts" look.
    "CASES_DUPLICATE_WINDOW_DAYS": 90,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def deadline_for(difficulty: str) -> timedelta:
    days = get("CASES_DEADLINE_DAYS")
    return timedelta(days=days.get(difficulty, days["complex"]))
