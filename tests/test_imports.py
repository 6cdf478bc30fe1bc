"""Every module imports on its own, first, as a worker that loads only what it runs does
(django-tasks-db's ``db_worker`` imports a task's module before anything else of ours)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sessions_app", "finalpos_dashboard", "finalpos_simulator")

# Django is set up once; each module is then imported in a fork of that process, so nothing
# else of ours has been imported before it (the app's ready() hook aside, as in any process).
_IMPORT_EACH_FIRST = """
import os, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
import django
django.setup()
loaded = set(sys.modules)
failures = 0
for name in sys.argv[1:]:
    if name in loaded:
        continue
    pid = os.fork()
    if pid == 0:
        try:
            __import__(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _pid, status = os.waitpid(pid, 0)
    if status:
        failures += 1
        print("FAILED:", name, file=sys.stderr)
sys.exit(1 if failures else 0)
"""


def _product_modules() -> list[str]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_every_product_module_imports_first_in_a_fresh_process():
    modules = _product_modules()
    assert "sessions_app.tasks" in modules
    finished = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_FIRST, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr[-4000:]
