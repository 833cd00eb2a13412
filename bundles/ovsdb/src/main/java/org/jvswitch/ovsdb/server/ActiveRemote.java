package org.jvswitch.ovsdb.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An active manager target, {@code tcp:IP:PORT}, {@code ssl:IP:PORT} or {@code unix:PATH}: the server connects out to
 * the manager and serves the database on that connection (the manager is the client), as
 * ovsdb-server does for {@code ovs-vsctl set-manager tcp:...}. When the connection ends it
 * connects again after 1 s; failed attempts back off from 1 s doubling up to 8 s (reconnect.c's
 * defaults), until closed. Runs on a virtual thread of its own.
 */
final class ActiveRemote implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveRemote.class);
    private static final long MIN_BACKOFF_MS = 1000;
    private static final long MAX_BACKOFF_MS = 8000;

    private final String target;
    private final SocketAddress address;
    private final Thread thread;
    private volatile boolean closed;
    private volatile SocketChannel current;

    /** True for the targets this class serves. */
    static boolean isActive(String target) {
        return target.startsWith("tcp:") || target.startsWith("ssl:") || target.startsWith("unix:");
    }

    /**
     * Starts connecting to {@code target}; {@code serve} runs a session on each connection made
     * and runs the {@code ended} callback it is given when that session ends.
     */
    ActiveRemote(String target, Serve serve) {
        this.target = target;
        this.address = parse(target);
        this.thread = Thread.ofVirtual().name("ovsdb-manager " + target).start(() -> loop(serve));
    }

    /** Runs a session on a connected channel; {@code ended} is called once the session is over. */
    interface Serve {
        void serve(SocketChannel channel, Runnable ended);
    }

    /** {@code tcp:IP:PORT} (an IPv6 address in brackets) or {@code unix:PATH}; IllegalArgumentException otherwise. */
    static SocketAddress parse(String target) {
        if (target.startsWith("unix:") && target.length() > 5) {
            return UnixDomainSocketAddress.of(target.substring(5));
        }
        if (target.startsWith("tcp:") || target.startsWith("ssl:")) {
            String rest = target.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon > 0) {
                String host = rest.substring(0, colon).replaceAll("^\\[|\\]$", "");
                try {
                    int port = Integer.parseInt(rest.substring(colon + 1));
                    if (port > 0 && port < 65536) {
                        return new InetSocketAddress(InetAddress.getByName(host), port);
                    }
                } catch (NumberFormatException | IOException e) {
                    // fall through to the error
                }
            }
        }
        throw new IllegalArgumentException(target + ": unsupported manager target (use tcp:IP:PORT, ssl:IP:PORT or unix:PATH)");
    }

    private void loop(Serve serve) {
        long backoff = MIN_BACKOFF_MS;
        while (!closed) {
            SocketChannel ch = null;
            try {
                ch = address instanceof UnixDomainSocketAddress
                        ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                current = ch;
                ch.connect(address);
                LOG.info("{}: connected", target);
                backoff = MIN_BACKOFF_MS;
                CountDownLatch ended = new CountDownLatch(1);
                serve.serve(ch, ended::countDown);
                while (!closed && !ended.await(500, TimeUnit.MILLISECONDS)) {
                    // serving
                }
                if (!closed) {
                    // A manager that accepts and hangs up at once is not hammered: wait first.
                    LOG.info("{}: connection closed, reconnecting in {} s", target, MIN_BACKOFF_MS / 1000);
                    if (!sleep(MIN_BACKOFF_MS)) {
                        return;
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.info("{}: connection attempt failed ({}), retrying in {} s", target, e.getMessage(),
                            backoff / 1000);
                }
                closeQuietly(ch);
                if (!sleep(backoff)) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(current);
        thread.interrupt();
    }
}
