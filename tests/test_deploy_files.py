"""The deploy files agree with the Procfile: Render's Blueprint, Fly's fly.toml and the
Dockerfile run the same web, release and worker commands, probe /healthz, use the Python of
.python-version, and compile the translations in every build (Heroku's in bin/post_compile).
Static checks (no Docker engine here), and the Docker entrypoint run for real: the release
step, then the web process answering /healthz."""

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests
import yaml

PROJECT = Path(__file__).resolve().parents[1]
RUNNER = PROJECT / "scripts" / "procfile-run"
PYTHON_VERSION = (PROJECT / ".python-version").read_text().strip()


def _procfile() -> dict[str, str]:
    lines = (PROJECT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) for each line of the Dockerfile, comments dropped."""
    text = (PROJECT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [(parts[0], parts[1]) for parts in (line.split(" ", 1) for line in lines)]


def test_the_procfile_has_a_web_a_release_and_a_worker_process():
    processes = _procfile()
    assert set(processes) == {"web", "release", "worker"}
    assert processes["web"].startswith("gunicorn finalpos_dashboard.wsgi:application ")
    assert "python manage.py migrate --noinput" in processes["release"]
    assert "python manage.py createcachetable" in processes["release"]
    assert processes["worker"] == "python manage.py worker --interval 60"


# --- Render --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def render():
    blueprint = yaml.safe_load((PROJECT / "render.yaml").read_text())
    return {service["type"]: service for service in blueprint["services"]} | {
        "groups": blueprint["envVarGroups"]
    }


def test_render_runs_the_procfile_commands(render):
    processes = _procfile()
    assert render["web"]["startCommand"] == processes["web"]
    assert render["web"]["preDeployCommand"] == processes["release"]
    assert render["worker"]["startCommand"] == processes["worker"]


def test_render_probes_healthz_and_installs_the_lock(render):
    assert render["web"]["healthCheckPath"] == "/healthz"
    for service in (render["web"], render["worker"]):
        assert service["runtime"] == "python"
        assert "pip install --require-hashes -r requirements/runtime.txt" in service["buildCommand"]


def test_render_takes_python_from_python_version_and_gives_every_process_its_settings(render):
    [group] = render["groups"]
    shared = {variable["key"] for variable in group["envVars"]}
    assert "PYTHON_VERSION" not in shared  # Render reads .python-version
    assert {"SECRET_KEY", "FINALPOS_API_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"} <= shared
    for service in (render["web"], render["worker"]):
        own = {variable.get("key") for variable in service["envVars"]}
        assert {"DATABASE_URL", "REDIS_URL"} <= own
        assert {"fromGroup": group["name"]} in service["envVars"]


# --- Fly.io and the Dockerfile -------------------------------------------------------------


@pytest.fixture(scope="module")
def fly():
    return tomllib.loads((PROJECT / "fly.toml").read_text())


def test_fly_runs_each_process_by_its_procfile_name(fly):
    processes = _procfile()
    assert fly["processes"] == {"web": "web", "worker": "worker"}
    assert set(fly["processes"].values()) <= set(processes)
    assert fly["deploy"]["release_command"] == "release"
    assert fly["build"]["dockerfile"] == "Dockerfile"


def test_fly_sends_traffic_to_web_and_probes_healthz(fly):
    service = fly["http_service"]
    assert service["processes"] == ["web"]
    assert str(service["internal_port"]) == fly["env"]["PORT"]
    [check] = service["checks"]
    assert (check["method"], check["path"]) == ("GET", "/healthz")


def test_the_dockerfile_runs_the_procfile_as_an_unprivileged_user():
    instructions = _dockerfile()
    stages = [arguments for instruction, arguments in instructions if instruction == "FROM"]
    assert len(stages) >= 2  # a build stage and a smaller final stage
    assert all(stage.startswith("python:${PYTHON_VERSION}-slim") for stage in stages)
    assert ("ARG", f"PYTHON_VERSION={PYTHON_VERSION}") in instructions
    final = instructions[max(i for i, (name, _) in enumerate(instructions) if name == "FROM") :]
    users = [arguments for instruction, arguments in final if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert ("ENTRYPOINT", '["/app/scripts/procfile-run"]') in final
    assert ("CMD", '["web"]') in final
    runs = " ".join(arguments for instruction, arguments in instructions if instruction == "RUN")
    assert "pip install --require-hashes -r /tmp/requirements.txt" in runs
    assert ("COPY", "requirements/runtime.txt /tmp/requirements.txt") in instructions


def test_the_image_keeps_what_the_processes_need():
    ignored = (PROJECT / ".dockerignore").read_text().split()
    for needed in (
        "Procfile",
        "scripts",
        "manage.py",
        "requirements",
        "static",
        "templates",
        "locale",
    ):
        assert needed not in ignored
    assert "**/*.mo" in ignored  # the image compiles its own, never a developer's stale ones


# --- Translations: compiled by every build, never committed ----------------------------------

COMPILE = "python manage.py compile_translations"


def test_every_build_compiles_the_translations(render):
    """Not at start-up: the build's files are what every web and worker process reads."""
    instructions = _dockerfile()
    final_stage = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    build_runs = [arguments for name, arguments in instructions[:final_stage] if name == "RUN"]
    assert any(f"/venv/bin/{COMPILE}" in run for run in build_runs), build_runs
    for service in (render["web"], render["worker"]):
        assert service["buildCommand"].endswith(f" && DEBUG=true {COMPILE}")
    heroku_hook = PROJECT / "bin" / "post_compile"  # run by Heroku's Python buildpack
    assert os.access(heroku_hook, os.X_OK)
    assert f"\nDEBUG=true {COMPILE}\n" in heroku_hook.read_text()
    assert "set -euo pipefail" in heroku_hook.read_text()  # a failure fails the build


