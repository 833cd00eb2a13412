package org.jvswitch.ctl.unixctl;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.jvswitch.ctl.json.JsonException;
import org.jvswitch.ctl.json.JsonReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the control socket, served on its own thread: read a request, run it, write the
 * reply, repeat until the client closes. Like unixctl_conn, it handles one request at a time.
 * Anything that is not a well-formed request closes just this connection.
 */
final class UnixctlConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(UnixctlConnection.class);

    private final String name;
    private final SocketChannel channel;
    private final CommandTable table;
    private final long maxMessageBytes;

    // Guarded by this: lets the server close idle connections at once but let a running command
    // finish and send its reply first (that is how "exit" gets its reply out while stopping us).
    private boolean busy;
    private boolean closing;

    UnixctlConnection(String name, SocketChannel channel, CommandTable table, long maxMessageBytes) {
        this.name = name;
        this.channel = channel;
        this.table = table;
        this.maxMessageBytes = maxMessageBytes;
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        LOG.debug("{}: accepted", name);
        try (channel) {
            JsonReader reader = new JsonReader(Channels.newInputStream(channel), maxMessageBytes);
            while (true) {
                Object json = reader.read();
                if (json == JsonReader.EOF) {
                    LOG.debug("{}: connection closed by peer", name);
                    return;
                }
                UnixctlRequest request = UnixctlRequest.fromJson(json);
                if (!beginRequest()) {
                    return;
                }
                boolean closeNow;
                try {
                    LOG.debug("{}: received request {}{}", name, request.method(), request.params());
                    UnixctlReply reply = CommandInvoker.dispatch(table, request.method(), request.params());
                    write(reply.toJson(request.id()));
                } finally {
                    closeNow = endRequest();
                }
                if (closeNow) {
                    return;
                }
            }
        } catch (JsonException e) {
            LOG.warn("{}: closing connection: {}", name, e.getMessage());
        } catch (EOFException e) {
            LOG.debug("{}: {}", name, e.getMessage());
        } catch (IOException e) {
            // The client went away or the server is closing: nothing to report to anyone.
            LOG.debug("{}: connection dropped: {}", name, e.toString());
        }
    }

    /** Closes the connection now if it is idle, or after the reply in progress has been written. */
    synchronized void requestClose() {
        closing = true;
        if (!busy) {
            closeChannel();
        }
    }

    /** Closes the connection even in the middle of a request (the grace period is over). */
    void forceClose() {
        closeChannel();
    }

    private synchronized boolean beginRequest() {
        if (closing) {
            return false;
        }
        busy = true;
        return true;
    }

    /** @return true if the server asked us to close while the request ran */
    private synchronized boolean endRequest() {
        busy = false;
        return closing;
    }

    private void write(String json) throws IOException {
        // lib/jsonrpc.c sends no delimiter; the newline only makes captures and logs readable.
        ByteBuffer out = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close failed: {}", name, e.toString());
        }
    }
}
