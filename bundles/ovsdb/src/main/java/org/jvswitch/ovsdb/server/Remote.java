package org.jvswitch.ovsdb.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * A passive remote as ovsdb-server's {@code --remote} names it: {@code punix:PATH} or
 * {@code ptcp:PORT[:IP]} or {@code pssl:PORT[:IP]} (loopback when no address is given, unlike
 * Open vSwitch, which binds to every address: a database on the network must be asked for
 * explicitly).
 */
sealed interface Remote {
    /** The text it was parsed from, normalized. */
    String name();

    record Unix(Path path) implements Remote {
        @Override
        public String name() {
            return "punix:" + path;
        }
    }

    /** ptcp:, or pssl: when {@code ssl}: a tcp listener, with TLS on every connection for pssl. */
    record Tcp(InetSocketAddress address, boolean ssl) implements Remote {
        @Override
        public String name() {
            String host = address.getAddress().getHostAddress();
            return (ssl ? "pssl:" : "ptcp:") + address.getPort() + ":" + (host.contains(":") ? "[" + host + "]" : host);
        }
    }

    /** Parses one remote; IllegalArgumentException says what is wrong. */
    static Remote parse(String text) {
        String s = text.strip();
        if (s.startsWith("punix:")) {
            String path = s.substring("punix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException(text + ": punix needs a path");
            }
            return new Unix(Path.of(path));
        }
        if (s.startsWith("ptcp:") || s.startsWith("pssl:")) {
            boolean ssl = s.startsWith("pssl:");
            String rest = s.substring("ptcp:".length());
            int colon = rest.indexOf(':');
            String portText = colon < 0 ? rest : rest.substring(0, colon);
            String host = colon < 0 ? "" : rest.substring(colon + 1);
            int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(text + ": bad port \"" + portText + "\"");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(text + ": port out of range");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                InetAddress address = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
                return new Tcp(new InetSocketAddress(address, port), ssl);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(text + ": unknown host \"" + host + "\"");
            }
        }
        throw new IllegalArgumentException(text + ": unsupported remote (use punix:PATH, ptcp:PORT[:IP] or pssl:PORT[:IP])");
    }
}
