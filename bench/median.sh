# Sourced by the bench scripts (bench/ovs-dpdk.sh, bench/ovsdb/common.sh).

# median: the median of the numbers on stdin, separated by spaces or newlines (the mean of the two
# middle ones for an even count).
median() {
  tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
