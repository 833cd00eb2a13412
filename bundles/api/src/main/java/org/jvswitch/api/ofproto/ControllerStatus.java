package org.jvswitch.api.ofproto;

import java.util.Map;

/**
 * What a bridge knows of one controller, for its {@code Controller} row: {@code is_connected},
 * {@code role} ("master", "slave" or "other"; null while not connected) and {@code status}
 * (state, sec_since_connect, sec_since_disconnect, last_error as Open vSwitch writes them).
 */
public record ControllerStatus(boolean connected, String role, Map<String, String> status) {
}
