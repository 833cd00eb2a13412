/**
 * The OVSDB wire protocol server: RFC 7047 JSON-RPC with Open vSwitch's extensions, the protocol
 * Debian's ovs-vsctl and ovsdb-client speak; private to the bundle.
 *
 * <p>Where things are, by Open vSwitch file:
 * <ul>
 * <li>{@link org.jvswitch.ovsdb.server.OvsdbServer} — the DS component: remotes, accepting
 * connections (ovsdb-server.c); {@link org.jvswitch.ovsdb.server.ServerConfig},
 * {@link org.jvswitch.ovsdb.server.Remote}, {@link org.jvswitch.ovsdb.server.Listener} — punix/ptcp
 * (stream-unix.c, stream-tcp.c).</li>
 * <li>{@link org.jvswitch.ovsdb.server.JsonRpcConnection}, {@link org.jvswitch.ovsdb.server.MessageReader},
 * {@link org.jvswitch.ovsdb.server.JsonRpcMessage} — framing, JSON-RPC messages, inactivity probes
 * (lib/jsonrpc.c, lib/reconnect.c).</li>
 * <li>{@link org.jvswitch.ovsdb.server.Session} — one client's requests, monitors, pending transactions
 * and locks (ovsdb/jsonrpc-server.c); {@link org.jvswitch.ovsdb.server.Locks} (ovsdb/server.c);
 * {@link org.jvswitch.ovsdb.server.Triggers} (ovsdb/trigger.c).</li>
 * <li>{@link org.jvswitch.ovsdb.server.Monitor}, {@link org.jvswitch.ovsdb.server.MonitorTable},
 * {@link org.jvswitch.ovsdb.server.MonitorHub} — update, update2, update3 and the transaction history
 * for monitor_cond_since (ovsdb/monitor.c).</li>
 * <li>{@link org.jvswitch.ovsdb.server.ServerDatabase} — the {@code _Server} database.</li>
 * </ul>
 *
 * <p>Threads: one virtual thread reads and handles each connection's requests in order, another
 * writes its queued output; commits notify monitors on the committing thread (so updates are
 * queued before the reply to the transaction that caused them); one virtual thread per database
 * retries transactions whose "wait" is pending.
 */
package org.jvswitch.ovsdb.server;
