"""gunicorn reads this file from the working directory: the access log line goes through
common.logscrub, so the rating link's token (and any ID number or phone) is not logged."""

logger_class = "common.logscrub.GunicornLogger"
