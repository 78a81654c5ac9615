"""The WSGI application, for gunicorn (``guwen.wsgi:application``).

Once Django is set up and the URLconf loaded, everything alive is moved out of the garbage collector's reach
(``gc.freeze()``): those objects live as long as the process, and without this every full
collection walks all of them with every thread of the process stopped. gunicorn loads this module
in its master process and forks the workers from it (``gunicorn.conf.py``: ``preload_app``), and
objects the collector never touches stay in memory pages the workers share.
``GUWEN_GC_FREEZE=0`` turns this off.

Before that, the statute suggestions' models are loaded (knowledge.selectors.warm_suggestions), so
that no worker's first answer-box request waits for them; ``GUWEN_WARM=0`` leaves them to the first
request.
"""

import gc
import logging
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
application = get_wsgi_application()
# The URLconf, and through it every view module, is imported now: once, in the master process.
get_resolver().url_patterns  # noqa: B018

# The statute suggestions' models and indexes, loaded once here and shared by the workers, rather
# than in each worker's first answer-box request. A missing or broken model is logged, not fatal:
# the pages that do not need it still serve, and the suggestions say what is wrong when asked.
if os.environ.get("GUWEN_WARM", "1") != "0":
    try:
        from guwen.knowledge.selectors import warm_suggestions

        warm_suggestions()
    except Exception:
        logging.getLogger(__name__).exception("statute suggestions not warmed")

# gunicorn loads this module once and forks its workers from it (``preload_app``): a connection
# opened while loading would be shared by every worker. Nothing opens one; this keeps it so.
connections.close_all()

if os.environ.get("GUWEN_GC_FREEZE", "1") != "0":
    gc.collect()
    gc.freeze()
