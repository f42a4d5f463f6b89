# KIM Portal: gunicorn behind a reverse proxy; static files served by WhiteNoise.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 kim
WORKDIR /app

COPY pyproject.toml ./
RUN pip install '.[s3]' && pip uninstall -y kimportal
COPY . .

# collectstatic needs settings but no database: give it throwaway values at build time only.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media /app/media-withheld /app/private && chown -R kim:kim /app/media /app/media-withheld /app/private

USER kim
EXPOSE 8000
CMD ["gunicorn", "kimportal.wsgi:application", "--config", "kimportal/gunicorn.conf.py"]
