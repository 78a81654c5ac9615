"""gunicorn's settings for Guwen's web processes.

gunicorn reads this file by itself when started from this directory (``gunicorn guwen.wsgi``);
elsewhere pass ``-c /path/to/gunicorn.conf.py``. Command-line options override it.

- ``WEB_CONCURRENCY``: processes, default one per CPU core.
- ``GUWEN_WEB_PRELOAD``: load the application once and fork the processes from it (default 1).
- ``GUWEN_WEB_THREADS``: threads per process. Default: 32, or fewer when the processes would
  hold more than ``GUWEN_WEB_DB_CONNECTIONS`` database connections between them (default 80),
  but never fewer than 4.

Why this many threads on so few processes: a page spends much of its time waiting on the
database, and a public question waits for its group commit (``guwen.core.groupcommit``): while
one batch commits, the next batch fills from the process's other threads. With few threads a
process sits idle until the commit returns, and the batches stay small, so every question pays
a larger share of a commit. Measured with ``benchmarks/bench_intake.py`` on 2 cores and
PostgreSQL (32 clients, same day, one run per setting): 4 threads gave 188–218 questions a
second, 8 gave 235–251, 16 gave 244–268 and 32 gave 269–294, and PostgreSQL's CPU per question
fell from 1.4 to 0.9 ms. The bare view moved within its own noise.

The application is loaded once, in the master process, before the workers are forked
(``preload_app``): the URLconf, the views and the reverse tables are built once, and
``guwen.wsgi`` freezes them out of the garbage collector's reach before the fork, so the
workers share those memory pages instead of each building its own copy. Measured on 2 cores
with 2 × 32 after 1,280 questions: 181–186 MB of PSS for the master and both workers together,
against 248–250 MB when each worker loads the application itself (``benchmarks/bench_start.py``).
Importing the application opens no database connection (``guwen.wsgi`` closes any), so no two
workers share one. A changed code base needs a restart, not a ``HUP``; with
``GUWEN_WEB_PRELOAD=0`` each worker loads the application itself and a ``HUP`` reloads it.

Each thread keeps its own database connection (``DB_CONN_MAX_AGE``), so processes × threads,
plus the task workers, must stay below PostgreSQL's ``max_connections`` (100 by default). The
default number of threads therefore shrinks as the processes grow (8 processes: 10 threads
each). With several hosts on one database, give each host its share in
``GUWEN_WEB_DB_CONNECTIONS``.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from guwen.envconf import env_bool, env_int

wsgi_app = "guwen.wsgi:application"
workers = env_int("WEB_CONCURRENCY", os.cpu_count() or 2)
worker_class = "gthread"
_connections = env_int("GUWEN_WEB_DB_CONNECTIONS", 80)
threads = env_int("GUWEN_WEB_THREADS", max(4, min(32, _connections // max(workers, 1))))
backlog = 512
preload_app = env_bool("GUWEN_WEB_PRELOAD", True)

if workers < 1 or threads < 1:
    raise ValueError(f"WEB_CONCURRENCY and GUWEN_WEB_THREADS must be at least 1, got {workers} and {threads}")
