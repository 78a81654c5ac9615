"""The WSGI application, for gunicorn (``guwen.wsgi:application``).

Once Django is set up, the URLconf (and through it every view module and the API's schemas) is
loaded and its reverse look-up tables are built, for the site's language and for every namespace.
Django builds those tables on the first ``reverse()``, with no lock: when a freshly started
process with 32 threads takes its first burst of questions, every thread used to build them at
once (about 0.1 s of CPU each): the first 640 questions after a start had a p99 of 1.1–1.9 s,
against 0.29 s with the tables built here (``benchmarks/bench_start.py``; ``GUWEN_WARM_URLS=0``
skips this).

Then everything alive is moved out of the garbage collector's reach (``gc.freeze()``): those
objects live as long as the process, yet every full collection walked all of them, about 120,000,
with every thread of the process stopped. Under the intake benchmark such a collection took up to
100 ms, which was the p99. gunicorn loads this module in its master process and forks the workers
from it (``gunicorn.conf.py``: ``preload_app``), and objects the collector never touches stay in
memory pages the workers share. ``GUWEN_GC_FREEZE=0`` turns this off.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
application = get_wsgi_application()


def build_reverse_tables() -> None:
    """Build every URL resolver's reverse tables now, for the active language (outside a request:
    ``LANGUAGE_CODE``)."""
    from django.urls import URLResolver, get_resolver

    pending = [get_resolver()]
    while pending:
        resolver = pending.pop()
        resolver.reverse_dict  # noqa: B018 - builds reverse_dict, namespace_dict and app_dict
        pending.extend(p for p in resolver.url_patterns if isinstance(p, URLResolver))


if os.environ.get("GUWEN_WARM_URLS", "1") != "0":  # 0: only to measure the difference
    build_reverse_tables()

# gunicorn loads this module once and forks its workers from it (``preload_app``): a connection
# opened while loading would be shared by every worker. Nothing opens one; this keeps it so.
connections.close_all()

if os.environ.get("GUWEN_GC_FREEZE", "1") != "0":
    gc.collect()
    gc.freeze()
