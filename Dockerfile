# syntax=docker/dockerfile:1
# The dashboard as one image for container platforms (fly.toml builds it; docs/deploy.md).
# The build stage installs the locked dependencies, hash-checked, collects the static files
# and compiles the translations; the final stage holds only the virtualenv and the code and
# runs as an unprivileged user. Each process is a line of the Procfile, run by
# scripts/procfile-run: web (the default), release, worker.

ARG PYTHON_VERSION=3.12

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
COPY requirements/runtime.txt /tmp/requirements.txt
RUN /venv/bin/pip install --require-hashes -r /tmp/requirements.txt
WORKDIR /app
COPY . .
# Collecting static files needs the settings, not the secrets: DEBUG=true loads them without.
RUN DEBUG=true /venv/bin/python manage.py collectstatic --noinput -v 0
# The translations, compiled here from locale/*.po (.mo files are never committed, and
# .dockerignore keeps a developer's out): every process of the image reads the same.
RUN DEBUG=true /venv/bin/python manage.py compile_translations

FROM python:${PYTHON_VERSION}-slim
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8000
RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home app
COPY --from=build /venv /venv
COPY --from=build /app /app
# The code stays root's and read-only; demo mode keeps the simulator's store in var/.
RUN mkdir /app/var && chown app:app /app/var
WORKDIR /app
USER app
EXPOSE 8000
ENTRYPOINT ["/app/scripts/procfile-run"]
CMD ["web"]
