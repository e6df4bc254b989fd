"""A worker's log lines pass the same scrub filter as the web's."""

import logging

from celery.signals import setup_logging

import config.celery_app  # noqa: F401  (connects the receiver, as the worker does)


def test_worker_logging_scrubs_identity_numbers(capsys):
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        responses = setup_logging.send(
            sender=None, loglevel="INFO", logfile=None, format="", colorize=False
        )
        assert responses, "with no receiver Celery installs its own, unfiltered handlers"
        logging.getLogger("jobs.test").warning("查询 150302197003050113 13812345678 完成")
        err = capsys.readouterr().err
        assert "完成" in err
        assert "150302197003050113" not in err and "13812345678" not in err
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
