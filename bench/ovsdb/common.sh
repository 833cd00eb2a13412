# Shared by bench/ovsdb-*.sh (sourced after $root, $java and $work are set).

# Every process a script starts goes into pids; on exit each is stopped by its PID (TERM, then
# KILL after 5 s) and $work is removed.
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Sets $cp to the classpath of bundles/ovsdb (its classes and test-scope dependencies), building it
# first unless BENCH_NO_BUILD=1.
build_classpath() {
  if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
    (cd "$root" && mvn -B -q -o -pl bundles/ovsdb install -DskipTests >/dev/null)
  fi
  (cd "$root" && mvn -B -q -o -pl bundles/ovsdb dependency:build-classpath -Dmdep.outputFile="$1/cp.txt" >/dev/null)
  cp="$root/bundles/ovsdb/target/classes:$(cat "$1/cp.txt")"
}

wait_for_socket() {
  for _ in $(seq 200); do [ -S "$1" ] && return 0; sleep 0.05; done
  echo "no socket $1" >&2; return 1
}

# start_jvswitch DIR [JVM options...]: BenchServer on DIR/conf.db, DIR/db.sock.
start_jvswitch() {
  local d=$1; shift
  mkdir -p "$d"
  "$java" -Xmx1g "$@" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    "$root/bench/ovsdb/BenchServer.java" "$d/conf.db" "$d/db.sock" "$d/pid" >"$d/log" 2>&1 &
  pids+=($!)
  jv_pid=$!
  wait_for_socket "$d/db.sock"
}

# start_ovs DIR: Debian's ovsdb-server on a fresh DIR/conf.db made from Debian's schema, DIR/db.sock.
start_ovs() {
  local d=$1
  mkdir -p "$d"
  ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --pidfile="$d/pid" --detach --no-chdir \
    --unixctl="$d/ctl" --log-file="$d/log" -vconsole:off
  ovs_pid=$(cat "$d/pid")
  pids+=("$ovs_pid")
  wait_for_socket "$d/db.sock"
}

# get KEY: the value of KEY=value in a client's result line (stdin).
get() { sed -E "s/.*$1=([^ ]+).*/\\1/"; }

. "$(dirname "${BASH_SOURCE[0]}")/../median.sh"   # median
