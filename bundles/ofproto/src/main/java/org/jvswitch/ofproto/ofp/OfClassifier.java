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
 * megaflow only the bits of the stages looked at; at the L3 stage, IPv4 address prefixes rule a
 * packet out with as few leading bits as possible, and at the last stage the transport ports do
 * the same (Open vSwitch's prefix tries and ports trie). Immutable; built from a table's rules.
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

    /**
     * At the stage that brings in the IPv4 addresses: a packet whose destination (or source) no
     * prefix of the subtable covers cannot match, and fixing just the leading bits that prove it
     * keeps the megaflow as wide as the rules allow (Open vSwitch's prefix tries on ip_dst and
     * ip_src). Returns true, with those bits added to {@code megaMask}, if so.
     */
    private static boolean ruledOutByPrefix(Subtable st, long[] key, long[] megaMask) {
        if (st.dstLen > 0) {
            int bits = bitsToRuleOut(st.dstPrefixes, st.dstLen, (int) key[3]);
            if (bits >= 0) {
                megaMask[3] |= (-1L << (32 - bits)) & 0xffffffffL;
                return true;
            }
        }
        if (st.srcLen > 0) {
            int bits = bitsToRuleOut(st.srcPrefixes, st.srcLen, (int) (key[3] >>> 32));
            if (bits >= 0) {
                megaMask[3] |= ((-1L << (32 - bits)) & 0xffffffffL) << 32;
                return true;
            }
        }
        return false;
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
        /** IPv4 destination and source prefixes of the rules (sorted, unsigned) and their length, 0 if none. */
        int[] dstPrefixes = new int[0];
        int dstLen;
        int[] srcPrefixes = new int[0];
        int srcLen;
        /**
         * The transport ports word (tp_src in the high half, tp_dst in the low) as the rules mask
         * it, the rules' masked values (sorted, unsigned), and the mask's length up to its last
         * bit; 0 if the subtable has no ports.
         */
        int portsMask;
        int[] ports = new int[0];
        int portsLen;

        Subtable(long[] mask) {
            this.mask = mask;
        }
    }

    /** The length of {@code m} as a prefix mask, or -1 if it is not one. */
    private static int prefixLength(int m) {
        int len = Integer.bitCount(m);
        return m == (len == 0 ? 0 : -1 << (32 - len)) ? len : -1;
    }

    private static int[] prefixes(Subtable st, boolean dst) {
        return st.rules.keySet().stream()
                .mapToInt(k -> dst ? (int) k.w()[3] : (int) (k.w()[3] >>> 32))
                .distinct().boxed().sorted(Integer::compareUnsigned).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Open vSwitch's prefix tracking: the number of leading bits of {@code addr} that rule no
     * prefix of the subtable (of length {@code len}) out, or -1 if one of them matches it. The
     * closest prefix in sorted order is a neighbour of the address's position.
     */
    private static int bitsToRuleOut(int[] prefixes, int len, int addr) {
        int a = len == 0 ? 0 : addr & (-1 << (32 - len));
        int i = Arrays.binarySearch(prefixes, a);
        if (i >= 0) {
            return -1;
        }
        int at = -i - 1;
        int best = 0;
        for (int j = at - 1; j <= at; j++) {
            if (j >= 0 && j < prefixes.length) {
                best = Math.max(best, Integer.numberOfLeadingZeros(prefixes[j] ^ addr));
            }
        }
        return Math.min(best + 1, len);
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
            int dl = prefixLength((int) st.mask[3]);
            int sl = prefixLength((int) (st.mask[3] >>> 32));
            if (dl > 0) {
                st.dstLen = dl;
                st.dstPrefixes = prefixes(st, true);
            }
            if (sl > 0) {
                st.srcLen = sl;
                st.srcPrefixes = prefixes(st, false);
            }
            int pm = (int) st.mask[4];
            if (pm != 0) {
                st.portsMask = pm;
                st.portsLen = 32 - Integer.numberOfTrailingZeros(pm);
                st.ports = st.rules.keySet().stream().mapToInt(k -> (int) k.w()[4] & pm).distinct().boxed()
                        .sorted(Integer::compareUnsigned).mapToInt(Integer::intValue).toArray();
            }
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
            if (m[3] != (s == 0 ? 0 : masks[s - 1][3]) && ruledOutByPrefix(st, key, megaMask)) {
                return null;
            }
            Key k = new Key(and(key, m));
            if (s < masks.length - 1) {
                for (int i = 0; i < FlowKey.WORDS; i++) {
                    megaMask[i] |= m[i];
                }
                if (!st.stageIndex.get(s).contains(k)) {
                    return null;
                }
            } else {
                List<OfRule> rules = st.rules.get(k);
                if (rules == null && st.portsLen > 0) {
                    // Open vSwitch's ports trie: if no rule's ports can match, the leading bits
                    // that show it are all the ports the megaflow needs from this stage.
                    int bits = bitsToRuleOut(st.ports, st.portsLen, (int) key[4] & st.portsMask);
                    if (bits >= 0) {
                        int prefix = bits == 0 ? 0 : -1 << (32 - bits);
                        megaMask[4] |= (prefix & st.portsMask) & 0xffffffffL;
                        return null;
                    }
                }
                for (int i = 0; i < FlowKey.WORDS; i++) {
                    megaMask[i] |= m[i];
                }
                return rules == null ? null : rules.get(0);
            }
        }
        // A catch-all subtable (empty mask): its best rule.
        List<OfRule> all = st.rules.get(new Key(new long[OfField.WORDS]));
        return all == null ? null : all.get(0);
    }
}
