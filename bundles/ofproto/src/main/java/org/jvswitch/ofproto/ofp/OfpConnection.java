package org.jvswitch.ofproto.ofp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow connection on a stream socket: sends HELLO at once, frames incoming messages by
 * their header's length, hands them to an {@link OfpSession} and writes its replies. A header whose
 * length is below 8 leaves no way to find the next message: it is answered with OFPBRC_BAD_LEN and
 * the connection is closed (Open vSwitch closes it without a word).
 *
 * <p>Asynchronous messages (packet-ins) are queued by datapath threads with {@link #offer}, which
 * never blocks (a full queue drops and counts), and written by the connection's own writer thread.
 * A controller connection is probed with ECHO_REQUEST after {@code probeMillis} of silence and
 * closed when another interval passes without a word back, as Open vSwitch's rconn does.
 */
final class OfpConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OfpConnection.class);
    static final int ASYNC_QUEUE = 512;

    private final String name;
    private final SocketChannel channel;
    final OfpSession session;
    private final int probeMillis;
    private final BlockingQueue<byte[]> async = new ArrayBlockingQueue<>(ASYNC_QUEUE);
    private final Object writeLock = new Object();
    private volatile long lastReceived = System.currentTimeMillis();
    private volatile boolean done;
    /** Gets a copy of every message this connection receives and sends (snoopers), or null. */
    volatile java.util.function.Consumer<byte[]> snoop;

    OfpConnection(String name, SocketChannel channel, OfpSession session, int probeMillis) {
        this.name = name;
        this.channel = channel;
        this.session = session;
        this.probeMillis = probeMillis;
    }

    String name() {
        return name;
    }

    /** Asynchronous messages waiting to be written. */
    int backlog() {
        return async.size();
    }

    /** Queues an asynchronous message; never blocks. Returns false if it was dropped. */
    boolean offer(byte[] m) {
        if (done || !async.offer(m)) {
            LOG.debug("{}: asynchronous message dropped, the peer reads too slowly", name);
            return false;
        }
        return true;
    }

    @Override
    public void run() {
        Thread writer = Thread.ofVirtual().name("ofp-tx-" + name).start(this::writeLoop);
        try (channel) {
            write(session.hello());
            // Every message of one read is handled before the replies go out and before flow
            // table changes are published: a file of flow_mods costs one publication per read.
            ByteBuffer in = ByteBuffer.allocate(Ofp.MAX_LEN + 1);
            while (!session.closed()) {
                if (channel.read(in) < 0) {
                    if (in.position() > 0) {
                        throw new EOFException();
                    }
                    return;                         // orderly close by the peer
                }
                lastReceived = System.currentTimeMillis();
                in.flip();
                List<byte[]> replies = new java.util.ArrayList<>();
                boolean badLength = false;
                session.holdTables();
                try {
                    while (in.remaining() >= Ofp.HEADER_LEN && !session.closed()) {
                        int length = in.getShort(in.position() + 2) & 0xffff;
                        if (length < Ofp.HEADER_LEN) {
                            LOG.debug("{}: message length {} below the header's; closing", name, length);
                            int v = session.version() == 0 ? Ofp.V10 : session.version();
                            byte[] header = new byte[Ofp.HEADER_LEN];
                            in.get(header);
                            replies.add(OfpCodec.error(v, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN, header));
                            badLength = true;
                            break;
                        }
                        if (in.remaining() < length) {
                            break;
                        }
                        byte[] m = new byte[length];
                        in.get(m);
                        if (snoop != null) {
                            snoop.accept(m);
                        }
                        try {
                            replies.addAll(session.receive(m));
                        } catch (RuntimeException e) {
                            // A bug, not the peer's fault: keep the connection, tell the peer.
                            LOG.error("{}: failed handling OpenFlow message type {}", name, OfpCodec.type(m), e);
                            int v = session.version() == 0 ? Ofp.V10 : session.version();
                            replies.add(OfpCodec.error(v, Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, m));
                        }
                    }
                } finally {
                    session.releaseTables();
                }
                for (byte[] r : replies) {
                    write(r);
                }
                if (badLength) {
                    return;
                }
                in.compact();
            }
        } catch (EOFException e) {
            LOG.debug("{}: connection closed in the middle of a message", name);
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.toString());
        } finally {
            done = true;
            writer.interrupt();
        }
    }

    /** Writes queued asynchronous messages; probes an idle controller connection. */
    private void writeLoop() {
        int xid = 0;
        long probeSent = 0;
        try {
            while (!done) {
                byte[] m = async.poll(probeMillis > 0 ? Math.min(probeMillis, 1000) : 1000, TimeUnit.MILLISECONDS);
                if (m != null) {
                    write(m);
                    if (async.isEmpty() && session.monitorsPaused()) {
                        for (byte[] r : session.resumeMonitors()) {
                            write(r);
                        }
                    }
                    continue;
                }
                if (probeMillis <= 0 || session.version() == 0) {
                    continue;
                }
                long now = System.currentTimeMillis();
                long idle = now - lastReceived;
                if (idle >= 2L * probeMillis) {
                    LOG.info("{}: no response to inactivity probe after {} seconds, disconnecting",
                            name, 2 * probeMillis / 1000);
                    close();
                    return;
                }
                if (idle >= probeMillis && probeSent < lastReceived) {
                    write(OfpCodec.simple(session.version(), Ofp.ECHO_REQUEST, --xid, new byte[0], 0, 0));
                    probeSent = now;
                }
            }
        } catch (InterruptedException e) {
            // the connection ended
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.toString());
            close();
        }
    }

    private void write(byte[] m) throws IOException {
        if (snoop != null) {
            snoop.accept(m);
        }
        synchronized (writeLock) {
            ByteBuffer b = ByteBuffer.wrap(m);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    boolean isDone() {
        return done;
    }

    void close() {
        done = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
