"""Settings come only from the environment: the production profile passes Django's deploy checks,
the dev profile keeps its generated secrets, and the env helpers refuse what they cannot read."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from guwen.envconf import env_bool, env_int, env_list, env_secret

BASE_DIR = Path(settings.BASE_DIR)


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with only the given environment (plus PATH and HOME), so
    nothing from the developer's shell or from pytest leaks into the settings under test."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        "GUWEN_PROFILE": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "GUWEN_DATA_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "guwen.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "GUWEN_VAR_DIR": str(tmp_path),
        **overrides,
    }


def dev_env(tmp_path: Path) -> dict[str, str]:
    return {
        "GUWEN_PROFILE": "dev",
        "DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3",
        "GUWEN_VAR_DIR": str(tmp_path),
    }


PRINT_KEYS = "from django.conf import settings; print(settings.SECRET_KEY); print(settings.GUWEN_DATA_KEY)"


# --- profiles ---------------------------------------------------------------------------------------


def test_production_profile_passes_deploy_checks_without_warnings(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # The secrets came from the environment: nothing was generated into the var directory.
    assert not (tmp_path / "secret_key").exists()
    assert not (tmp_path / "data_key").exists()


def test_deploy_checks_do_catch_debug_in_production(tmp_path):
    """The check above is worth something only if it fails on a real mistake."""
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path, DEBUG="1")
    )

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_dev_profile_generates_secret_key_once_and_reuses_it(tmp_path):
    first = run_manage("shell", "-v", "0", "-c", PRINT_KEYS, env=dev_env(tmp_path))
    second = run_manage("shell", "-v", "0", "-c", PRINT_KEYS, env=dev_env(tmp_path))

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    secret_key, data_key = first.stdout.split()
    assert second.stdout.split() == [secret_key, data_key]
    assert len(secret_key) >= 50
    assert secret_key != data_key
    assert (tmp_path / "secret_key").read_text().strip() == secret_key
    assert (tmp_path / "data_key").read_text().strip() == data_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_key_file_is_read_in_dev_profile(tmp_path):
    key_file = tmp_path / "mounted_secret"
    key_file.write_text("from-a-mounted-secret-file-0123456789-abcdefghijklmnopqrstuvwxyz\n")

    result = run_manage(
        "shell", "-v", "0", "-c", PRINT_KEYS, env={**dev_env(tmp_path), "SECRET_KEY_FILE": str(key_file)}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "from-a-mounted-secret-file-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert not (tmp_path / "secret_key").exists()


def test_unknown_profile_is_refused(tmp_path):
    result = run_manage("check", env={**dev_env(tmp_path), "GUWEN_PROFILE": "staging"})

    assert result.returncode != 0
    assert "GUWEN_PROFILE must be dev, test or production" in result.stderr


def test_garbage_boolean_in_environment_stops_startup(tmp_path):
    result = run_manage("check", env={**dev_env(tmp_path), "DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_pytest_runs_under_the_test_profile():
    assert settings.PROFILE == "test"
    assert not settings.GUWEN_WAIVE_STAFF_TOTP
    assert not settings.DEBUG


# --- env helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on"])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("GUWEN_FLAG", raw)
    assert env_bool("GUWEN_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("GUWEN_FLAG", raw)
    assert env_bool("GUWEN_FLAG", True) is False


def test_env_bool_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("GUWEN_FLAG", raising=False)
    assert env_bool("GUWEN_FLAG", True) is True
    assert env_bool("GUWEN_FLAG") is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "真"])
def test_env_bool_rejects_garbage(monkeypatch, raw):
    monkeypatch.setenv("GUWEN_FLAG", raw)
    with pytest.raises(ValueError, match="GUWEN_FLAG must be a boolean"):
        env_bool("GUWEN_FLAG")


def test_env_int_reads_number_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("GUWEN_N", "42")
    assert env_int("GUWEN_N", 7) == 42
    monkeypatch.setenv("GUWEN_N", "  ")
    assert env_int("GUWEN_N", 7) == 7


def test_env_int_rejects_garbage(monkeypatch):
    monkeypatch.setenv("GUWEN_N", "forty")
    with pytest.raises(ValueError, match="GUWEN_N must be an integer"):
        env_int("GUWEN_N", 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("GUWEN_HOSTS", " a.example.org, ,b.example.org ,")
    assert env_list("GUWEN_HOSTS", ["x"]) == ["a.example.org", "b.example.org"]
    monkeypatch.delenv("GUWEN_HOSTS")
    assert env_list("GUWEN_HOSTS", ["x"]) == ["x"]


def test_env_secret_prefers_the_variable(monkeypatch, tmp_path):
    secret_file = tmp_path / "s"
    secret_file.write_text("from-file")
    monkeypatch.setenv("GUWEN_SECRET", "from-env")
    monkeypatch.setenv("GUWEN_SECRET_FILE", str(secret_file))

    assert env_secret("GUWEN_SECRET", generate_into=tmp_path / "generated") == "from-env"
    assert not (tmp_path / "generated").exists()


def test_env_secret_reads_name_file(monkeypatch, tmp_path):
    secret_file = tmp_path / "s"
    secret_file.write_text("  from-file\n")
    monkeypatch.delenv("GUWEN_SECRET", raising=False)
    monkeypatch.setenv("GUWEN_SECRET_FILE", str(secret_file))

    assert env_secret("GUWEN_SECRET") == "from-file"


def test_env_secret_generates_once_into_file_and_reuses_it(monkeypatch, tmp_path):
    monkeypatch.delenv("GUWEN_SECRET", raising=False)
    monkeypatch.delenv("GUWEN_SECRET_FILE", raising=False)
    target = tmp_path / "nested" / "secret"

    first = env_secret("GUWEN_SECRET", generate_into=target)
    second = env_secret("GUWEN_SECRET", generate_into=target)

    assert first == second == target.read_text()
    assert len(first) >= 50
    assert target.stat().st_mode & 0o777 == 0o600


def test_env_secret_without_source_or_target_is_empty(monkeypatch):
    monkeypatch.delenv("GUWEN_SECRET", raising=False)
    monkeypatch.delenv("GUWEN_SECRET_FILE", raising=False)
    assert env_secret("GUWEN_SECRET") == ""


# --- /healthz ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_json(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import OperationalError

    class BrokenConnection:
        def cursor(self):
            raise OperationalError("database is down")

    monkeypatch.setattr("guwen.core.views.connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "database is down" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


# --- gunicorn.conf.py: the production web processes ---------------------------------------------


def gunicorn_conf(monkeypatch, **env: str) -> dict:
    import runpy

    for name in ("WEB_CONCURRENCY", "GUWEN_WEB_THREADS", "GUWEN_WEB_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_conf_defaults_to_a_process_per_core_and_a_few_threads(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    conf = gunicorn_conf(monkeypatch)

    assert conf["wsgi_app"] == "guwen.wsgi:application"
    assert conf["worker_class"] == "gthread"
    assert (conf["workers"], conf["threads"]) == (2, 4)
    assert conf["preload_app"] is True  # loaded once and forked: the workers share its memory


def test_gunicorn_conf_reads_processes_and_threads_from_the_environment(monkeypatch):
    conf = gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3", GUWEN_WEB_THREADS="8", GUWEN_WEB_PRELOAD="0")

    assert (conf["workers"], conf["threads"], conf["preload_app"]) == (3, 8, False)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GUWEN_WEB_THREADS": "many"}, "GUWEN_WEB_THREADS must be an integer"),
        ({"WEB_CONCURRENCY": "0"}, "must be at least 1"),
        ({"GUWEN_WEB_THREADS": "-2"}, "must be at least 1"),
        ({"GUWEN_WEB_PRELOAD": "maybe"}, "GUWEN_WEB_PRELOAD must be a boolean"),
    ],
)
def test_gunicorn_conf_refuses_bad_values(monkeypatch, env, message):
    with pytest.raises(ValueError, match=message):
        gunicorn_conf(monkeypatch, **env)


def test_gunicorn_serves_the_project_with_its_own_config(tmp_path):
    """`gunicorn` started in the project directory with no options finds gunicorn.conf.py and serves."""
    import http.client
    import socket
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    env = {
        **clean,
        "GUWEN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "WEB_CONCURRENCY": "2",
        "GUWEN_WEB_THREADS": "2",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
                conn.close()
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, process.stdout.read() if process.poll() is not None else "no answer"
        # Two workers forked from the preloaded master keep answering /healthz, which queries the
        # database, on a fresh connection each time.
        statuses = []
        for _ in range(20):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            statuses.append(conn.getresponse().status)
            conn.close()
        assert statuses == [200] * 20
    finally:
        process.terminate()
        process.wait(20)


def test_gunicorn_access_log_leaves_out_query_strings(monkeypatch):
    log_format = gunicorn_conf(monkeypatch)["access_log_format"]
    assert "%(U)s" in log_format and "%(r)s" not in log_format and "%(q)s" not in log_format


def test_request_lines_are_logged_without_their_query_strings():
    import logging

    from guwen.core.logfilters import DropQueryStrings

    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /search?q=13912345678 HTTP/1.1", 200, 5),
        None,
    )
    assert DropQueryStrings().filter(record)
    assert record.getMessage() == '"GET /search HTTP/1.1" 200 5'


@pytest.mark.django_db
def test_signed_in_pages_and_api_answers_are_never_stored_by_a_cache(client, world):
    from guwen.testing import verified_client

    assert "no-store" in verified_client(world.user("advisor_a")).get("/")["Cache-Control"]
    assert "no-store" in client.get("/api/v1/me")["Cache-Control"]  # even a refusal
    card = client.get(f"/c/{world.community_a.code}/")
    assert card.status_code == 200 and "no-store" not in card.get("Cache-Control", "")


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client, world):
    policy = client.get(f"/c/{world.community_a.code}/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and "unsafe" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_no_template_carries_inline_script_or_event_handlers():
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"", re.I)
    found = [
        str(path.relative_to(BASE_DIR))
        for path in (BASE_DIR / "guwen").rglob("templates/**/*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
