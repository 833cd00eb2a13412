package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jvswitch.api.flow.FlowKey;
import org.junit.jupiter.api.Test;

class DpFlowFormatTest {
    @Test
    void showsOnlyMaskedFieldsAsOpenVswitchDoes() {
        FlowKey k = new FlowKey();
        k.setInPort(1);
        k.setDlSrc(0x505400000001L);
        k.setDlDst(0x505400000002L);
        k.setDlType(0x0800);
        k.w[3] = (0x0a000001L << 32) | 0x0a000002L;
        k.w[4] = (6L << 56) | (64L << 40) | (1234L << 16) | 80;
        FlowKey m = new FlowKey();
        m.setInPort(-1);
        m.setDlSrc(-1);
        m.setDlDst(-1);
        assertEquals("recirc_id(0),in_port(1),packet_type(ns=0,id=0),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02)",
                DpFlowFormat.format(k, m, false));
        m.setDlType(0xffff);
        m.w[3] = 0xffffff0000000000L;
        m.w[4] = (0xffL << 56) | (0xffL << 32) | 0xffff;
        assertEquals("recirc_id(0),in_port(1),packet_type(ns=0,id=0),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),"
                + "eth_type(0x0800),ipv4(src=10.0.0.1/255.255.255.0,proto=6,frag=no),tcp(dst=80)",
                DpFlowFormat.format(k, m, false));
    }

    @Test
    void vlanFlowsNestTheRestInEncap() {
        FlowKey k = new FlowKey();
        k.setInPort(2);
        k.setVlanTci(0x2064 | FlowKey.VLAN_CFI);
        k.setDlType(0x0806);
        FlowKey m = new FlowKey();
        m.setVlanTci(0xffff);
        m.setDlType(0xffff);
        assertEquals("recirc_id(0),in_port(2),packet_type(ns=0,id=0),eth_type(0x8100),vlan(vid=100,pcp=1),"
                + "encap(eth_type(0x0806))", DpFlowFormat.format(k, m, false));
    }
}
