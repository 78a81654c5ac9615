"""gunicorn's settings for Guwen's web processes.

gunicorn reads this file by itself when started from this directory (``gunicorn guwen.wsgi``);
elsewhere pass ``-c /path/to/gunicorn.conf.py``. Command-line options override it.

- ``WEB_CONCURRENCY``: processes, default one per CPU core.
- ``GUWEN_WEB_THREADS``: threads per process, default 4: a page mostly waits on the database,
  and a few threads keep a core busy while one waits.
- ``GUWEN_WEB_PRELOAD``: load the application once and fork the processes from it (default 1), so
  they share its memory (``guwen.wsgi``); a new release then needs a restart, not a ``HUP``.

Each thread keeps its own database connection (``DB_CONN_MAX_AGE``): processes × threads, plus the
task workers, must stay below PostgreSQL's ``max_connections`` (100 by default).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guwen.envconf import env_bool, env_int

wsgi_app = "guwen.wsgi:application"
workers = env_int("WEB_CONCURRENCY", os.cpu_count() or 2)
worker_class = "gthread"
threads = env_int("GUWEN_WEB_THREADS", 4)
preload_app = env_bool("GUWEN_WEB_PRELOAD", True)
# The access log names the path without its query string (%(U)s, not %(r)s): a phone number typed
# into a search box must not end up in a log file.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'

if workers < 1 or threads < 1:
    raise ValueError(f"WEB_CONCURRENCY and GUWEN_WEB_THREADS must be at least 1, got {workers} and {threads}")
