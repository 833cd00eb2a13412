package org.jvswitch.ofproto.ofp;

import java.util.List;

/**
 * One OpenFlow action or instruction of a rule, independent of the protocol version it came in
 * (Open vSwitch's {@code ofpact}). Where Open vSwitch remembers how an action was encoded, so that
 * a flow dump shows it as it was written ({@code load} versus {@code set_field}, {@code strip_vlan}
 * versus {@code pop_vlan}), the record does too.
 */
public sealed interface OfAction {
    // OpenFlow 1.0 port numbers an output may name.
    int IN_PORT = 0xfff8;
    int TABLE = 0xfff9;
    int NORMAL = 0xfffa;
    int FLOOD = 0xfffb;
    int ALL = 0xfffc;
    int CONTROLLER = 0xfffd;
    int LOCAL = 0xfffe;
    int NONE = 0xffff;

    /** Output to an OpenFlow port (16-bit space) or a reserved port; {@code maxLen} for CONTROLLER. */
    record Output(int port, int maxLen) implements OfAction {
        public Output(int port) {
            this(port, 0);
        }
    }

    /** NXAST_CONTROLLER: send to the controller with a reason and connection id. */
    record Controller(int maxLen, int controllerId, int reason) implements OfAction {
    }

    /** mod_vlan_vid; {@code push}: OpenFlow 1.0 semantics (push a tag when there is none). */
    record SetVlanVid(int vid, boolean push) implements OfAction {
    }

    /** mod_vlan_pcp; {@code push} as for {@link SetVlanVid}. */
    record SetVlanPcp(int pcp, boolean push) implements OfAction {
    }

    /** strip_vlan (OpenFlow 1.0) or pop_vlan (1.1+). */
    record PopVlan(boolean strip) implements OfAction {
    }

    record PushVlan(int ethertype) implements OfAction {
    }

    /**
     * Sets the bits of {@code field} that {@code mask} (and {@code hiMask} for 128-bit fields)
     * selects. {@code raw}: how it was written ({@link #LEGACY}, {@link #SET_FIELD}, {@link #REG_LOAD}).
     */
    record SetField(OfField field, long hi, long value, long hiMask, long mask, int raw) implements OfAction {
        public static final int LEGACY = 0;
        public static final int SET_FIELD = 1;
        public static final int REG_LOAD = 2;
        public static final int REG_LOAD2 = 3;

        public SetField(OfField field, long value, int raw) {
            this(field, 0, value, 0, field.ones(), raw);
        }

        boolean whole() {
            return field.wide() ? hiMask == -1L && mask == -1L : mask == field.ones();
        }
    }

    /** mod_nw_ttl. */
    record SetNwTtl(int ttl) implements OfAction {
    }

    /** move:src[srcOfs..]->dst[dstOfs..], {@code nBits} bits. */
    record Move(OfField src, int srcOfs, OfField dst, int dstOfs, int nBits) implements OfAction {
    }

    /** resubmit(port,table): {@code inPort} IN_PORT keeps the packet's; {@code table} 255 is the current table. */
    record Resubmit(int inPort, int table, boolean withTable) implements OfAction {
    }

    record DecTtl() implements OfAction {
    }

    record Note(byte[] data) implements OfAction {
    }

    record Exit() implements OfAction {
    }

    /** write_metadata (an instruction in OpenFlow 1.1+, NXAST_WRITE_METADATA in 1.0). */
    record WriteMetadata(long value, long mask) implements OfAction {
    }

    /**
     * learn(...) (NXAST_LEARN): adds or refreshes a flow built from the packet. {@code raw} is the
     * action as it came, sent back as it was in flow dumps.
     */
    record Learn(int tableId, int idleTimeout, int hardTimeout, int priority, long cookie, int flags,
            List<LearnSpec> specs, byte[] raw, int finIdleTimeout, int finHardTimeout) implements OfAction {
    }

    /**
     * fin_timeout(idle_timeout=I,hard_timeout=H) (NXAST_FIN_TIMEOUT): once a TCP FIN or RST goes
     * through the rule, its timeouts shrink to these (0: unchanged).
     */
    record FinTimeout(int idleTimeout, int hardTimeout) implements OfAction {
    }

    /**
     * One learn spec: {@code nBits} (up to 128) bits from field {@code src} at {@code srcOfs} (or
     * the immediate {@code valueHi:value} when {@code src} is null) to match field {@code dst} at
     * {@code dstOfs} ({@link #MATCH}), to load there ({@link #LOAD}), or as the output port
     * ({@link #OUTPUT}).
     */
    record LearnSpec(OfField src, int srcOfs, long value, int dstType, OfField dst, int dstOfs, int nBits,
            long valueHi) {
        public static final int MATCH = 0;
        public static final int LOAD = 1;
        public static final int OUTPUT = 2;
    }

    /** meter:N (a 1.3 instruction, a 1.5 action): packets over meter N's rate are dropped here. */
    record Meter(int meterId) implements OfAction {
    }

    /** group:N: the packet goes through group {@code groupId}'s buckets. */
    record Group(int groupId) implements OfAction {
    }

    /** goto_table (an instruction in OpenFlow 1.1+, resubmit(,N) in 1.0). */
    record GotoTable(int table) implements OfAction {
    }
}
