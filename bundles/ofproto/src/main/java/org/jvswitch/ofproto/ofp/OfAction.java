package org.jvswitch.ofproto.ofp;

/**
 * One parsed OpenFlow 1.0 action: its OFPAT10 type and argument (port, VLAN id, PCP, MAC in the
 * low 48 bits, IPv4 address, ToS byte (DSCP bits), or L4 port).
 */
public record OfAction(int type, long arg) {
    public static final int OUTPUT = 0;
    public static final int SET_VLAN_VID = 1;
    public static final int SET_VLAN_PCP = 2;
    public static final int STRIP_VLAN = 3;
    public static final int SET_DL_SRC = 4;
    public static final int SET_DL_DST = 5;
    public static final int SET_NW_SRC = 6;
    public static final int SET_NW_DST = 7;
    public static final int SET_NW_TOS = 8;
    public static final int SET_TP_SRC = 9;
    public static final int SET_TP_DST = 10;

    // OpenFlow 1.0 port numbers an output may name.
    public static final int IN_PORT = 0xfff8;
    public static final int TABLE = 0xfff9;
    public static final int NORMAL = 0xfffa;
    public static final int FLOOD = 0xfffb;
    public static final int ALL = 0xfffc;
    public static final int CONTROLLER = 0xfffd;
    public static final int LOCAL = 0xfffe;
}
