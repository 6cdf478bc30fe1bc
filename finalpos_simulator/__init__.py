"""A simulator of the Final POS API contract (docs/finalpos-openapi.yaml).

It is the dashboard's embedded default when no FINALPOS_API_KEY is set (served in-process by
a requests transport adapter), and a standalone HTTP server for tests and benchmarks
(`manage.py runsimulator`). Its state lives in its own SQLite file, apart from the dashboard.
"""
