# Sourced by the benches that race Open vSwitch (p2p.sh, vhost-loop.sh, flow-mods.sh,
# megaflows.sh): starting Debian's Open vSwitch (DPDK build, or dummy ports only) beside jvswitch,
# and ending every process a bench started. Expects $work (a scratch directory) and
# the array pids=() in the caller.
ovs_dpdk=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk

# Ends what the bench started, by PID: SIGTERM, 5 s for Open vSwitch to leave its exit path
# (vhost sockets, DPDK cleanup), then SIGKILL.
end_started() {
  local p alive
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}

# Starts ovsdb-server in $work/ovs, points the Open vSwitch clients at it (OVS_RUNDIR,
# OVS_DBDIR, OVS_LOGDIR) and records its PID.
start_ovsdb() {
  local ovs=$work/ovs
  mkdir -p "$ovs"
  export OVS_RUNDIR=$ovs OVS_DBDIR=$ovs OVS_LOGDIR=$ovs
  ovsdb-tool create "$ovs/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$ovs/conf.db" --remote="punix:$ovs/db.sock" --pidfile="$ovs/ovsdb-server.pid" \
    --log-file="$ovs/ovsdb-server.log" --detach --no-chdir
  pids+=("$(cat "$ovs/ovsdb-server.pid")")
  ovs-vsctl --no-wait init
}

# Starts ovsdb-server and ovs-vswitchd-dpdk in $work/ovs, points the Open vSwitch clients at them
# (OVS_RUNDIR, appctl_target) and records their PIDs.
start_ovs_dpdk() {
  start_ovsdb
  local ovs=$work/ovs
  # The DPDK build names its control socket after itself: give it the usual name.
  "$ovs_dpdk" "unix:$ovs/db.sock" --pidfile="$ovs/ovs-vswitchd.pid" --log-file="$ovs/ovs-vswitchd.log" \
    --unixctl="$ovs/ovs-vswitchd.ctl" --detach --no-chdir
  pids+=("$(cat "$ovs/ovs-vswitchd.pid")")
  appctl_target=(-t "$ovs/ovs-vswitchd.ctl")
}

# Stops the ovs-vswitchd started by start_ovs_dpdk with `exit --cleanup` (its bridges' taps are
# persistent: without it they outlive the bench) and waits up to 10 s for it to finish, so that
# end_started's SIGTERM cannot cut the cleanup short.
stop_ovs_vswitchd() {
  local pid
  pid=$(cat "$work/ovs/ovs-vswitchd.pid" 2>/dev/null || true)
  ovs-appctl "${appctl_target[@]}" exit --cleanup >/dev/null 2>&1 || true
  [ -n "$pid" ] || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

# Starts ovsdb-server and Debian's plain ovs-vswitchd with dummy ports only (userspace datapath,
# no system devices) in $work/ovs, as start_ovs_dpdk does.
start_ovs_dummy() {
  start_ovsdb
  local ovs=$work/ovs
  ovs-vswitchd "unix:$ovs/db.sock" --enable-dummy=override --disable-system --pidfile="$ovs/ovs-vswitchd.pid" \
    --log-file="$ovs/ovs-vswitchd.log" --detach --no-chdir
  pids+=("$(cat "$ovs/ovs-vswitchd.pid")")
  appctl_target=()
}

# --- The races (p2p.sh, vhost-loop.sh): rounds of both switches, each started afresh ---

# Starts the packaged jvswitch ($dist) afresh in $work/jvswitch and points the clients at it.
start_jvswitch_fresh() {
  appctl_target=()
  rm -rf "$work/jvswitch"
  export JVSWITCH_VAR=$work/jvswitch OVS_RUNDIR=$work/jvswitch/run
  mkdir -p "$JVSWITCH_VAR"
  "$dist/bin/jvswitch" start >/dev/null
}

# Ends the Open vSwitch-DPDK of one round (start_ovs_dpdk) and forgets its PIDs.
end_ovs_round() {
  stop_ovs_vswitchd
  end_started
  pids=()
}

# With --compare-ovs but no Open vSwitch-DPDK installed, says so and races jvswitch alone.
check_compare() {
  if [ "$compare" -eq 1 ] && [ ! -x "$ovs_dpdk" ]; then
    echo "--compare-ovs: $ovs_dpdk not installed (apt-get install openvswitch-switch-dpdk); jvswitch only" >&2
    compare=0
  fi
}

# Runs the caller's round_jvswitch and (with $compare) round_ovs $1 times, each recording its own
# figures; which goes first alternates, so that neither always runs on a machine just warmed.
race_rounds() {
  local r
  for r in $(seq 1 "$1"); do
    if [ "$compare" -eq 1 ] && [ $((r % 2)) -eq 0 ]; then
      round_ovs
      round_jvswitch
    else
      round_jvswitch
      if [ "$compare" -eq 1 ]; then round_ovs; fi
    fi
  done
}

. "$(dirname "${BASH_SOURCE[0]}")/median.sh"   # median
