"""gunicorn's own log lines (a worker booting, timing out, killed) as JSON lines in UTC, like
every other line the dashboard writes in production: the Procfile's web command passes
``--logger-class finalpos_dashboard.gunicorn_logging.JsonLogger``. With LOG_FORMAT=text they
stay gunicorn's plain text."""

import os
from typing import Any

from gunicorn.glogging import Logger

from finalpos_dashboard.log_format import JsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        # The default of settings.LOG_FORMAT, read before Django's settings are (the master
        # never loads them): text with DEBUG on, else JSON.
        debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
        if os.environ.get("LOG_FORMAT", "text" if debug else "json") != "json":
            return
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
