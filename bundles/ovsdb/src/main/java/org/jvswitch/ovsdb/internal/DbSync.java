package org.jvswitch.ovsdb.internal;

import java.util.Locale;

/**
 * When commits are forced to disk (fdatasync), from framework property {@value #PROPERTY}.
 * Either way every commit is written to the log before its reply, so it survives the switch
 * being killed; the difference is a machine crash or power loss.
 */
public enum DbSync {
    /** Every commit is on disk before its reply (the default; commits in flight together share one fdatasync). */
    ALWAYS,
    /**
     * As ovsdb-server: only a transaction whose {@code commit} operation says {@code "durable": true}
     * waits for an fdatasync; the others are in the kernel's page cache when they are acknowledged.
     */
    DURABLE;

    public static final String PROPERTY = "jvswitch.db.sync";

    /** {@code always} or {@code durable}; null or blank is {@link #ALWAYS}. IllegalArgumentException otherwise. */
    public static DbSync parse(String text) {
        if (text == null || text.isBlank()) {
            return ALWAYS;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "durable" -> DURABLE;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + text.strip()
                    + ": expected \"always\" or \"durable\"");
        };
    }
}
