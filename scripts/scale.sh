#!/usr/bin/env bash
# The production shape on one machine (`make scale`): PostgreSQL and Redis (the machine's own), two
# gunicorn web instances behind HAProxy (TLS with a throwaway certificate), two task workers and a
# mail sink. Each runs in its own process group, as if on its own machine, with its pid in var/scale/.
#
#   scripts/scale.sh start          # set up the database, then start every process (idempotent)
#   scripts/scale.sh stop           # stop them by their pids (TERM, then KILL after 10 s)
#   scripts/scale.sh restart web1   # start one again (what a supervisor does after a crash)
#   scripts/scale.sh status
#
# Settings come from var/scale/env, generated once with throwaway keys (production settings:
# COPRODUCE_ENV=production). DATABASE_URL and REDIS_URL in the environment are used if set.
# docs/operations.md ("Scaling out") maps the pieces onto several machines.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
DIR=$REPO/var/scale
PY=$REPO/.venv/bin/python
GUNICORN=$REPO/.venv/bin/gunicorn
ENV_FILE=$DIR/env
NAMES=(smtp web1 web2 worker1 worker2 proxy)

mkdir -p "$DIR/log"

write_env() {
  # Throwaway keys for this machine only: the same recipe as .ci/run's check --deploy.
  local secret ledger equality
  secret="scale-$(head -c 64 /dev/urandom | base64 | tr -d '/+=\n' | head -c 60)"
  ledger="$(head -c 32 /dev/urandom | base64)"
  equality="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_')"
  (umask 077 && cat >"$ENV_FILE") <<EOF
# Written by scripts/scale.sh: throwaway keys for the local scale-out topology. Never use in public.
export COPRODUCE_ENV=production
export DJANGO_SECRET_KEY='$secret'
export COPRODUCE_LEDGER_SIGNING_KEY='$ledger'
export COPRODUCE_EQUALITY_KEYS='$equality'
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_BEHIND_PROXY=true
export DATABASE_URL='${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coproduce_scale}'
export REDIS_URL='${REDIS_URL:-redis://127.0.0.1:6379/3}'
export COPRODUCE_VAR_DIR='$DIR'
export COPRODUCE_SITE_URL=https://127.0.0.1:8443
export EMAIL_HOST=127.0.0.1
export EMAIL_PORT=8025
export SCALE_DIR='$DIR'
export SCALE_PROXY_HOST=127.0.0.1
export SCALE_PROXY_PORT=8443
export SCALE_PROXY_HTTP_PORT=8080
export SCALE_PROXY_STATS_PORT=8404
export SCALE_WEB1=127.0.0.1:8101
export SCALE_WEB2=127.0.0.1:8102
export SCALE_WEB_WORKERS=3
EOF
}

load_env() {
  [ -f "$ENV_FILE" ] || write_env
  # shellcheck disable=SC1090
  source "$ENV_FILE"
}

pidfile() { echo "$DIR/$1.pid"; }

running() {
  local pid
  [ -f "$(pidfile "$1")" ] || return 1
  pid=$(cat "$(pidfile "$1")")
  kill -0 "$pid" 2>/dev/null
}

command_of() {
  case "$1" in
    smtp) echo "$PY deploy/smtp_sink.py --port $EMAIL_PORT --out $DIR/mail.jsonl" ;;
    web1 | web2)
      local bind=$SCALE_WEB1
      [ "$1" = web2 ] && bind=$SCALE_WEB2
      echo "$GUNICORN coproduce.config.wsgi --workers $SCALE_WEB_WORKERS --bind $bind --timeout 30" \
        "--access-logfile $DIR/log/$1.access.log --control-socket $DIR/$1.ctl"
      ;;
    worker1 | worker2) echo "$PY manage.py task_worker" ;;
    proxy) echo "haproxy -db -f deploy/haproxy.cfg" ;;
    *) echo "unknown process: $1" >&2; exit 2 ;;
  esac
}

start_one() {
  if running "$1"; then
    echo "  $1 already running (pid $(cat "$(pidfile "$1")"))"
    return
  fi
  # A background job of a non-interactive shell is not a group leader, so setsid makes it one
  # without forking: $! is the pid of the process and of its group.
  # shellcheck disable=SC2046
  setsid $(command_of "$1") >>"$DIR/log/$1.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$1")"
  echo "  $1 started (pid $!)"
}

wait_for_port() {
  local host=${1%:*} port=${1##*:} tries=100
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { echo "Nothing answers on $1; see $DIR/log/" >&2; return 1; }
    sleep 0.2
  done
}

prepare() {
  command -v haproxy >/dev/null || { echo "HAProxy is needed: apt-get install -y haproxy" >&2; exit 1; }
  if [ ! -f "$DIR/proxy.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$DIR/proxy.key" -out "$DIR/proxy.crt" 2>/dev/null
    cat "$DIR/proxy.crt" "$DIR/proxy.key" >"$DIR/proxy.pem"
  fi
  local db=${DATABASE_URL##*/} server=${DATABASE_URL%/*}
  if [[ $DATABASE_URL == postgres* ]]; then
    psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
      || psql "$server/postgres" -qc "CREATE DATABASE $db"
  fi
  echo "Migrating, seeding the demo story and collecting static files..."
  "$PY" manage.py migrate --no-input >"$DIR/log/migrate.log"
  "$PY" manage.py seed_demo >"$DIR/log/seed.log"
  "$PY" manage.py collectstatic --no-input >"$DIR/log/collectstatic.log"
}

start() {
  prepare
  for name in "${NAMES[@]}"; do start_one "$name"; done
  wait_for_port "127.0.0.1:$EMAIL_PORT"
  wait_for_port "$SCALE_WEB1"
  wait_for_port "$SCALE_WEB2"
  wait_for_port "$SCALE_PROXY_HOST:$SCALE_PROXY_PORT"
  # The proxy sends nothing to an instance until its health checks have passed twice.
  local tries=300
  until [ "$(curl -s "http://$SCALE_PROXY_HOST:$SCALE_PROXY_STATS_PORT/;csv" | cut -d, -f1,2,18 | grep -c '^web,web[12],UP')" = 2 ]; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { echo "The proxy has no healthy web instance; see $DIR/log/" >&2; exit 1; }
    sleep 0.2
  done
  echo "Ready: https://$SCALE_PROXY_HOST:$SCALE_PROXY_PORT/ (self-signed: $DIR/proxy.crt)," \
    "proxy status on http://$SCALE_PROXY_HOST:$SCALE_PROXY_STATS_PORT/, logs in $DIR/log/."
  echo "Load and faults: .venv/bin/python benchmarks/scale.py --quick; stop with: make scale-stop"
}

stop_one() {
  local file pid
  file=$(pidfile "$1")
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  # The whole group: after a crash of its leader (gunicorn's master), its children may live on.
  if kill -0 -- "-$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    echo "  $1 stopped (process group $pid)"
  fi
  rm -f "$file"
}

stop() {
  local index
  for ((index = ${#NAMES[@]} - 1; index >= 0; index--)); do stop_one "${NAMES[$index]}"; done
}

status() {
  for name in "${NAMES[@]}"; do
    if running "$name"; then echo "  $name running (pid $(cat "$(pidfile "$name")"))"
    else echo "  $name stopped"; fi
  done
}

load_env
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop_one "$2"; start_one "$2" ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status|restart NAME (${NAMES[*]})" >&2; exit 2 ;;
esac
