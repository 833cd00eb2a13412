#!/bin/sh
# Builds the netdev-dpdk shim (jvs_dpdk.c) into $1 with gcc and DPDK's pkg-config flags.
# Called by Maven (exec-maven-plugin) when DPDK's headers are installed.
set -eu
out=$1
src=$(dirname "$0")/jvs_dpdk.c
mkdir -p "$(dirname "$out")"
gcc -O2 -fPIC -shared -Wall -Werror $(pkg-config --cflags libdpdk) -o "$out" "$src" \
    -L/usr/lib/x86_64-linux-gnu -lrte_ethdev -lrte_mbuf -lrte_mempool -lrte_eal
