"""The Celery app. The beat schedule lives here, in one place (see BEAT_SCHEDULE)."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fengqiao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _project_logging(**_kwargs):
    """Workers and beat log through the project's LOGGING (with common.logscrub's filter, so
    ID numbers, phones and rating tokens never reach a worker's log either). A receiver
    here also stops Celery from replacing the root logger's handlers with its own."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


# Each entry: what it does and why at that cadence. Periodic jobs record a JobRun row
# (last run, duration, items, failures) shown on the job-runs page (/jobs/).
BEAT_SCHEDULE: dict = {
    # Send due deadline reminders and mark missed deadlines (escalating to supervisors).
    # Every minute: reminders are promised at 08:00 and misses right after 23:59:59, so a
    # minute is the precision users see; an idle sweep is one index probe (bench/README.md).
    "deadlines-sweep": {
        "task": "deadlines.sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Publish outbox rows the commit-time fast path could not (broker down, web process
    # killed between commit and publish). Every 15 s bounds the delay after the broker
    # returns; an empty relay is one index probe.
    "outbox-relay": {
        "task": "jobs.outbox_relay",
        "schedule": 15.0,
        "options": {"expires": 14},
    },
    # Release email/SMS held for quiet hours once the morning comes, and re-enqueue
    # deliveries a crashed worker left "sending". Every 5 minutes: holds end at 08:00 and a
    # few minutes' lateness is invisible; stale claims are only considered after 10 minutes.
    "notifications-release-held": {
        "task": "notifications.release_held",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Pick up bulk imports left behind: a task message lost after the outbox published it,
    # or a worker that died while validating / applying (its transaction rolled back; the
    # check takes back only claims no live worker holds, so nothing is applied twice).
    # Every 5 minutes: an import is minutes long and a stale claim is only considered after 2.
    "cases-imports-recover": {
        "task": "cases.import_batches_recover",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # One email a day for users who chose the daily digest, at the start of the working day.
    "notifications-daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    # Delete published outbox rows older than 7 days and job runs older than 30: nightly,
    # when nobody is working.
    "jobs-prune": {
        "task": "jobs.prune",
        "schedule": crontab(hour=3, minute=30),
    },
    # Asset inquiries whose task message was lost after publishing, or whose targets are all
    # answered but which were never closed: re-enqueued / closed. Every 5 minutes: a claim's
    # lease is 2 minutes, so an orphan waits at most a few minutes; an idle run is one probe
    # of a partial index.
    "enforcement-inquiries-recover": {
        "task": "enforcement.inquiries_recover",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Controls (freeze, seal, seizure) past their expiry and not renewed lapse: daily just
    # after midnight, since a period ends at the end of its last day.
    "enforcement-controls-expire": {
        "task": "enforcement.controls_expire",
        "schedule": crontab(hour=0, minute=20),
    },
    # Credit: remove the sanctions whose term ended (expiry removes by itself) and publish the
    # listings whose grace period (善意执行) ended. Hourly: a term ends at midnight and the
    # 3 working days run from then, so an hour is ample; each run is idempotent.
    "credit-daily": {
        "task": "credit.daily",
        "schedule": crontab(minute=5),
        "options": {"expires": 3000},
    },
    # --- enf-endings
    # After 终本: start the online check of every 终本 case whose 6 months are up (batched,
    # SKIP LOCKED, one check per case and cycle). Daily at 02:10, out of office hours; a
    # rerun the same day finds nothing due.
    "enforcement-final-checks-start": {
        "task": "enforcement.final_checks_start",
        "schedule": crontab(hour=2, minute=10),
    },
    # Store the finished checks' results, tell the applicants, resume a case whose debtor
    # now has assets. Every 10 minutes: the inquiries answer in minutes.
    "enforcement-final-checks-collect": {
        "task": "enforcement.final_checks_collect",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
