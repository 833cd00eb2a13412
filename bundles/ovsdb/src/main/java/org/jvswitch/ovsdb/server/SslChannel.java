package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TLS connection seen as the byte channel {@link JsonRpcConnection} reads and writes: JSSE's
 * blocking socket layered over an accepted or connected tcp channel. Reads and writes may run on
 * two threads at once, as on a plain socket. Used from virtual threads, so blocking is cheap.
 */
final class SslChannel implements ByteChannel {
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private SslChannel(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Runs the handshake on {@code tcp} (blocking, at most 10 s), as the server when
     * {@code server}, else as the client; the peer must present a certificate our CA file
     * trusts. IOException (the channel closed) if it fails.
     */
    static SslChannel handshake(SocketChannel tcp, SSLContext context, boolean server) throws IOException {
        SSLSocket s = null;
        try {
            tcp.configureBlocking(true);
            var plain = tcp.socket();
            s = server
                    ? (SSLSocket) context.getSocketFactory().createSocket(plain, null, true)
                    : (SSLSocket) context.getSocketFactory().createSocket(plain,
                            plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            s.setUseClientMode(!server);
            if (server) {
                s.setNeedClientAuth(true);
            }
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            s.startHandshake();
            s.setSoTimeout(0);
            return new SslChannel(s);
        } catch (IOException | RuntimeException e) {
            try {
                if (s != null) {
                    s.close();
                }
                tcp.close();
            } catch (IOException ce) {
                e.addSuppressed(ce);
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        byte[] b = new byte[dst.remaining()];
        int n = in.read(b);
        if (n > 0) {
            dst.put(b, 0, n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.limit());
        } else {
            byte[] b = new byte[n];
            src.get(b);
            out.write(b);
        }
        out.flush();
        return n;
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
