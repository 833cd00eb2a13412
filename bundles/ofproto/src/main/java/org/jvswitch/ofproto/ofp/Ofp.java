package org.jvswitch.ofproto.ofp;

/** OpenFlow 1.0 and 1.3 wire constants (openflow-1.0.h, openflow-1.3.h, nicira-ext.h). */
public final class Ofp {
    private Ofp() {
    }

    public static final int V10 = 0x01;
    public static final int V13 = 0x04;
    public static final int V14 = 0x05;
    public static final int V15 = 0x06;
    /** Versions this switch speaks, as a HELLO version bitmap: 1.0, 1.3, 1.4 and 1.5. */
    public static final int SUPPORTED_BITMAP = (1 << V10) | (1 << V13) | (1 << V14) | (1 << V15);

    public static final int HEADER_LEN = 8;
    public static final int MAX_LEN = 0xffff;

    // Message types common to 1.0 and 1.3.
    public static final int HELLO = 0;
    public static final int ERROR = 1;
    public static final int ECHO_REQUEST = 2;
    public static final int ECHO_REPLY = 3;
    public static final int VENDOR = 4;
    public static final int FEATURES_REQUEST = 5;
    public static final int FEATURES_REPLY = 6;
    public static final int GET_CONFIG_REQUEST = 7;
    public static final int GET_CONFIG_REPLY = 8;
    public static final int SET_CONFIG = 9;
    public static final int PACKET_OUT = 13;
    public static final int FLOW_MOD = 14;

    // OpenFlow 1.0 only.
    public static final int OF10_PORT_MOD = 15;
    public static final int OF10_STATS_REQUEST = 16;
    public static final int OF10_STATS_REPLY = 17;
    public static final int OF10_BARRIER_REQUEST = 18;
    public static final int OF10_BARRIER_REPLY = 19;
    public static final int OF10_QUEUE_GET_CONFIG_REQUEST = 20;
    public static final int OF10_QUEUE_GET_CONFIG_REPLY = 21;

    // OpenFlow 1.3 only.
    public static final int OF13_GROUP_MOD = 15;
    public static final int OF13_PORT_MOD = 16;
    public static final int OF13_TABLE_MOD = 17;
    public static final int OF13_MULTIPART_REQUEST = 18;
    public static final int OF13_MULTIPART_REPLY = 19;
    public static final int OF13_BARRIER_REQUEST = 20;
    public static final int OF13_BARRIER_REPLY = 21;
    public static final int OF13_QUEUE_GET_CONFIG_REQUEST = 22;
    public static final int OF13_QUEUE_GET_CONFIG_REPLY = 23;
    public static final int OF13_METER_MOD = 29;

    // Statistics (1.0) / multipart (1.3) types.
    public static final int ST_DESC = 0;
    public static final int ST_FLOW = 1;
    public static final int ST_AGGREGATE = 2;
    public static final int ST_TABLE = 3;
    public static final int ST_PORT = 4;
    public static final int ST_QUEUE = 5;
    /** OpenFlow 1.0 extension of Open vSwitch: port descriptions as in 1.3. */
    public static final int ST10_PORT_DESC = 13;
    public static final int MP13_GROUP = 6;
    public static final int MP13_GROUP_DESC = 7;
    public static final int MP13_TABLE_FEATURES = 12;
    public static final int MP13_PORT_DESC = 13;
    public static final int ST_VENDOR = 0xffff;
    public static final int STATS_REPLY_MORE = 1;

    // Nicira extensions.
    public static final int NX_VENDOR_ID = 0x00002320;
    public static final int NXT_FLOW_MOD = 13;
    public static final int NXT_SET_FLOW_FORMAT = 12;
    public static final int NXT_FLOW_MOD_TABLE_ID = 15;
    public static final int NXT_SET_PACKET_IN_FORMAT = 16;
    public static final int NXST_FLOW = 0;
    public static final int NXST_AGGREGATE = 1;
    public static final int NXFF_OPENFLOW10 = 0;
    public static final int NXFF_NXM = 2;

    // Errors: types and codes (the same numbers in 1.0 and 1.3 for these).
    public static final int ET_HELLO_FAILED = 0;
    public static final int HFC_INCOMPATIBLE = 0;
    public static final int ET_BAD_REQUEST = 1;
    public static final int BRC_BAD_VERSION = 0;
    public static final int BRC_BAD_TYPE = 1;
    public static final int BRC_BAD_STAT = 2;
    public static final int BRC_BAD_VENDOR = 3;
    public static final int BRC_BAD_SUBTYPE = 4;
    public static final int BRC_EPERM = 5;
    public static final int BRC_BAD_LEN = 6;
    public static final int BRC_BUFFER_UNKNOWN = 8;
    public static final int BRC_BAD_PORT = 11;
    /**
     * Bytes of the offending message an error carries: all of it, as Open vSwitch 3.1's
     * ofperr_encode_reply, as far as the error's own 16-bit length allows.
     */
    public static final int ERROR_DATA_MAX = MAX_LEN - 20;

    // Ports.
    public static final int OFPP10_MAX = 0xff00;
    public static final int OFPP10_NORMAL = 0xfffa;
    public static final int OFPP10_LOCAL = 0xfffe;
    public static final int OFPP10_NONE = 0xffff;
    public static final int OFPP13_NORMAL = 0xfffffffa;
    public static final int OFPP13_ANY = 0xffffffff;
    public static final int OFPPS_LINK_DOWN = 1;
    public static final int OFPPS13_LIVE = 4;

    /** OpenFlow 1.0 wildcards: every field. */
    public static final int OFPFW10_ALL = 0x3fffff;
    public static final int OFPTT_ALL = 0xff;

    /** The 1.3 (32-bit) number of a 1.0 (16-bit) port number. */
    public static int port13(int port10) {
        return port10 >= OFPP10_MAX ? port10 + 0xffff0000 : port10;
    }

    /** The 1.0 (16-bit) number of a 1.3 port number, or -1 if it has none. */
    public static int port10(int port13) {
        if (Integer.compareUnsigned(port13, OFPP10_MAX) < 0) {
            return port13;
        }
        if (Integer.compareUnsigned(port13, 0xffffff00) >= 0) {
            return port13 - 0xffff0000;
        }
        return -1;
    }
}
