package org.jvswitch.ovsdb.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;

/**
 * An immutable hash map whose {@link #plus} and {@link #minus} return a new map that shares all but
 * O(log32 n) nodes with the old one (a hash array mapped trie).
 *
 * <p>Why not {@code HashMap} copies: every commit publishes an immutable {@link Snapshot}, and the
 * database is expected to hold tens of thousands of Interface rows. Copying a table's map on each
 * commit would make a one-row change cost O(table size); with path copying it costs a handful of
 * small arrays, and old snapshots stay valid for as long as readers hold them.
 *
 * <p>Keys must be immutable with consistent {@code equals}/{@code hashCode}; null keys and values
 * are not allowed.
 */
final class PersistentMap<K, V> {
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;

    private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(Branch.EMPTY, 0);

    private final Branch root;
    private final int size;

    private PersistentMap(Branch root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> PersistentMap<K, V> empty() {
        return (PersistentMap<K, V>) EMPTY;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean containsKey(Object key) {
        return get(key) != null;
    }

    @SuppressWarnings("unchecked")
    V get(Object key) {
        int hash = hash(key);
        Object node = root;
        int shift = 0;
        while (true) {
            if (node instanceof Branch b) {
                int bit = bit(hash, shift);
                if ((b.bitmap & bit) == 0) {
                    return null;
                }
                node = b.slots[b.index(bit)];
                shift += BITS;
            } else if (node instanceof Leaf<?, ?> l) {
                return l.hash == hash && l.key.equals(key) ? (V) l.value : null;
            } else {
                for (Leaf<?, ?> l : ((Collision) node).leaves) {
                    if (l.key.equals(key)) {
                        return (V) l.value;
                    }
                }
                return null;
            }
        }
    }

    /** This map with {@code key} mapped to {@code value}; {@code this} if it already was. */
    PersistentMap<K, V> plus(K key, V value) {
        boolean[] added = {false};
        Branch r = (Branch) put(root, 0, new Leaf<>(hash(key), key, value), added);
        return r == root ? this : new PersistentMap<>(r, added[0] ? size + 1 : size);
    }

    /** This map without {@code key}; {@code this} if it had none. */
    PersistentMap<K, V> minus(Object key) {
        Object r = remove(root, 0, hash(key), key);
        if (r == root) {
            return this;
        }
        // The root never collapses into a leaf (remove() only collapses below the root).
        return new PersistentMap<>(r == null ? Branch.EMPTY : (Branch) r, size - 1);
    }

    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<? super K, ? super V> action) {
        LeafIterator it = new LeafIterator(root);
        while (it.hasNext()) {
            Leaf<?, ?> l = it.next();
            action.accept((K) l.key, (V) l.value);
        }
    }

    Iterator<V> valueIterator() {
        LeafIterator it = new LeafIterator(root);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @SuppressWarnings("unchecked")
            @Override
            public V next() {
                return (V) it.next().value;
            }
        };
    }

