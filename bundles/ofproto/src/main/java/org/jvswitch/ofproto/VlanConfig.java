package org.jvswitch.ofproto;

import java.util.BitSet;
import java.util.Set;

/**
 * A port's VLAN settings from its Port row (Open vSwitch's {@code vlan_mode}, {@code tag},
 * {@code trunks}) and the NORMAL action's rules for them: which VLAN a received packet belongs
 * to, which VLANs a port carries, and whether it sends a VLAN tagged.
 */
record VlanConfig(Mode mode, int tag, BitSet trunks) {
    enum Mode { TRUNK, ACCESS, NATIVE_TAGGED, NATIVE_UNTAGGED }

    static final VlanConfig TRUNK_ALL = new VlanConfig(Mode.TRUNK, -1, new BitSet());

    /** From the Port columns; {@code vlanMode} empty means access if a tag is set, else trunk. */
    static VlanConfig of(String vlanMode, int tag, Set<Integer> trunks) {
        Mode mode = switch (vlanMode == null ? "" : vlanMode) {
            case "access" -> Mode.ACCESS;
            case "native-tagged" -> Mode.NATIVE_TAGGED;
            case "native-untagged" -> Mode.NATIVE_UNTAGGED;
            case "trunk" -> Mode.TRUNK;
            default -> tag >= 0 ? Mode.ACCESS : Mode.TRUNK;
        };
        BitSet bits = new BitSet(4096);
        for (int t : trunks) {
            bits.set(t);
        }
        return new VlanConfig(mode, tag, bits);
    }

    private boolean trunks(int vlan) {
        return trunks.isEmpty() || trunks.get(vlan);
    }

    /** The VLAN a packet received with {@code vid} (0 if untagged) belongs to, or -1 to drop it. */
    int inputVlan(boolean tagged, int vid) {
        switch (mode) {
            case ACCESS -> {
                return tagged && vid != 0 ? -1 : Math.max(tag, 0);
            }
            case NATIVE_TAGGED, NATIVE_UNTAGGED -> {
                if (!tagged || vid == 0) {
                    return Math.max(tag, 0);
                }
                return trunks(vid) ? vid : -1;
            }
            default -> {
                int v = tagged ? vid : 0;
                return trunks(v) ? v : -1;
            }
        }
    }

    /** True if this port carries {@code vlan}. */
    boolean carries(int vlan) {
        return switch (mode) {
            case ACCESS -> vlan == Math.max(tag, 0);
            case NATIVE_TAGGED, NATIVE_UNTAGGED -> vlan == tag || trunks(vlan);
            default -> trunks(vlan);
        };
    }

    /** True if a packet of {@code vlan} leaves this port with an 802.1Q tag. */
    boolean sendsTagged(int vlan) {
        return switch (mode) {
            case ACCESS -> false;
            case NATIVE_TAGGED -> true;
            case NATIVE_UNTAGGED -> vlan != tag;
            default -> vlan != 0;
        };
    }
}
