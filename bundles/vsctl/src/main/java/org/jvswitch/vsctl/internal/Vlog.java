package org.jvswitch.vsctl.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The warnings ovs-vsctl writes to stderr through its log (lib/vlog.c console format
 * {@code %D{%Y-%m-%dT%H:%M:%SZ}|%05N|%c|%p|%m}). The sequence number starts at 2 for commands that
 * may write, because ovs-vsctl's first message ("Called as ...") goes to syslog only.
 */
final class Vlog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder stderr;
    private int sequence;

    Vlog(StringBuilder stderr, boolean mightWrite) {
        this.stderr = stderr;
        this.sequence = mightWrite ? 1 : 0;
    }

    void warn(String module, String message) {
        sequence++;
        stderr.append(TIME.format(Instant.now())).append('|').append(String.format("%05d", sequence)).append('|')
                .append(module).append("|WARN|").append(message).append('\n');
    }
}
