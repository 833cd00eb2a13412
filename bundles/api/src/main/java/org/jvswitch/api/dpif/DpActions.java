package org.jvswitch.api.dpif;

import java.util.Arrays;

/**
 * An immutable list of datapath actions (Open vSwitch's {@code OVS_ACTION_ATTR_*} netlink list,
 * here a flat int program: opcode, then its arguments). Built once per megaflow in the slow path,
 * executed per batch by the datapath without allocation.
 */
public final class DpActions {
    /** {@code OUTPUT port}: send a copy to datapath port {@code port}. */
    public static final int OUTPUT = 1;
    /** {@code PUSH_VLAN tci}: push an 802.1Q header (TPID 0x8100) with {@code tci}. */
    public static final int PUSH_VLAN = 2;
    /** {@code POP_VLAN}: remove the outermost VLAN header. */
    public static final int POP_VLAN = 3;

    public static final DpActions DROP = new DpActions(new int[0]);

    private final int[] program;

    private DpActions(int[] program) {
        this.program = program;
    }

    /** The program; callers must not modify it. */
    public int[] program() {
        return program;
    }

    public boolean isDrop() {
        return program.length == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DpActions a && Arrays.equals(program, a.program);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(program);
    }

    /** Open vSwitch's datapath action syntax: "1,2", "push_vlan(vid=5,pcp=0),3", "pop_vlan,2", "drop". */
    @Override
    public String toString() {
        if (program.length == 0) {
            return "drop";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < program.length; ) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            switch (program[i]) {
                case OUTPUT -> { sb.append(program[i + 1]); i += 2; }
                case PUSH_VLAN -> {
                    int tci = program[i + 1];
                    sb.append("push_vlan(vid=").append(tci & 0xfff).append(",pcp=").append(tci >>> 13).append(')');
                    i += 2;
                }
                case POP_VLAN -> { sb.append("pop_vlan"); i += 1; }
                default -> throw new IllegalStateException("bad opcode " + program[i]);
            }
        }
        return sb.toString();
    }

    /** Appends actions in order. Not thread-safe; slow path only. */
    public static final class Builder {
        private int[] buf = new int[8];
        private int n;

        private Builder add(int v) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = v;
            return this;
        }

        public Builder output(int port) { return add(OUTPUT).add(port); }
        public Builder pushVlan(int tci) { return add(PUSH_VLAN).add(tci & 0xffff & ~0x1000); }
        public Builder popVlan() { return add(POP_VLAN); }
        public boolean isEmpty() { return n == 0; }

        public DpActions build() {
            return n == 0 ? DROP : new DpActions(Arrays.copyOf(buf, n));
        }
    }
}
