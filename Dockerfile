FROM python:3.11-slim-bookworm

# WeasyPrint renders through Pango/HarfBuzz; fonts-dejavu gives it real glyphs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      libfontconfig1 fonts-dejavu-core shared-mime-info \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY scorecard ./scorecard
COPY assessments ./assessments
RUN pip install --no-cache-dir -c constraints.txt .
COPY . .
# collectstatic needs settings that load: give it a throwaway key at build time only.
RUN DEBUG=false SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time \
    python manage.py collectstatic --no-input \
 && useradd --create-home --uid 1000 scorecard \
 && mkdir -p /data/media && chown -R scorecard /data /app/var
USER scorecard
EXPOSE 8000
CMD ["gunicorn", "scorecard.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