    Iterator<K> keyIterator() {
        LeafIterator it = new LeafIterator(root);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @SuppressWarnings("unchecked")
            @Override
            public K next() {
                return (K) it.next().key;
            }
        };
    }

    // --- trie operations ---

    /** Murmur3's finalizer: UUID.hashCode() xors halves, so its low bits need spreading. */
    private static int hash(Object key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int bit(int hash, int shift) {
        return 1 << ((hash >>> shift) & MASK);
    }

    private static int hashOf(Object node) {
        return node instanceof Leaf<?, ?> l ? l.hash : ((Collision) node).hash;
    }

    private static Object put(Object node, int shift, Leaf<?, ?> leaf, boolean[] added) {
        if (node instanceof Branch b) {
            int bit = bit(leaf.hash, shift);
            int i = b.index(bit);
            if ((b.bitmap & bit) == 0) {
                added[0] = true;
                return b.insert(bit, i, leaf);
            }
            Object child = b.slots[i];
            Object newChild = put(child, shift + BITS, leaf, added);
            return newChild == child ? b : b.replace(i, newChild);
        }
        if (node instanceof Leaf<?, ?> l) {
            if (l.hash == leaf.hash && l.key.equals(leaf.key)) {
                return l.value == leaf.value ? l : leaf;
            }
            added[0] = true;
            if (l.hash == leaf.hash) {
                return new Collision(l.hash, new Leaf<?, ?>[] {l, leaf});
            }
            return split(l, leaf, shift);
        }
        Collision c = (Collision) node;
        if (c.hash != leaf.hash) {
            added[0] = true;
            return split(c, leaf, shift);
        }
        for (int i = 0; i < c.leaves.length; i++) {
            if (c.leaves[i].key.equals(leaf.key)) {
                if (c.leaves[i].value == leaf.value) {
                    return c;
                }
                Leaf<?, ?>[] copy = c.leaves.clone();
                copy[i] = leaf;
                return new Collision(c.hash, copy);
            }
        }
        added[0] = true;
        Leaf<?, ?>[] copy = java.util.Arrays.copyOf(c.leaves, c.leaves.length + 1);
        copy[c.leaves.length] = leaf;
        return new Collision(c.hash, copy);
    }

    /** A branch at {@code shift} holding two nodes whose hashes differ (somewhere at or below shift). */
    private static Branch split(Object a, Object b, int shift) {
        int ha = hashOf(a);
        int hb = hashOf(b);
        int bitA = bit(ha, shift);
        int bitB = bit(hb, shift);
        if (bitA == bitB) {
            return new Branch(bitA, new Object[] {split(a, b, shift + BITS)});
        }
        // Slots are in bit order; compare unsigned because bit 31 is the sign bit.
        return Integer.compareUnsigned(bitA, bitB) < 0 ? new Branch(bitA | bitB, new Object[] {a, b})
                : new Branch(bitA | bitB, new Object[] {b, a});
    }

    /** The node without {@code key}: the same node if absent, null if it became empty. */
    private static Object remove(Object node, int shift, int hash, Object key) {
        if (node instanceof Branch b) {
            int bit = bit(hash, shift);
            if ((b.bitmap & bit) == 0) {
                return b;
            }
            int i = b.index(bit);
            Object child = b.slots[i];
            Object newChild = remove(child, shift + BITS, hash, key);
            if (newChild == child) {
                return b;
            }
            if (newChild == null) {
                if (b.slots.length == 1) {
                    return null;
                }
                Branch smaller = b.delete(bit, i);
                // A branch left holding one leaf is pulled up into its parent to keep paths short.
                if (shift > 0 && smaller.slots.length == 1 && !(smaller.slots[0] instanceof Branch)) {
                    return smaller.slots[0];
                }
                return smaller;
            }
            if (shift > 0 && b.slots.length == 1 && !(newChild instanceof Branch)) {
                return newChild;
            }
            return b.replace(i, newChild);
        }
        if (node instanceof Leaf<?, ?> l) {
            return l.hash == hash && l.key.equals(key) ? null : l;
        }
        Collision c = (Collision) node;
        for (int i = 0; i < c.leaves.length; i++) {
            if (c.leaves[i].key.equals(key)) {
                if (c.leaves.length == 2) {
                    return c.leaves[1 - i];
                }
                Leaf<?, ?>[] copy = new Leaf<?, ?>[c.leaves.length - 1];
                System.arraycopy(c.leaves, 0, copy, 0, i);
                System.arraycopy(c.leaves, i + 1, copy, i, copy.length - i);
                return new Collision(c.hash, copy);
            }
        }
        return c;
    }

    private record Leaf<K, V>(int hash, K key, V value) {
    }

    /** Keys whose 32-bit hashes are equal. */
    private record Collision(int hash, Leaf<?, ?>[] leaves) {
    }

    /** 32-way node: bit i of {@code bitmap} set means slot for hash fragment i is present. */
    private record Branch(int bitmap, Object[] slots) {
        static final Branch EMPTY = new Branch(0, new Object[0]);

        int index(int bit) {
            return Integer.bitCount(bitmap & (bit - 1));
        }

        Branch insert(int bit, int i, Object node) {
            Object[] s = new Object[slots.length + 1];
            System.arraycopy(slots, 0, s, 0, i);
            s[i] = node;
            System.arraycopy(slots, i, s, i + 1, slots.length - i);
            return new Branch(bitmap | bit, s);
        }

        Branch replace(int i, Object node) {
            Object[] s = slots.clone();
            s[i] = node;
            return new Branch(bitmap, s);
        }

        Branch delete(int bit, int i) {
            Object[] s = new Object[slots.length - 1];
            System.arraycopy(slots, 0, s, 0, i);
            System.arraycopy(slots, i + 1, s, i, s.length - i);
            return new Branch(bitmap & ~bit, s);
        }
    }

    /** Depth-first walk; the trie is at most 7 branch levels plus a collision node deep. */
    private static final class LeafIterator implements Iterator<Leaf<?, ?>> {
        private final Object[][] arrays = new Object[10][];
        private final int[] positions = new int[10];
        private int depth;
        private Leaf<?, ?> next;

        LeafIterator(Branch root) {
            arrays[0] = root.slots;
            advance();
        }

        private void advance() {
            next = null;
            while (depth >= 0) {
                Object[] a = arrays[depth];
                if (positions[depth] >= a.length) {
                    depth--;
                    continue;
                }
                Object o = a[positions[depth]++];
                if (o instanceof Leaf<?, ?> l) {
                    next = l;
                    return;
                }
                depth++;
                arrays[depth] = o instanceof Branch b ? b.slots : ((Collision) o).leaves;
                positions[depth] = 0;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Leaf<?, ?> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Leaf<?, ?> l = next;
            advance();
            return l;
        }
    }
}
