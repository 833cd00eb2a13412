package org.jvswitch.ovsdb.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read from a connection and refuses to read past a limit, so that one huge
 * message costs at most that much memory: the reader moves the limit forward after each message.
 */
final class BoundedInputStream extends FilterInputStream {
    /** Thrown when a message would exceed the limit; the connection is then closed. */
    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong(String message) {
            super(message);
        }
    }

    private long count;
    private long limit = Long.MAX_VALUE;
    private String why = "";

    BoundedInputStream(InputStream in) {
        super(in);
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    /** Reading past {@code absolute} bytes fails with {@link TooLong} carrying {@code why}. */
    void limit(long absolute, String why) {
        this.limit = absolute;
        this.why = why;
    }

    @Override
    public int read() throws IOException {
        check(1);
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = (int) Math.min(len, check(len));
        int r = super.read(b, off, n);
        if (r > 0) {
            count += r;
        }
        return r;
    }

    private long check(int wanted) throws TooLong {
        long room = limit - count;
        if (room <= 0 && wanted > 0) {
            throw new TooLong(why);
        }
        return room;
    }

    @Override
    public long skip(long n) throws IOException {
        long r = super.skip(Math.min(n, check((int) Math.min(n, Integer.MAX_VALUE))));
        count += r;
        return r;
    }
}
