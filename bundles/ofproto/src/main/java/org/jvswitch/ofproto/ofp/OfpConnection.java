package org.jvswitch.ofproto.ofp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow connection on a stream socket: sends HELLO at once, frames incoming messages by
 * their header's length, hands them to an {@link OfpSession} and writes its replies. A header whose
 * length is below 8 leaves no way to find the next message: it is answered with OFPBRC_BAD_LEN and
 * the connection is closed (Open vSwitch closes it without a word).
 */
final class OfpConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OfpConnection.class);

    private final String name;
    private final SocketChannel channel;
    private final OfpSession session;

    OfpConnection(String name, SocketChannel channel, SwitchView sw) {
        this.name = name;
        this.channel = channel;
        this.session = new OfpSession(sw);
    }

    @Override
    public void run() {
        try (channel) {
            write(session.hello());
            ByteBuffer header = ByteBuffer.allocate(Ofp.HEADER_LEN);
            while (!session.closed()) {
                header.clear();
                if (!readFully(header, true)) {
                    return;                         // orderly close by the peer
                }
                int length = header.getShort(2) & 0xffff;
                if (length < Ofp.HEADER_LEN) {
                    LOG.debug("{}: message length {} below the header's; closing", name, length);
                    int v = session.version() == 0 ? Ofp.V10 : session.version();
                    write(OfpCodec.error(v, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN, header.array().clone()));
                    return;
                }
                byte[] m = new byte[length];
                System.arraycopy(header.array(), 0, m, 0, Ofp.HEADER_LEN);
                ByteBuffer body = ByteBuffer.wrap(m, Ofp.HEADER_LEN, length - Ofp.HEADER_LEN);
                readFully(body, false);
                List<byte[]> replies;
                try {
                    replies = session.receive(m);
                } catch (RuntimeException e) {
                    // A bug, not the peer's fault: keep the connection, tell the peer.
                    LOG.error("{}: failed handling OpenFlow message type {}", name, OfpCodec.type(m), e);
                    int v = session.version() == 0 ? Ofp.V10 : session.version();
                    replies = List.of(OfpCodec.error(v, Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, m));
                }
                for (byte[] r : replies) {
                    write(r);
                }
            }
        } catch (EOFException e) {
            LOG.debug("{}: connection closed in the middle of a message", name);
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.toString());
        }
    }

    /** Fills {@code b}; false on end of stream before the first byte if {@code eofOk}. */
    private boolean readFully(ByteBuffer b, boolean eofOk) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                if (first && eofOk) {
                    return false;
                }
                throw new EOFException();
            }
            first = false;
        }
        return true;
    }

    private void write(byte[] m) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(m);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
