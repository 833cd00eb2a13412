package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.junit.jupiter.api.Test;

class SchemaReaderTest {
    private final DbSchema schema = SchemaReader.vswitch();

    @Test
    void readsTheOpenVswitchSchema() {
        assertEquals("Open_vSwitch", schema.name());
        assertEquals("8.3.1", schema.version());
        assertTrue(schema.json().contains("\"cksum\": \"3012963480 26720\""), "json() is the text as read");
        assertEquals(Set.of("Open_vSwitch", "Bridge", "Port", "Interface", "Flow_Table", "QoS", "Queue", "Mirror",
                "NetFlow", "sFlow", "IPFIX", "Flow_Sample_Collector_Set", "Controller", "Manager", "Datapath",
                "CT_Zone", "CT_Timeout_Policy", "SSL", "AutoAttach"), schema.tables().keySet());

        DbSchema.Table ovs = schema.table("Open_vSwitch");
        assertTrue(ovs.isRoot());
        assertEquals(1, ovs.maxRows());
        Type bridges = ovs.column("bridges").type();
        assertEquals(0, bridges.min());
        assertEquals(Long.MAX_VALUE, bridges.max());
        assertEquals("Bridge", bridges.key().refTable());
        assertTrue(bridges.key().refStrong());
        assertTrue(ovs.column("statistics").ephemeral());

        DbSchema.Table bridge = schema.table("Bridge");
        assertFalse(bridge.isRoot());
        assertEquals(Long.MAX_VALUE, bridge.maxRows());
        assertEquals(List.of(List.of("name")), bridge.indexes());
        assertFalse(bridge.column("name").mutable());
        assertTrue(bridge.column("ports").mutable());
        assertEquals(Set.of("secure", "standalone"), bridge.column("fail_mode").type().key().enumValues());
        assertTrue(bridge.column("fail_mode").type().isOptional());
        assertTrue(bridge.column("other_config").type().isMap());

        Type ofportRequest = schema.table("Interface").column("ofport_request").type();
        assertEquals(AtomicType.INTEGER, ofportRequest.key().type());
        assertEquals(1, ofportRequest.key().minInteger());
        assertEquals(65279, ofportRequest.key().maxInteger());
        assertNull(ofportRequest.key().enumValues());

        Type selectSrc = schema.table("Mirror").column("select_src_port").type();
        assertFalse(selectSrc.key().refStrong(), "weak reference");
        assertEquals(List.of(List.of("id", "bridge")), schema.table("Flow_Sample_Collector_Set").indexes());
        assertTrue(schema.table("Interface").column("name").type().isScalar());
    }

    @Test
    void everyTableIsARootWhenNoneSaysSo() {
        DbSchema s = SchemaReader.read("{\"name\":\"N\",\"version\":\"1.0.0\",\"tables\":{"
                + "\"A\":{\"columns\":{\"x\":{\"type\":\"integer\"}}}}}");
        assertTrue(s.table("A").isRoot());
        assertEquals(new DbSchema.Type(s.table("A").column("x").type().key(), null, 1, 1), s.table("A").column("x").type());
    }

    @Test
    void rejectsBrokenSchemas() {
        assertThrows(IllegalArgumentException.class, () -> SchemaReader.read("{\"name\":\"N\",\"tables\":{"
                + "\"A\":{\"columns\":{\"x\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"B\"}}}}}}}"));
        assertThrows(IllegalArgumentException.class, () -> SchemaReader.read("{\"name\":\"N\",\"tables\":{"
                + "\"A\":{\"columns\":{\"x\":{\"type\":\"int\"}}}}}"));
        assertThrows(IllegalArgumentException.class, () -> SchemaReader.read("not json"));
    }
}
