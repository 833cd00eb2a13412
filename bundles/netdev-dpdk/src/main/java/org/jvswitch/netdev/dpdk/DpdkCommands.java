package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;

/**
 * Open vSwitch's {@code netdev-dpdk/*} control commands, with its texts:
 * {@code get-mempool-info [netdev]}, {@code set-admin-state [netdev] up|down} and
 * {@code detach <devargs>}.
 */
final class DpdkCommands {
    private final DpdkManager manager;

    DpdkCommands(DpdkManager manager) {
        this.manager = manager;
    }

    List<UnixctlCommand> commands() {
        return List.of(
                UnixctlCommand.of("netdev-dpdk/get-mempool-info", "[netdev]", 0, 1, this::mempoolInfo),
                UnixctlCommand.of("netdev-dpdk/set-admin-state", "[netdev] up|down", 1, 2, this::setAdminState),
                UnixctlCommand.of("netdev-dpdk/detach", "pci address of device", 1, 1, this::detach));
    }

    private DpdkEnvironmentImpl env() throws UnixctlException {
        DpdkEnvironmentImpl e = manager.environment();
        if (e == null) {
            throw new UnixctlException("DPDK is not initialized");
        }
        return e;
    }

    private String mempoolInfo(List<String> args) throws UnixctlException {
        DpdkEnvironmentImpl e = env();
        StringBuilder out = new StringBuilder();
        if (!args.isEmpty()) {
            DpdkNetdev d = e.netdev(args.get(0));
            if (d == null) {
                throw new UnixctlException("Not a DPDK Interface");
            }
            DpdkMempool p = d.mempool();
            if (p == null) {
                throw new UnixctlException("Not allocated");
            }
            return describe(p);
        }
        for (DpdkMempool p : e.mempools()) {
            out.append(describe(p));
        }
        return out.toString();
    }

    private static String describe(DpdkMempool p) {
        return p.dump() + "    count: avail (" + p.available() + "), in use (" + p.inUse() + ")\n";
    }

    private String setAdminState(List<String> args) throws UnixctlException {
        String state = args.get(args.size() - 1);
        boolean up;
        if (state.equalsIgnoreCase("up")) {
            up = true;
        } else if (state.equalsIgnoreCase("down")) {
            up = false;
        } else {
            throw new UnixctlException("Invalid Admin State");
        }
        DpdkEnvironmentImpl e = env();
        if (args.size() > 1) {
            DpdkNetdev d = e.netdev(args.get(0));
            if (d == null) {
                throw new UnixctlException("Not a DPDK Interface");
            }
            d.setAdminState(up);
        } else {
            for (DpdkNetdev d : e.netdevs()) {
                d.setAdminState(up);
            }
        }
        return "OK";
    }

    private String detach(List<String> args) throws UnixctlException {
        DpdkEnvironmentImpl e = env();
        String devargs = args.get(0);
        Dpdk dpdk = e.dpdk;
        try (Arena a = Arena.ofConfined()) {
            int port = dpdk.portByDevargs(devargs);
            if (port < 0) {
                throw new UnixctlException("Device '" + devargs + "' not found in DPDK");
            }
            int rc;
            DpdkNetdev user = e.netdevOfPort(port);
            if (user != null) {
                throw new UnixctlException("Device '" + devargs + "' is being used by the following interfaces: "
                        + user.name() + ". Remove them before detaching.");
            }
            MemorySegment info = a.allocate(Dpdk.INFO_SIZE);
            rc = (int) dpdk.devInfo.invokeExact((short) port, info);
            MemorySegment device = info.get(ADDRESS, Dpdk.INFO_DEVICE);
            rc = (int) dpdk.devClose.invokeExact((short) port);
            if ((int) dpdk.devRemove.invokeExact(device) < 0) {
                throw new UnixctlException("Device '" + devargs + "' can not be detached");
            }
            return "All devices shared with device '" + devargs + "' have been detached";
        } catch (UnixctlException ex) {
            throw ex;
        } catch (Throwable t) {
            throw new UnixctlException("Device '" + devargs + "' can not be detached: " + t);
        }
    }
}
