package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PersistentMapTest {
    /** A key whose hash collides on purpose, to exercise collision nodes. */
    private record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void behavesLikeAHashMapAndOldVersionsStayIntact() {
        Random random = new Random(42);
        Map<Key, Integer> expected = new HashMap<>();
        PersistentMap<Key, Integer> map = PersistentMap.empty();
        PersistentMap<Key, Integer> checkpoint = null;
        Map<Key, Integer> checkpointExpected = null;
        for (int i = 0; i < 20_000; i++) {
            Key k = new Key(random.nextInt(3000), random.nextInt(40)); // many collisions and deep tries
            if (random.nextInt(3) == 0) {
                expected.remove(k);
                map = map.minus(k);
            } else {
                expected.put(k, i);
                map = map.plus(k, i);
            }
            if (i == 10_000) {
                checkpoint = map;
                checkpointExpected = new HashMap<>(expected);
            }
        }
        assertContent(expected, map);
        assertContent(checkpointExpected, checkpoint);
    }

    @Test
    void uuidKeysAtScale() {
        PersistentMap<java.util.UUID, Integer> map = PersistentMap.empty();
        java.util.List<java.util.UUID> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            java.util.UUID u = java.util.UUID.randomUUID();
            keys.add(u);
            map = map.plus(u, i);
        }
        assertEquals(50_000, map.size());
        for (int i = 0; i < keys.size(); i += 2) {
            map = map.minus(keys.get(i));
        }
        assertEquals(25_000, map.size());
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(i % 2 == 0 ? null : (Integer) i, map.get(keys.get(i)));
        }
    }

    @Test
    void unchangedOperationsReturnTheSameMap() {
        Integer one = 1;
        PersistentMap<String, Integer> map = PersistentMap.<String, Integer>empty().plus("a", one);
        assertSame(map, map.plus("a", one));
        assertSame(map, map.minus("b"));
        assertEquals(0, map.minus("a").size());
        assertNull(map.minus("a").get("a"));
    }

    private static void assertContent(Map<Key, Integer> expected, PersistentMap<Key, Integer> map) {
        assertEquals(expected.size(), map.size());
        for (Map.Entry<Key, Integer> e : expected.entrySet()) {
            assertEquals(e.getValue(), map.get(e.getKey()));
        }
        Map<Key, Integer> seen = new HashMap<>();
        map.forEach(seen::put);
        assertEquals(expected, seen);
        int n = 0;
        for (Iterator<Integer> it = map.valueIterator(); it.hasNext(); it.next()) {
            n++;
        }
        assertEquals(expected.size(), n);
    }
}
