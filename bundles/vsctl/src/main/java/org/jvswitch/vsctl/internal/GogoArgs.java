package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the arguments Gogo hands a command back into ovs-vsctl words. Gogo parses some of
 * ovs-vsctl's syntax as its own: {@code trunks=[1,2]} arrives as the word {@code trunks=} followed
 * by a list, and {@code [a=b]} as a map. Such a list or map is written back in brackets and joined
 * to the word before it when that word ends in '=', ':' or '}' (as in {@code name{in}[a,b]}), since
 * in ovs-vsctl syntax a value never starts a new word there.
 */
final class GogoArgs {
    private GogoArgs() {
    }

    static List<String> words(List<Object> args) {
        List<String> words = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof List<?> || a instanceof Map<?, ?>) {
                String text = text(a);
                int last = words.size() - 1;
                if (last >= 0 && endsWithJoiner(words.get(last))) {
                    words.set(last, words.get(last) + text);
                } else {
                    words.add(text);
                }
            } else {
                words.add(String.valueOf(a));
            }
        }
        return words;
    }

    private static boolean endsWithJoiner(String w) {
        return w.endsWith("=") || w.endsWith(":") || w.endsWith("}");
    }

    private static String text(Object a) {
        if (a instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(text(o));
            }
            return "[" + String.join(" ", parts) + "]";
        }
        if (a instanceof Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                parts.add(text(e.getKey()) + "=" + text(e.getValue()));
            }
            return "[" + String.join(" ", parts) + "]";
        }
        return String.valueOf(a);
    }
}
