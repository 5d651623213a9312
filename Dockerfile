# Production image: gunicorn serving website.settings.production. Issue 7 hardens this
# (whitenoise, non-root checks, compose file); it already builds from the same pins as CI.
FROM python:3.11-slim AS build
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY website website
COPY growers growers
COPY products products
RUN python -m venv /venv \
 && /venv/bin/pip install --no-cache-dir -c constraints.txt . gunicorn

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=website.settings.production \
    PATH=/venv/bin:$PATH
RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=app:app . .
USER app
EXPOSE 8000
CMD ["gunicorn", "website.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
