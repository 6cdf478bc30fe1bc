"""A web worker does its first request's one-off work as it starts (warmup.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_worker_has_its_views_and_catalogues_loaded_before_its_first_request():
    probe = (
        "import json, sys\n"
        "import finalpos_dashboard.wsgi\n"
        "from django.utils.translation import trans_real\n"
        "print(json.dumps({'views': 'sessions_app.views.board' in sys.modules,\n"
        "                  'catalogues': sorted(trans_real._translations)}))\n"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"}
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded = json.loads(found.stdout.strip().splitlines()[-1])
    assert loaded["views"]
    assert {"de", "es", "fr"} <= set(loaded["catalogues"])
