package org.jvswitch.ofproto.ofp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvswitch.api.flow.FlowKey;

/**
 * One OpenFlow table arranged for lookup (Open vSwitch's classifier): a subtable per distinct
 * mask, each a hash of masked values, visited by descending highest priority and skipped once no
 * rule in it could beat the best match found. Within a subtable the lookup is staged: metadata and
 * registers, then the packet's metadata, L2, L3 and L4 fields, each stage checked against an
 * index of the values its rules have up to that stage, so a packet that fails early costs the
 * megaflow only the bits of the stages looked at. Immutable; built from a table's rules.
 */
public final class OfClassifier {
    /**
     * The bits of each key word that belong to each stage: the OpenFlow pipeline words (metadata,
     * registers: set by the tables, they cost the megaflow nothing), then the packet's metadata
     * (in_port, recirc_id, mark), L2, L3 and L4.
     */
    private static final long[][] STAGES = stages();

    private static long[][] stages() {
        long[][] s = new long[5][OfField.WORDS];
        for (int i = FlowKey.WORDS; i < OfField.WORDS; i++) {
            s[0][i] = -1L;
        }
        long[][] packet = {
            {0xffffffff00000000L, 0, 0, 0, 0, 0, 0, 0, 0, 0xffffffff00000000L, 0xffffffff00000000L, 0, 0, 0},
            {0x00000000ffffffffL, -1L, -1L, 0, 0, 0, 0, 0, 0, 0x00000000ffff0000L, 0, 0, 0, 0},
            {0, 0, 0, -1L, 0xffffffff00000000L, -1L, -1L, -1L, -1L, 0, 0x00000000ffffffffL, 0, 0, 0},
            {0, 0, 0, 0, 0x00000000ffffffffL, 0, 0, 0, 0, 0x000000000000ffffL, 0, -1L, -1L, -1L},
        };
        for (int st = 0; st < 4; st++) {
            System.arraycopy(packet[st], 0, s[st + 1], 0, FlowKey.WORDS);
        }
        return s;
    }

    /** A masked key as a hash key. */
    private record Key(long[] w) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(w, k.w);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(w);
        }
    }

    private static final class Subtable {
        final long[] mask;
        int maxPriority = Integer.MIN_VALUE;
        /** Cumulative masks of the stages that add bits, and the values rules have up to each. */
        long[][] stageMasks;
        List<Set<Key>> stageIndex;
        final Map<Key, List<OfRule>> rules = new HashMap<>();

        Subtable(long[] mask) {
            this.mask = mask;
        }
    }

    private final Subtable[] subtables;

    private OfClassifier(Subtable[] subtables) {
        this.subtables = subtables;
    }

    /** The lookup structure of {@code rules} (highest priority first, ties in insertion order). */
    public static OfClassifier build(List<OfRule> rules) {
        Map<Key, Subtable> byMask = new LinkedHashMap<>();
        for (OfRule r : rules) {
            Subtable st = byMask.computeIfAbsent(new Key(r.match.maskWords()), k -> new Subtable(k.w()));
            st.maxPriority = Math.max(st.maxPriority, r.priority);
            st.rules.computeIfAbsent(new Key(r.match.valueWords()), k -> new ArrayList<>(1)).add(r);
        }
        for (Subtable st : byMask.values()) {
            List<long[]> masks = new ArrayList<>();
            long[] cum = new long[OfField.WORDS];
            for (long[] stage : STAGES) {
                long[] next = cum.clone();
                boolean grew = false;
                for (int i = 0; i < OfField.WORDS; i++) {
                    next[i] |= st.mask[i] & stage[i];
                    grew |= next[i] != cum[i];
                }
                if (grew) {
                    masks.add(next);
                    cum = next;
                }
            }
            st.stageMasks = masks.toArray(new long[0][]);
            st.stageIndex = new ArrayList<>();
            for (int s = 0; s < st.stageMasks.length - 1; s++) {
                Set<Key> index = new HashSet<>();
                for (Key value : st.rules.keySet()) {
                    index.add(new Key(and(value.w(), st.stageMasks[s])));
                }
                st.stageIndex.add(index);
            }
        }
        Subtable[] sorted = byMask.values().toArray(new Subtable[0]);
        Arrays.sort(sorted, Comparator.comparingInt((Subtable s) -> s.maxPriority).reversed());
        return new OfClassifier(sorted);
    }

    private static long[] and(long[] a, long[] m) {
        long[] r = new long[OfField.WORDS];
        for (int i = 0; i < OfField.WORDS; i++) {
            r[i] = a[i] & m[i];
        }
        return r;
    }

    /**
     * The highest-priority rule {@code key} (pipeline key words) meets, or null; adds to
     * {@code megaMask} (datapath key words) the bits every stage it examined looked at.
     */
    public OfRule lookup(long[] key, long[] megaMask) {
        OfRule best = null;
        for (Subtable st : subtables) {
            if (best != null && st.maxPriority < best.priority) {
                break;
            }
            OfRule r = lookup(st, key, megaMask);
            if (r != null && (best == null || r.priority > best.priority
                    || (r.priority == best.priority && r.createdNanos < best.createdNanos))) {
                best = r;
            }
        }
        return best;
    }

    private static OfRule lookup(Subtable st, long[] key, long[] megaMask) {
        long[][] masks = st.stageMasks;
        for (int s = 0; s < masks.length; s++) {
            long[] m = masks[s];
            for (int i = 0; i < FlowKey.WORDS; i++) {
                megaMask[i] |= m[i];
            }
            Key k = new Key(and(key, m));
            if (s < masks.length - 1) {
                if (!st.stageIndex.get(s).contains(k)) {
                    return null;
                }
            } else {
                List<OfRule> rules = st.rules.get(k);
                return rules == null ? null : rules.get(0);
            }
        }
        // A catch-all subtable (empty mask): its best rule.
        List<OfRule> all = st.rules.get(new Key(new long[OfField.WORDS]));
        return all == null ? null : all.get(0);
    }
}
