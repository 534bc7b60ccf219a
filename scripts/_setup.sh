# Shared set-up steps for scripts/run and scripts/test; each one is idempotent and fast
# when there is nothing to do. Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The virtualenv with the project installed (editable); re-installs when pyproject changes.
ensure_python() {
  local extras="${1:-}"
  local spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  if [ ! -x "$VENV/bin/python" ]; then
    log "Python-Umgebung anlegen (.venv)"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
  fi
  local stamp="$VENV/.installed-${extras:-base}"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    log "Python-Abhängigkeiten installieren ($spec)"
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT/$spec"
    touch "$stamp"
  fi
}

# KERN UX from npm; the app serves it from frontend/node_modules.
ensure_frontend() {
  local lock="$ROOT/frontend/package-lock.json"
  local stamp="$ROOT/frontend/node_modules/.installed"
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
    log "Frontend-Abhängigkeiten installieren (npm ci)"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --silent)
    touch "$stamp"
  fi
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "Bitte als root ausführen oder installieren: $*"; return 1
  fi
  log "Debian-Pakete installieren: $*"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Debian's Chromium for the browser tests (Playwright's own download does not work here).
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  log "PostgreSQL starten"
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  log "PostgreSQL antwortet nicht auf 127.0.0.1:5432"; return 1
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  log "Redis starten"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 20); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "Redis antwortet nicht auf 127.0.0.1:6379"; return 1
}
