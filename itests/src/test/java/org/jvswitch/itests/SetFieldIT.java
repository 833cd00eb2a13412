package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Header rewrites through the whole pipeline: OpenFlow rules set with the real ovs-ofctl on the
 * packaged switch, packets from netdev-dummy/receive, the translation's masked sets run by the
 * datapath, and the frames out of p2 read byte by byte: every rewritten field has its new value,
 * the rest is as it came, and the IPv4 header and TCP/UDP checksums are still right.
 */
class SetFieldIT {
    private Dist dist;

    @BeforeEach
    void start() throws Exception {
        dist = Dist.withDummyBridge("jvswitch-setfield", 2);
    }

    @AfterEach
    void stop() throws Exception {
        dist.close();
    }

    /** Sends {@code flow} into p1 and returns the one frame p2 sent, as bytes. */
    private byte[] through(String flow) throws Exception {
        dist.ovs("ovs-appctl", "netdev-dummy/tx-dump", "p2");         // drain
        dist.ovs("ovs-appctl", "netdev-dummy/receive", "p1", flow);
        String out = dist.await(o -> !o.isBlank(), "ovs-appctl", "netdev-dummy/tx-dump", "p2").trim();
        assertEquals(1, out.split("\n").length, out);
        return HexFormat.of().parseHex(out);
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** The ones'-complement sum of {@code len} bytes at {@code off}, folded, plus {@code initial}. */
    private static int sum(byte[] b, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            s += u16(b, off + i);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** Asserts the IPv4 header checksum and the TCP/UDP checksum of the IPv4 frame {@code f}. */
    private static void assertChecksums(byte[] f) {
        int ihl = (f[14] & 0x0f) * 4;
        assertEquals(0xffff, sum(f, 14, ihl, 0), "IPv4 header checksum");
        int total = u16(f, 16);
        int l4len = total - ihl;
        long pseudo = u16(f, 26) + u16(f, 28) + u16(f, 30) + u16(f, 32) + (f[23] & 0xff) + l4len;
        assertEquals(0xffff, sum(f, 14 + ihl, l4len, pseudo), "L4 checksum");
    }

    private static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    @Test
    void everyRewrittenFieldHasItsNewValueAndTheChecksumsHold() throws Exception {
        dist.ovs("ovs-ofctl", "add-flow", "br0", "in_port=1,tcp,actions=mod_dl_src:02:00:00:00:00:aa,"
                + "mod_dl_dst:02:00:00:00:00:bb,mod_nw_src:192.168.1.1,mod_nw_dst:192.168.1.2,mod_nw_tos:32,"
                + "mod_nw_ttl:9,mod_tp_src:1111,mod_tp_dst:2222,output:2");
        dist.ovs("ovs-ofctl", "-O", "OpenFlow13", "add-flow", "br0", "in_port=1,udp,actions=set_field:10.9.9.9->ip_dst,"
                + "set_field:53->udp_dst,dec_ttl,output:2");
        dist.ovs("ovs-ofctl", "add-flow", "br0", "in_port=1,ipv6,actions=set_field:2001:db8::99->ipv6_dst,"
                + "mod_tp_dst:8080,output:2");

        byte[] tcp = through("in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,dst=80)");
        assertEquals("0200000000bb" + "0200000000aa" + "0800", hex(tcp, 0, 14));
        assertEquals(32, tcp[15] & 0xff, "tos");
        assertEquals(9, tcp[22] & 0xff, "ttl");
        assertEquals(6, tcp[23] & 0xff, "protocol unchanged");
        assertEquals("c0a80101" + "c0a80102", hex(tcp, 26, 8));
        assertEquals(1111, u16(tcp, 34));
        assertEquals(2222, u16(tcp, 36));
        assertChecksums(tcp);

        byte[] udp = through("in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=2000)");
        assertEquals("505400000002" + "505400000001", hex(udp, 0, 12), "Ethernet untouched");
        assertEquals(63, udp[22] & 0xff, "dec_ttl");
        assertEquals("0a000001" + "0a090909", hex(udp, 26, 8));
        assertEquals(1000, u16(udp, 34));
        assertEquals(53, u16(udp, 36));
        assertChecksums(udp);

        byte[] v6 = through("in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x86dd),"
                + "ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=6,tclass=0,hlimit=64,frag=no),tcp(src=1000,dst=80)");
        assertEquals(54 + u16(v6, 18), v6.length, "Ethernet, IPv6 header and the payload its length names");
        assertEquals("505400000002" + "505400000001" + "86dd", hex(v6, 0, 14), "Ethernet untouched");
        assertEquals("6000000000140640", hex(v6, 14, 8), "version, class, label, length 20, TCP, hop limit 64 untouched");
        assertEquals("20010db8000000000000000000000001", hex(v6, 22, 16), "source untouched");
        assertEquals("20010db8000000000000000000000099", hex(v6, 38, 16));
        assertEquals(1000, u16(v6, 54), "source port untouched");
        assertEquals(8080, u16(v6, 56));
        // TCP checksum over the IPv6 pseudo-header.
        int l4len = u16(v6, 18);
        long pseudo = 6 + l4len;
        for (int i = 22; i < 54; i += 2) {
            pseudo += u16(v6, i);
        }
        assertEquals(0xffff, sum(v6, 54, l4len, pseudo), "TCP checksum over IPv6");
    }
}