def test_compiled_translations_are_never_committed():
    assert "*.mo" in (PROJECT / ".gitignore").read_text().split()
    git = shutil.which("git")
    if git is None:
        pytest.skip("needs git")
    tracked = subprocess.run(
        [git, "ls-files", "*.mo"], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert tracked.stdout == ""


# --- The entrypoint, for real ---------------------------------------------------------------


def _run(name: str, procfile: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RUNNER), name],
        env={**os.environ, "PROCFILE": str(procfile), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_entrypoint_runs_a_procfile_line_through_a_shell(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text('web: echo "port ${PORT:-8000}"\nrelease: echo one && echo two\n')
    assert _run("web", procfile).stdout == "port 8000\n"
    assert _run("web", procfile, PORT="9000").stdout == "port 9000\n"
    assert _run("release", procfile).stdout == "one\ntwo\n"
    missing = _run("worker", procfile)
    assert missing.returncode == 64 and "no 'worker' process" in missing.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_release_step_then_the_web_process_serve_healthz(tmp_path):
    """What the container does: `release`, then `web`, with production settings."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FINALPOS_", "DJANGO_"))},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "tills.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DATABASE_CACHE": "true",
        "FINALPOS_API_KEY": "live-key",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("REDIS_URL", None)
    release = subprocess.run(
        [str(RUNNER), "release"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert release.returncode == 0, release.stdout + release.stderr
    log = tmp_path / "web.log"
    with log.open("w") as output:
        web = subprocess.Popen(
            [str(RUNNER), "web"], cwd=PROJECT, env=env, stdout=output, stderr=output
        )
        try:
            for _ in range(150):
                try:  # a first answer may be slow on a busy machine: ask again
                    response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
                    break
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.2)
            # The cache round trip works: createcachetable made the table.
            assert response.json() == {
                "status": "ok",
                "database": "ok",
                "cache": "ok",
                "mode": "live",
            }
            # The entrypoint became gunicorn itself, so the platform's stop signal reaches it.
            command = Path(f"/proc/{web.pid}/cmdline").read_bytes().split(b"\0")
            assert any(b"gunicorn" in part for part in command[:2]), shlex.join(
                part.decode() for part in command
            )
        finally:
            web.send_signal(signal.SIGTERM)
            web.wait(30)
    assert web.returncode == 0, log.read_text()
    assert "Shutting down: Master" in log.read_text()
