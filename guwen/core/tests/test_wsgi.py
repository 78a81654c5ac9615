"""The WSGI module loads the URLconf and freezes what it loaded out of the garbage collector's reach;
checked in a fresh interpreter, since both are for the life of a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import gc, guwen.wsgi, sys; "
    "print(gc.get_freeze_count(), 'guwen.consultations.views.work' in sys.modules, "
    "guwen.wsgi.application.__class__.__name__)"
)


def run_fresh(tmp_path: Path, code: str, **env: str) -> list[str]:
    """What ``code`` prints in a fresh interpreter, split into words."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    environment.pop("DATABASE_URL", None)  # importing the application touches no database
    environment.update(GUWEN_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.mark.parametrize(("setting", "expect_frozen"), [({}, True), ({"GUWEN_GC_FREEZE": "0"}, False)])
def test_the_loaded_application_is_frozen_unless_turned_off(tmp_path, setting, expect_frozen):
    count, views_loaded, application = run_fresh(tmp_path, PROBE, **setting)
    assert application == "WSGIHandler"
    if expect_frozen:
        # The URLconf was loaded first, so the views and their imports are among the frozen.
        assert int(count) > 20_000 and views_loaded == "True"
    else:
        assert int(count) == 0


def test_loading_the_application_leaves_no_database_connection_open(tmp_path):
    """gunicorn forks its workers from the loaded application: an open connection would be shared."""
    code = (
        "import guwen.wsgi; from django.db import connections; "
        "print(sum(c.connection is not None for c in connections.all()))"
    )
    assert run_fresh(tmp_path, code, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3") == ["0"]
