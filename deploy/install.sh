#!/usr/bin/env bash
# 落实 Luoshi on a Linux machine: the release this script sits in, installed into a prefix.
#
#   sudo deploy/install.sh --database-url 'postgresql://luoshi:PASSWORD@127.0.0.1:5432/luoshi'
#   deploy/install.sh --prefix /tmp/luoshi --no-systemd      # no root: install only, start by hand
#
# Lays out PREFIX/venv (the package, not editable), PREFIX/app (migrations), PREFIX/console (the web console nginx
# serves), PREFIX/etc/luoshi.env (the configuration, written once and never overwritten), PREFIX/var (signing key,
# backups), PREFIX/bin/luoshi (the command with the configuration loaded); runs `luoshi migrate`; installs and (re)starts the systemd
# units. Running it again from a newer release upgrades in place: same prefix, same configuration.
set -euo pipefail

PREFIX=/opt/luoshi
PYTHON=python3
SYSTEMD=1
SERVICE_USER=luoshi
DATABASE_URL_ARG=""
UNIT_DIR=/etc/systemd/system
SERVICES=(tasks scoring notify)

usage() {
  cat <<'EOF'
Usage: deploy/install.sh [options]
  --prefix DIR          where to install (default /opt/luoshi)
  --database-url URL    DATABASE_URL for a new PREFIX/etc/luoshi.env (an existing file is kept as it is)
  --python PY           the Python 3.11+ that makes the virtualenv (default python3)
  --user NAME           the system user the services run as (default luoshi; created if missing)
  --unit-dir DIR        where the systemd units go (default /etc/systemd/system)
  --no-systemd          no root needed: no user, no units in /etc/systemd/system (they go to PREFIX/systemd
                        for reference), nothing started
  -h, --help            this help
EOF
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?--prefix needs a folder}; shift 2 ;;
    --prefix=*) PREFIX=${1#*=}; shift ;;
    --database-url) DATABASE_URL_ARG=${2:?--database-url needs a URL}; shift 2 ;;
    --database-url=*) DATABASE_URL_ARG=${1#*=}; shift ;;
    --python) PYTHON=${2:?--python needs an interpreter}; shift 2 ;;
    --python=*) PYTHON=${1#*=}; shift ;;
    --user) SERVICE_USER=${2:?--user needs a name}; shift 2 ;;
    --user=*) SERVICE_USER=${1#*=}; shift ;;
    --unit-dir) UNIT_DIR=${2:?--unit-dir needs a folder}; shift 2 ;;
    --unit-dir=*) UNIT_DIR=${1#*=}; shift ;;
    --no-systemd) SYSTEMD=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option / 未知选项: $1" ;;
  esac
done

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -f "$SRC/pyproject.toml" ] && [ -d "$SRC/migrations" ] || die "run me from a Luoshi release: $SRC has no pyproject.toml"
if [ "$SYSTEMD" = 1 ] && [ "$(id -u)" != 0 ]; then
  die "systemd units need root: run with sudo, or pass --no-systemd / 安装 systemd 服务需要 root 权限"
fi
case "$DATABASE_URL_ARG" in *"'"*) die "--database-url must not contain a single quote / 数据库地址不能含单引号" ;; esac
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
  die "$PYTHON is not Python 3.11 or newer: pass --python / 需要 Python 3.11 以上"

mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)
VENV=$PREFIX/venv
ENV_FILE=$PREFIX/etc/luoshi.env
step() { echo "==> $*"; }
# A setting from the env file, read the way the services read it.
setting() { (set -a && . "$ENV_FILE" && eval "printf '%s' \"\${$1:-}\""); }

if [ "$SYSTEMD" = 1 ] && ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
  step "creating system user $SERVICE_USER"
  useradd --system --user-group --home-dir "$PREFIX/var" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
mkdir -p "$PREFIX/etc" "$PREFIX/var/backups" "$PREFIX/bin" "$PREFIX/app"

# ---- the package: staged away from the checkout, so its build/ and egg-info never leak in or out ----
if [ -x "$VENV/bin/python" ]; then
  step "reusing $VENV"
else
  step "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/luoshi-install.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
tar -C "$SRC" --exclude=__pycache__ --exclude='*.egg-info' -cf - pyproject.toml shared services deploy/luoshi_ops \
  | tar -C "$STAGE" -xf -
