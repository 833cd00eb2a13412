package org.jvswitch.vsctl.internal;

import java.util.List;
import java.util.Map;

/**
 * Writes a JSON tree as lib/json.c's json_to_ds does, including its --pretty layout: two spaces
 * per level, each member and element on its own line, closing brackets right after the last one.
 * The tree is made of {@link Raw} scalars (already JSON text), lists (arrays) and maps (objects,
 * written in the map's order).
 */
final class JsonWriter {
    /** A scalar, as JSON text. */
    record Raw(String text) {
    }

    private final boolean pretty;
    private final StringBuilder out = new StringBuilder();
    private int depth;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static String write(Object json, boolean pretty) {
        JsonWriter w = new JsonWriter(pretty);
        w.value(json);
        return w.out.toString();
    }

    private void indentLine() {
        if (pretty) {
            out.append('\n').append("  ".repeat(depth));
        }
    }

    private void value(Object json) {
        if (json instanceof Raw r) {
            out.append(r.text());
        } else if (json instanceof List<?> list) {
            out.append('[');
            depth++;
            if (!list.isEmpty()) {
                indentLine();
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                        indentLine();
                    }
                    value(list.get(i));
                }
            }
            depth--;
            out.append(']');
        } else if (json instanceof Map<?, ?> map) {
            out.append('{');
            depth++;
            indentLine();
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (i++ > 0) {
                    out.append(',');
                    indentLine();
                }
                JsonText.appendQuoted(out, String.valueOf(e.getKey()));
                out.append(':');
                if (pretty) {
                    out.append(' ');
                }
                value(e.getValue());
            }
            out.append('}');
            depth--;
        } else {
            throw new IllegalArgumentException("not JSON: " + json);
        }
    }
}
