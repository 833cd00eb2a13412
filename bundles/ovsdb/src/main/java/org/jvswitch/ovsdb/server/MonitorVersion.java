package org.jvswitch.ovsdb.server;

/** The three monitor flavours and the notification each sends (ovsdb_monitor_version). */
enum MonitorVersion {
    /** RFC 7047 "monitor": {@code update} with "old"/"new" rows. */
    V1("update"),
    /** "monitor_cond": {@code update2} with initial/insert/delete/modify diffs, conditions. */
    V2("update2"),
    /** "monitor_cond_since": {@code update3}, like update2 plus the transaction id. */
    V3("update3");

    final String notification;

    MonitorVersion(String notification) {
        this.notification = notification;
    }
}
