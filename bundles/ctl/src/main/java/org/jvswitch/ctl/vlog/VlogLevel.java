package org.jvswitch.ctl.vlog;

import java.util.Locale;
import java.util.Map;

/**
 * Translation between Open vSwitch's level names (lib/vlog.c: OFF, EMER, ERR, WARN, INFO, DBG) and
 * logback's (OFF, ERROR, WARN, INFO, DEBUG, TRACE, ALL). EMER has no logback counterpart and becomes
 * ERROR. Logback's own names are accepted too, so Java users can say "debug" or "trace".
 */
public final class VlogLevel {
    private static final Map<String, String> TO_LOGBACK = Map.of(
            "off", "OFF",
            "emer", "ERROR",
            "err", "ERROR",
            "error", "ERROR",
            "warn", "WARN",
            "info", "INFO",
            "dbg", "DEBUG",
            "debug", "DEBUG",
            "trace", "TRACE");

    private static final Map<String, String> TO_VLOG = Map.of(
            "OFF", "OFF",
            "ERROR", "ERR",
            "WARN", "WARN",
            "INFO", "INFO",
            "DEBUG", "DBG",
            "TRACE", "DBG",
            "ALL", "DBG");

    private VlogLevel() {
    }

    /** @return the logback level name for an OVS (or logback) level word, or null if it is not one */
    public static String toLogback(String word) {
        return TO_LOGBACK.get(word.toLowerCase(Locale.ROOT));
    }

    /** @return the OVS name shown by vlog/list for a logback level name */
    public static String toVlog(String logbackLevel) {
        return TO_VLOG.getOrDefault(logbackLevel.toUpperCase(Locale.ROOT), logbackLevel);
    }
}
