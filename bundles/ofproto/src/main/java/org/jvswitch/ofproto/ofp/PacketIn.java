package org.jvswitch.ofproto.ofp;

/**
 * A packet on its way to the controllers (Open vSwitch's {@code ofproto_async_msg} for
 * OAM_PACKET_IN): the whole frame (nothing is buffered, so nothing is cut), the OpenFlow input
 * port, the reason ({@link #NO_MATCH}, {@link #ACTION}, {@link #INVALID_TTL}), the table and the
 * cookie of the rule that sent it, and the pipeline's metadata and registers at that point
 * ({@code pipeline}: metadata, then the eight register words).
 */
public record PacketIn(byte[] frame, int inPort, int reason, int tableId, long cookie, long[] pipeline) {
    public static final int NO_MATCH = 0;
    public static final int ACTION = 1;
    public static final int INVALID_TTL = 2;
}
