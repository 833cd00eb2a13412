package org.jvswitch.vsctl.internal;

/**
 * JSON text the way Open vSwitch's lib/json.c writes it: strings escape only {@code "}, {@code \}
 * and control characters (others, including non-ASCII, stay as they are); reals use %.15g.
 */
final class JsonText {
    private JsonText() {
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendQuoted(out, s);
        return out.toString();
    }

    static void appendQuoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String real(double d) {
        return CFormat.g(d);
    }
}
