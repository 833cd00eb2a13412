package org.jvswitch.netdev.dpdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The EAL command line from {@code Open_vSwitch other_config}, built as Open vSwitch 3.1's
 * {@code construct_dpdk_args} does: {@code dpdk-extra} words first, then {@code dpdk-lcore-mask}
 * (-c), {@code dpdk-hugepage-dir} (--huge-dir), {@code dpdk-socket-limit} (--socket-limit),
 * {@code dpdk-socket-mem} (--socket-mem) unless dpdk-extra already has them, {@code --in-memory}
 * unless --legacy-mem, and {@code -l <lowest allowed cpu>} when no core option was given. Beyond
 * Open vSwitch: a {@code --file-prefix} of our own unless one is given, so two DPDK processes on
 * one machine never share runtime files.
 */
final class EalArgs {
    private EalArgs() {
    }

    static List<String> build(Map<String, String> otherConfig, int lowestCpu, String filePrefix) {
        List<String> args = new ArrayList<>();
        args.add("jvswitch");
        String extra = otherConfig.get("dpdk-extra");
        if (extra != null) {
            for (String w : extra.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    args.add(w);
                }
            }
        }
        option(args, otherConfig, "dpdk-lcore-mask", "-c");
        option(args, otherConfig, "dpdk-hugepage-dir", "--huge-dir");
        option(args, otherConfig, "dpdk-socket-limit", "--socket-limit");
        option(args, otherConfig, "dpdk-socket-mem", "--socket-mem");
        if (!contains(args, "--in-memory") && !contains(args, "--legacy-mem")) {
            args.add("--in-memory");
        }
        if (!contains(args, "--file-prefix")) {
            args.add("--file-prefix=" + filePrefix);
        }
        if (!contains(args, "-c") && !contains(args, "-l") && !contains(args, "--lcores")) {
            args.add("-l");
            args.add(Integer.toString(lowestCpu));
        }
        return args;
    }

    private static void option(List<String> args, Map<String, String> cfg, String key, String opt) {
        String v = cfg.get(key);
        if (v != null && !v.isBlank() && !contains(args, opt)) {
            args.add(opt);
            args.add(v.trim());
        }
    }

    /** True if {@code opt} is among the words, alone or as {@code opt=value}. */
    static boolean contains(List<String> args, String opt) {
        for (String a : args) {
            if (a.equals(opt) || a.startsWith(opt + "=")) {
                return true;
            }
        }
        return false;
    }
}
