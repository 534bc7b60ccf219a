# syntax=docker/dockerfile:1

# --- stage 1: frontend dependencies (@kern-ux/native, @scalar/api-reference) ---
FROM node:20-slim AS frontend
WORKDIR /app/frontend
# npm ci needs package.json and package-lock.json.
COPY frontend/package*.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- stage 2: runtime ----------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Unprivileged runtime user; the code under /app stays root-owned and read-only.
RUN groupadd --system --gid 10001 fachaustausch \
 && useradd --system --uid 10001 --gid fachaustausch --home-dir /app \
        --no-create-home --shell /usr/sbin/nologin fachaustausch

WORKDIR /app
COPY . /app
# Only what the app serves: KERN's dist and Scalar's browser bundle (not Scalar's sources
# and their dependencies, which npm installs beside it).
COPY --from=frontend /app/frontend/node_modules/@kern-ux/native/dist \
     /app/frontend/node_modules/@kern-ux/native/dist
COPY --from=frontend /app/frontend/node_modules/@scalar/api-reference/dist/browser \
     /app/frontend/node_modules/@scalar/api-reference/dist/browser

# Editable on purpose: settings.PROJECT_ROOT is the parent of platform/, and
# migrations/ and frontend/ are found relative to it, so the package stays in /app.
RUN pip install --no-cache-dir -e . \
 && mkdir -p /app/var \
 && chown fachaustausch:fachaustausch /app/var

# Runtime data (mail drop, SQLite and search index if used, sessions).
VOLUME ["/app/var"]

USER fachaustausch
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

# serve runs pending migrations before it starts.
CMD ["fachaustausch", "serve", "--host", "0.0.0.0", "--port", "8000"]