step "installing the luoshi package into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "$STAGE"

# ---- migrations: the installed package finds them through LUOSHI_HOME (shared/luoshi/settings.py) ----
rm -rf "$PREFIX/app/migrations.new"
mkdir "$PREFIX/app/migrations.new"
tar -C "$SRC/migrations" --exclude=__pycache__ -cf - . | tar -C "$PREFIX/app/migrations.new" -xf -
rm -rf "$PREFIX/app/migrations"
mv "$PREFIX/app/migrations.new" "$PREFIX/app/migrations"
cp "$SRC/alembic.ini" "$PREFIX/app/alembic.ini"

# ---- the web console: the files `luoshi console` built in the checkout, which nginx serves from PREFIX/console ----
if [ -f "$SRC/web/console/dist/index.html" ]; then
  step "copying the web console to $PREFIX/console"
  rm -rf "$PREFIX/console.new"
  cp -R "$SRC/web/console/dist" "$PREFIX/console.new"
  rm -f "$PREFIX/console.new/.build-digest"
  rm -rf "$PREFIX/console"
  mv "$PREFIX/console.new" "$PREFIX/console"
else
  echo "    no web console built in $SRC/web/console/dist: run \`make install && .venv/bin/luoshi console\` there"
  echo "    (Node.js 20+), then this again; the APIs work without it"
fi

# ---- configuration: written once; the operator's edits survive every later run ----
channel_key() { "$VENV/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'; }
if [ -f "$ENV_FILE" ]; then
  step "keeping $ENV_FILE"
  if [ -n "$DATABASE_URL_ARG" ] && [ "$DATABASE_URL_ARG" != "$(setting DATABASE_URL)" ]; then
    echo "    --database-url differs from the file's DATABASE_URL and is ignored: edit $ENV_FILE to change it"
  fi
  if ! grep -q '^CHANNEL_SECRET_KEYS=' "$ENV_FILE"; then  # a file from before channel secrets were sealed
    echo "    adding CHANNEL_SECRET_KEYS (notify seals channel secrets with it from now on)"
    printf "# Seals notify's channel secrets at rest; back it up with the database.\nCHANNEL_SECRET_KEYS='%s'\n" \
      "$(channel_key)" >>"$ENV_FILE"
  fi
else
  step "writing $ENV_FILE"
  secret=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))')
  (
    umask 077
    cat >"$ENV_FILE.tmp" <<EOF
# 落实 Luoshi configuration, read by the systemd units (EnvironmentFile=) and by $PREFIX/bin/luoshi.
# Written once by deploy/install.sh; later runs keep it. Every setting is described in the README ("Settings").
# Quote values with single quotes. After a change: systemctl restart luoshi-tasks luoshi-scoring luoshi-notify
ENVIRONMENT=production
DATABASE_URL='${DATABASE_URL_ARG:-postgresql://luoshi:CHANGE-ME@127.0.0.1:5432/luoshi}'
# Signs service-to-service tokens: the same value for all three services; keep it secret.
SERVICE_SECRET='$secret'
# Seals notify's channel secrets (SMTP passwords, webhook secrets) at rest; back it up with the database.
# Rotate: put a new key (luoshi secret-key) first, comma, the old one; restart notify; then drop the old.
CHANNEL_SECRET_KEYS='$(channel_key)'
# The RSA key that signs users' access tokens (made by install.sh when missing). Back it up with the database.
JWT_PRIVATE_KEY_FILE=$PREFIX/var/jwt-private.pem
# Where the installed release keeps migrations/ and alembic.ini.
LUOSHI_HOME=$PREFIX/app
# Loopback only: nginx (deploy/nginx/luoshi.conf) is the way in.
HOST=127.0.0.1
TASKS_API_PORT=8001
SCORING_API_PORT=8002
NOTIFY_PORT=8003
TASKS_API_URL=http://127.0.0.1:8001
SCORING_API_URL=http://127.0.0.1:8002
NOTIFY_URL=http://127.0.0.1:8003
LOG_LEVEL=INFO
LOG_JSON=true
EOF
  )
  mv "$ENV_FILE.tmp" "$ENV_FILE"
fi

