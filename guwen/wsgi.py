"""The WSGI application, for gunicorn (``guwen.wsgi:application``).

Once Django is set up, the URLconf (and through it every view module and the API's schemas) is
loaded, and everything then alive is moved out of the garbage collector's reach
(``gc.freeze()``): those objects live as long as the process, yet every full collection walked all
of them, about 120,000, with every thread of the process stopped. Under the intake benchmark such
a collection took up to 100 ms, which was the p99. ``GUWEN_GC_FREEZE=0`` turns this off.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
application = get_wsgi_application()

if os.environ.get("GUWEN_GC_FREEZE", "1") != "0":
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, every view module and the API
    gc.collect()
    gc.freeze()
