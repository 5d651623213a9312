# The production image: build stage installs the pinned dependencies into a virtual environment;
# the runtime stage is slim, runs as a non-root user, has its static files collected at build time
# and serves with gunicorn (deploy/entrypoint.sh migrates first), or runs the background-task worker
# when started with the argument `worker` (compose.yaml). Settings from the environment.
# Stage `proxy` is compose.yaml's nginx with the same collected static files (built with
# `--target proxy`); the last stage, the default, is the site's image.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements/runtime.txt requirements/runtime.txt
COPY config config
COPY website website
COPY growers growers
COPY products products
COPY traceability traceability
COPY orders orders
COPY demo demo
# The runtime lock only, each package checked against its hash; then the project itself.
RUN python -m venv /venv \
    && /venv/bin/pip install --require-hashes -r requirements/runtime.txt \
    && /venv/bin/pip install --no-deps .

FROM python:3.11-slim AS site
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/app/media \
    PATH=/venv/bin:$PATH
RUN useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=build /venv /venv
COPY manage.py ./
COPY deploy deploy
COPY config config
COPY website website
COPY growers growers
COPY products products
# traceability/ brings the labels' fonts (traceability/fonts/, DejaVu Sans): the slim image has
# no system fonts, and labels refuse to print without them rather than lose the Vietnamese letters.
COPY traceability traceability
COPY orders orders
COPY demo demo
RUN deploy/collect-static.sh && mkdir -p /app/media && chown app:app /app/media
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "deploy/healthcheck.py"]
ENTRYPOINT ["deploy/entrypoint.sh"]

# nginx serves /static/ itself (deploy/nginx.conf): the files of this very build, so a page and
# the stylesheet it names always come from the same release, with no volume to keep in step.
FROM nginx:1.27 AS proxy
COPY --from=site /app/static /app/static

FROM site