cat >"$PREFIX/bin/luoshi.tmp" <<EOF
#!/bin/sh
# \`luoshi\` with this installation's configuration, e.g.  $PREFIX/bin/luoshi backup /srv/luoshi.dump
# Variables set on the command line win over the file:  DATABASE_URL=... $PREFIX/bin/luoshi restore FILE
given=\$(export -p)
set -a
. '$ENV_FILE'
set +a
eval "\$given"
exec '$VENV/bin/luoshi' "\$@"
EOF
chmod 755 "$PREFIX/bin/luoshi.tmp"
mv "$PREFIX/bin/luoshi.tmp" "$PREFIX/bin/luoshi"

key_file=$(setting JWT_PRIVATE_KEY_FILE)
if [ -z "$(setting JWT_PRIVATE_KEY)" ] && [ -n "$key_file" ] && [ ! -f "$key_file" ]; then
  step "creating the token signing key $key_file"
  "$VENV/bin/python" -c 'import sys, pathlib; from luoshi_tasks.identity.keys import generate_key_file
generate_key_file(pathlib.Path(sys.argv[1]))' "$key_file"
fi

if [ "$SYSTEMD" = 1 ]; then
  chown root:"$SERVICE_USER" "$PREFIX/etc" "$ENV_FILE"
  chmod 750 "$PREFIX/etc"
  chmod 640 "$ENV_FILE"
  chown -R "$SERVICE_USER:$SERVICE_USER" "$PREFIX/var"
  chmod 750 "$PREFIX/var" "$PREFIX/var/backups"
else
  UNIT_DIR=$PREFIX/systemd
fi

# ---- systemd units, rendered from deploy/systemd (written only when they change) ----
mkdir -p "$UNIT_DIR"
for template in "$SRC"/deploy/systemd/luoshi-*.service "$SRC"/deploy/systemd/luoshi-*.timer; do
  unit=$UNIT_DIR/$(basename "$template")
  sed -e "s#@PREFIX@#$PREFIX#g" -e "s#@USER@#$SERVICE_USER#g" "$template" >"$STAGE/unit"
  if ! cmp -s "$STAGE/unit" "$unit"; then
    install -m 644 "$STAGE/unit" "$unit"
  fi
done

if [ "$(setting DATABASE_URL)" = "postgresql://luoshi:CHANGE-ME@127.0.0.1:5432/luoshi" ]; then
  echo
  echo "Installed. Set DATABASE_URL in $ENV_FILE (an empty PostgreSQL database), then run this script again."
  echo "已安装。请在 $ENV_FILE 中设置 DATABASE_URL（一个空的 PostgreSQL 数据库），然后再运行本脚本。"
  exit 0
fi

step "luoshi migrate"
"$PREFIX/bin/luoshi" migrate

if [ "$SYSTEMD" = 0 ]; then
  echo
  echo "Installed into $PREFIX (no systemd). Start the services under your own process manager:"
  for s in "${SERVICES[@]}"; do echo "  $PREFIX/bin/luoshi serve $s"; done
  echo "Unit files for reference: $UNIT_DIR"
  exit 0
fi

units=("${SERVICES[@]/#/luoshi-}")
units=("${units[@]/%/.service}")
systemctl daemon-reload
systemctl enable --quiet "${units[@]}"
step "restarting ${units[*]}"
systemctl restart "${units[@]}"

# Ready means the database answers and the schema is this release's (GET /readyz).
for s in "${SERVICES[@]}"; do
  case $s in tasks) port_var=TASKS_API_PORT ;; scoring) port_var=SCORING_API_PORT ;; notify) port_var=NOTIFY_PORT ;; esac
  port=$(setting $port_var)
  "$VENV/bin/python" - "$port" <<'EOF' || die "luoshi-$s is not ready: journalctl -u luoshi-$s"
import sys, time, httpx
deadline = time.monotonic() + 60
while True:
    try:
        if httpx.get(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=2).status_code == 200:
            break
    except httpx.HTTPError:
        pass
    if time.monotonic() > deadline:
        sys.exit(1)
    time.sleep(0.5)
EOF
  echo "    luoshi-$s ready on 127.0.0.1:$port"
done
echo
echo "Done. Put nginx in front (deploy/nginx/luoshi.conf); nightly backups: systemctl enable --now luoshi-backup.timer"
echo "First administrator: $PREFIX/bin/luoshi users create NAME --role admin"
