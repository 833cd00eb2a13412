#!/usr/bin/env bash
# Runs the same ovs-vsctl command lines against Debian's ovs-vsctl + ovsdb-server (scratch database)
# and against this module (DiffMain on the in-memory test database), normalizes UUIDs and log
# timestamps, and diffs the two. Differences in the order of rows, set members or map members are
# expected where the order depends on UUIDs or hashing.
#
# usage: compare-with-ovs-vsctl.sh SCRIPT
#   SCRIPT: one command line per line, without "ovs-vsctl", shell-quoted; '#' lines are skipped.
#   Build first: mvn -pl bundles/vsctl install (test classes are used).
set -euo pipefail
script=$(realpath "$1")
module=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
work=$(mktemp -d /tmp/vsctl-compare.XXXXXX)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java

python3 - "$script" > "$work/lines.json" <<'PY'
import json, shlex, sys
for line in open(sys.argv[1]):
    line = line.rstrip('\n')
    if line.strip() and not line.startswith('#'):
        print(json.dumps(shlex.split(line)))
PY

ovsdb-tool create "$work/db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$work/db" --remote=punix:"$work/sock" --pidfile="$work/pid" --unixctl="$work/ctl" \
  --log-file="$work/log" --detach
trap 'kill "$(cat "$work/pid")" 2>/dev/null || true' EXIT

python3 - "$work/lines.json" "$work/sock" > "$work/real.raw" <<'PY'
import json, subprocess, sys
for line in open(sys.argv[1]):
    argv = json.loads(line)
    p = subprocess.run(['timeout', '5', 'ovs-vsctl', '--db=unix:' + sys.argv[2]] + argv,
                       capture_output=True, text=True)
    sys.stdout.write('== ' + ' '.join(argv) + '\n' + p.stdout + p.stderr + 'rc=%d\n' % p.returncode)
PY

(cd "$module/../.." && mvn -B -q -o -pl bundles/vsctl dependency:build-classpath \
  -Dmdep.outputFile="$work/cp" -Dmdep.includeScope=test >/dev/null)
"$java" -cp "$module/target/classes:$module/target/test-classes:$(cat "$work/cp")" \
  org.jvswitch.vsctl.internal.DiffMain "$work/lines.json" > "$work/mine.raw"

normalize() {
  python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', 'TS', s)
names = {}
s = re.sub(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
           lambda m: names.setdefault(m.group(0), '<U%d>' % len(names)), s)
sys.stdout.write(s)
PY
}
normalize "$work/real.raw" > "$work/real"
normalize "$work/mine.raw" > "$work/mine"
if diff -u "$work/real" "$work/mine"; then echo "same output (files in $work)"; else echo "(files in $work)"; fi
