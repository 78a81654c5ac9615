"""The WSGI module loads the URLconf and freezes what it loaded out of the garbage collector's reach;
checked in a fresh interpreter, since freezing is for the life of a process."""

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


def frozen(tmp_path: Path, **env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    environment.update(GUWEN_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    environment.pop("DATABASE_URL", None)  # importing the application touches no database
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.mark.parametrize(("setting", "expect_frozen"), [({}, True), ({"GUWEN_GC_FREEZE": "0"}, False)])
def test_the_loaded_application_is_frozen_unless_turned_off(tmp_path, setting, expect_frozen):
    count, views_loaded, application = frozen(tmp_path, **setting)
    assert application == "WSGIHandler"
    if expect_frozen:
        # The URLconf was loaded first, so the views and their imports are among the frozen.
        assert int(count) > 20_000 and views_loaded == "True"
    else:
        assert int(count) == 0
