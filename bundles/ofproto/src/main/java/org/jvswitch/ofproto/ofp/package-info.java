/**
 * The OpenFlow connection layer: each bridge's management socket ({@link
 * org.jvswitch.ofproto.ofp.OfpListener}), one virtual thread per connection ({@code OfpConnection}),
 * and the protocol state machine without I/O ({@link org.jvswitch.ofproto.ofp.OfpSession}):
 * OpenFlow 1.0 and 1.3 negotiation, length checks, and the read-only requests ovs-ofctl's
 * {@code show}, {@code dump-ports}, {@code dump-ports-desc}, {@code dump-tables}, {@code dump-flows},
 * {@code dump-aggregate}, {@code dump-desc} and {@code probe} use. Requests that would change the
 * switch are refused with OFPBRC_EPERM until the flow tables take OpenFlow flows. Private to the
 * bundle; the bridge is seen only through {@link org.jvswitch.ofproto.ofp.SwitchView}.
 */
package org.jvswitch.ofproto.ofp;
