package org.jvswitch.netdev.dummy;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The dummy ports' control commands, as in Open vSwitch's netdev-dummy:
 * {@code netdev-dummy/receive}, {@code netdev-dummy/set-admin-state}, and jvswitch's
 * {@code netdev-dummy/tx-dump} that prints (and forgets) what a port sent.
 */
@Component(immediate = true, service = {})
public final class DummyCommands {
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public DummyCommands(BundleContext ctx) {
        for (UnixctlCommand c : commands()) {
            registrations.add(ctx.registerService(UnixctlCommand.class, c, UnixctlCommand.properties(c)));
        }
    }

    @Deactivate
    public void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // bundle stopping
            }
        }
        registrations.clear();
    }

    static List<UnixctlCommand> commands() {
        return List.of(
                UnixctlCommand.of("netdev-dummy/receive", "name [--qid queue_id] packet|flow [--len packet_len]",
                        2, Integer.MAX_VALUE, DummyCommands::receive),
                UnixctlCommand.of("netdev-dummy/set-admin-state", "[netdev] up|down", 1, 2,
                        DummyCommands::setAdminState),
                UnixctlCommand.of("netdev-dummy/tx-dump", "netdev", 1, 1, DummyCommands::txDump));
    }

    static String receive(List<String> argv) throws UnixctlException {
        DummyNetdev dev = DummyNetdevs.get(argv.get(0));
        if (dev == null) {
            throw new UnixctlException("no such dummy netdev");
        }
        int k = 1;
        int qid = 0;
        if (argv.size() > k + 1 && argv.get(k).equals("--qid")) {
            try {
                qid = Integer.parseInt(argv.get(k + 1));
            } catch (NumberFormatException e) {
                qid = -1;
            }
            if (qid < 0 || qid >= dev.nRxq()) {
                throw new UnixctlException("bad rx queue id.");
            }
            k += 2;
        }
        // Parse everything first, so a bad packet in the list injects nothing.
        List<byte[]> frames = new ArrayList<>();
        for (int i = k; i < argv.size(); i++) {
            byte[] frame = PacketSpec.fromHex(argv.get(i));
            if (frame == null) {
                int len = 0;
                String flow = argv.get(i);
                if (i + 1 < argv.size() && argv.get(i + 1).equals("--len")) {
                    if (i + 2 >= argv.size()) {
                        throw new UnixctlException("too small packet len");
                    }
                    try {
                        len = Integer.parseInt(argv.get(i + 2));
                    } catch (NumberFormatException e) {
                        len = 0;
                    }
                    if (len < PacketSpec.ETH_TOTAL_MIN) {
                        throw new UnixctlException("too small packet len");
                    }
                    i += 2;
                }
                try {
                    frame = PacketSpec.fromFlow(flow, len);
                } catch (IllegalArgumentException e) {
                    throw new UnixctlException(e.getMessage());
                }
            }
            frames.add(frame);
        }
        if (frames.isEmpty()) {
            throw new UnixctlException("syntax error: no packet given");
        }
        int dropped = 0;
        for (byte[] f : frames) {
            if (!dev.receive(f, qid)) {
                dropped++;
            }
        }
        return dropped == 0 ? "" : dropped + " packet(s) dropped: no buffer, queue full or port down\n";
    }

    static String setAdminState(List<String> argv) throws UnixctlException {
        String state = argv.get(argv.size() - 1);
        boolean up;
        if (state.equalsIgnoreCase("up")) {
            up = true;
        } else if (state.equalsIgnoreCase("down")) {
            up = false;
        } else {
            throw new UnixctlException("Invalid Admin State");
        }
        if (argv.size() > 1) {
            DummyNetdev dev = DummyNetdevs.get(argv.get(0));
            if (dev == null) {
                throw new UnixctlException("Unknown Dummy Interface");
            }
            dev.setAdminState(up);
        } else {
            for (DummyNetdev dev : DummyNetdevs.all()) {
                dev.setAdminState(up);
            }
        }
        return "OK\n";
    }

    static String txDump(List<String> argv) throws UnixctlException {
        DummyNetdev dev = DummyNetdevs.get(argv.get(0));
        if (dev == null) {
            throw new UnixctlException("no such dummy netdev");
        }
        StringBuilder sb = new StringBuilder();
        for (byte[] frame : dev.takeSent()) {
            sb.append(PacketSpec.toHex(frame)).append('\n');
        }
        return sb.toString();
    }
}
