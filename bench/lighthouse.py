"""`make lighthouse`: Lighthouse (mobile preset) on the pages people use most, served by the
Procfile's gunicorn command with production settings in demo mode. Prints each page's scores
and exits 1 if performance, accessibility or best practices is below LIGHTHOUSE_MIN (95).

Reports are written to artifacts/lighthouse/<page>.report.{html,json}.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serving import free_port, sign_in, start_web  # noqa: E402

VAR = ROOT / "bench" / "var" / "lighthouse"
REPORTS = ROOT / "artifacts" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
MINIMUM = int(os.environ.get("LIGHTHOUSE_MIN", "95"))
CHROME = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PORT = free_port()
URL = f"http://127.0.0.1:{PORT}"

ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    # Plain HTTP on loopback: the browser would not send a Secure cookie back.
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "DATABASE_URL": f"sqlite:///{VAR / 'dashboard.sqlite3'}",
    # Production settings ask for a shared cache, and for demo mode to be allowed explicitly.
    "DATABASE_CACHE": "true",
    "ALLOW_DEMO_WITHOUT_DEBUG": "true",
    "FINALPOS_SIMULATOR_DB": str(VAR / "simulator.sqlite3"),
    "PORT": str(PORT),
    "WEB_CONCURRENCY": "2",
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
}
for name in ("DJANGO_SETTINGS_MODULE", "FINALPOS_API_KEY", "FINALPOS_BASE_URL", "REDIS_URL"):
    ENV.pop(name, None)


def manage(*arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def pages() -> list[tuple[str, str, str | None]]:
    """(name, path, demo account) for each page, with ids read from the demo's index."""
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "finalpos_dashboard.settings"
    import django

    django.setup()
    from sessions_app.models import OutletAssignment, SessionRecord

    cashier_outlets = OutletAssignment.objects.filter(user__username="cashier").values("outlet_id")
    shifts = SessionRecord.objects.filter(deleted_at__isnull=True)
    open_shift = shifts.filter(close_time__isnull=True, outlet_id__in=cashier_outlets).first()
    report = shifts.filter(close_time__isnull=False).order_by("-close_time").first()
    return [
        ("login", "/accounts/login/", None),
        ("board", "/", "manager"),
        ("close-form", f"/sessions/{open_shift.id}/close/", "cashier"),
        ("history", "/sessions/", "manager"),
        ("shift-report", f"/sessions/{report.id}/", "manager"),
    ]


def lighthouse(name: str, path: str, cookie: str | None) -> dict:
    """One Lighthouse run, retried once: about 1 run in 10 fails with NO_NAVSTART."""
    headers = VAR / f"{name}.headers.json"
    headers.write_text(json.dumps({"Cookie": cookie} if cookie else {}))
    command = [
        "npx",
        "--no-install",
        "lighthouse",
        f"{URL}{path}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        f"--extra-headers={headers}",
        "--output=json",
        "--output=html",
        f"--output-path={REPORTS / name}",
    ]
    for _attempt in range(2):
        subprocess.run(
            command,
            cwd=ROOT,
            env=ENV | {"CHROME_PATH": CHROME, "npm_config_loglevel": "error"},
            check=False,
        )
        report_file = REPORTS / f"{name}.report.json"
        if report_file.exists():
            report = json.loads(report_file.read_text())
            if not report.get("runtimeError"):
                return report
    raise RuntimeError(f"Lighthouse could not audit {path}")


def failing_audits(report: dict, category: str) -> list[str]:
    audits = report["audits"]
    refs = report["categories"][category]["auditRefs"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']})"
        for ref in refs
        if ref["weight"] > 0 and audits[ref["id"]]["score"] not in (None, 1)
    ]


def main() -> int:
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    manage("migrate", "--noinput")
    manage("createcachetable")
    manage("setup_demo")
    manage("collectstatic", "--noinput")
    targets = pages()
    web = start_web(ENV, URL, VAR / "gunicorn.log")
    failures = 0
    try:
        passwords = {"manager": "manager-demo", "cashier": "cashier-demo"}
        cookies = {
            user: "; ".join(f"{k}={v}" for k, v in sign_in(URL, user, word).cookies.items())
            for user, word in passwords.items()
        }
        print(f"Lighthouse {MINIMUM}+ (mobile preset) against gunicorn, production settings")
        print(f"{'page':<14} " + " ".join(f"{category:>15}" for category in CATEGORIES))
        for name, path, user in targets:
            report = lighthouse(name, path, cookies.get(user))
            if report["finalDisplayedUrl"] != f"{URL}{path}":  # e.g. sent to the sign-in page
                failures += 1
                print(f"  {name}: audited {report['finalDisplayedUrl']} instead of {path}")
            scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
            print(f"{name:<14} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES), flush=True)
            for category, score in scores.items():
                if score < MINIMUM:
                    failures += 1
                    missed = ", ".join(failing_audits(report, category))
                    print(f"  {category} below {MINIMUM}: {missed}")
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(30)
    print(f"Reports: {REPORTS.relative_to(ROOT)}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
