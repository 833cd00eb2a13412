package org.jvswitch.vsctl.internal;

import java.util.UUID;

/** UUID text as Open vSwitch reads it (lib/uuid.c): exactly 36 characters, hex digits of either case. */
final class Uuids {
    private static final String TEMPLATE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

    private Uuids() {
    }

    /** uuid_from_string: the UUID, or null. ({@link UUID#fromString} accepts shorter groups.) */
    static UUID parse(String s) {
        if (s.length() != TEMPLATE.length() || partialLength(s) != TEMPLATE.length()) {
            return null;
        }
        return UUID.fromString(s);
    }

    /** uuid_is_partial_string: the length of s if it is a prefix of some UUID's text, else 0. */
    static int partialLength(String s) {
        if (s.length() > TEMPLATE.length()) {
            return 0;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (TEMPLATE.charAt(i) == 'x' ? Character.digit(c, 16) < 0 || c > 'f' : c != '-') {
                return 0;
            }
        }
        return s.length();
    }
}
