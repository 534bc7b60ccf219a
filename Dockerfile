# syntax=docker/dockerfile:1

# --- Stufe 1: Frontend-Abhängigkeiten (@kern-ux/native u. a.) ------------------
FROM node:20-slim AS frontend
WORKDIR /app/frontend
# npm ci braucht package.json und package-lock.json.
COPY frontend/package*.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Stufe 2: Laufzeit ---------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Unprivilegierter Laufzeitnutzer; der Code unter /app bleibt root-eigen und nur lesbar.
RUN groupadd --system --gid 10001 fachaustausch \
 && useradd --system --uid 10001 --gid fachaustausch --home-dir /app \
        --no-create-home --shell /usr/sbin/nologin fachaustausch

WORKDIR /app
COPY . /app
COPY --from=frontend /app/frontend/node_modules /app/frontend/node_modules

# Editable: settings.PROJECT_ROOT ist das Elternverzeichnis von platform/, und
# migrations/ sowie frontend/ werden relativ dazu gefunden. Mit -e bleibt das
# Paket unter /app/platform, also bleibt PROJECT_ROOT = /app.
RUN pip install --no-cache-dir -e . \
 && mkdir -p /app/var \
 && chown fachaustausch:fachaustausch /app/var

# Laufzeitdaten (E-Mail-Ablage, ggf. SQLite/Suchindex, Sitzungen).
VOLUME ["/app/var"]

USER fachaustausch
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

# serve führt ausstehende Migrationen vor dem Start aus.
CMD ["fachaustausch", "serve", "--host", "0.0.0.0", "--port", "8000"]
