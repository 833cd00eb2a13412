import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * Small-update throughput client for any OVSDB server (jvswitch or Debian's ovsdb-server), over a
 * unix socket, no dependencies: {@code java TxnClient SOCKET CONNECTIONS WARMUP_S MEASURE_S}.
 *
 * <p>Each connection sends one JSON-RPC {@code transact} at a time (wait for the reply, send the
 * next): an {@code update} of {@code Open_vSwitch.next_cfg} (where [], so the one root row), a
 * small transaction like the ones ovs-vsctl and ovs-vswitchd send. Replies with an error count as
 * failures. Echo requests from the server are answered. Prints
 * {@code conns=N txn_per_s=X p50_ms=Y p99_ms=Z errors=E}.
 */
public final class TxnClient {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: TxnClient SOCKET CONNECTIONS WARMUP_S MEASURE_S");
            System.exit(2);
        }
        UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(args[0]);
        int conns = Integer.parseInt(args[1]);
        long warmupNs = (long) (Double.parseDouble(args[2]) * 1e9);
        long measureNs = (long) (Double.parseDouble(args[3]) * 1e9);
        CyclicBarrier start = new CyclicBarrier(conns);
        long[][] latencies = new long[conns][];
        long[] errors = new long[conns];
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int c = 0; c < conns; c++) {
            int conn = c;
            Thread t = new Thread(() -> {
                try (Conn k = new Conn(addr)) {
                    start.await();
                    long t0 = System.nanoTime();
                    long measureFrom = t0 + warmupNs;
                    long end = measureFrom + measureNs;
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    long seq = 0;
                    while (true) {
                        long s = System.nanoTime();
                        if (s >= end) {
                            break;
                        }
                        String reply = k.transact("[\"Open_vSwitch\",{\"op\":\"update\",\"table\":\"Open_vSwitch\","
                                + "\"where\":[],\"row\":{\"next_cfg\":" + (conn * 100_000_000L + ++seq) + "}}]");
                        long e = System.nanoTime();
                        if (s >= measureFrom) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = e - s;
                            if (reply.contains("\"error\":{") || reply.contains("\"error\":\"")
                                    || !reply.contains("\"count\":1")) {
                                errors[conn]++;
                            }
                        }
                    }
                    latencies[conn] = Arrays.copyOf(lat, n);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a connection failed", failure[0]);
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        long errs = Arrays.stream(errors).sum();
        double tps = all.length / (measureNs / 1e9);
        System.out.printf("conns=%d txn_per_s=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d%n", conns, tps,
                pct(all, 0.50) / 1e6, pct(all, 0.99) / 1e6, errs);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    /** One JSON-RPC connection; frames JSON texts by counting brackets outside strings. */
    static final class Conn implements AutoCloseable {
        private final SocketChannel ch;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        private final ByteArrayOutputStream msg = new ByteArrayOutputStream();
        private int depth;
        private boolean inString;
        private boolean escape;
        private long id;

        Conn(UnixDomainSocketAddress addr) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(addr);
            in.flip();
        }

        String transact(String params) throws IOException {
            String myId = Long.toString(++id);
            send("{\"id\":" + myId + ",\"method\":\"transact\",\"params\":" + params + "}");
            while (true) {
                String m = next();
                if (m.contains("\"method\":\"echo\"")) {
                    int i = m.indexOf("\"id\":");
                    String echoId = m.substring(i + 5, m.indexOf(m.charAt(i + 5) == '"' ? '"' : ',', i + 6)
                            + (m.charAt(i + 5) == '"' ? 1 : 0));
                    send("{\"id\":" + echoId + ",\"result\":[],\"error\":null}");
                    continue;
                }
                if (m.contains("\"id\":" + myId + ",") || m.contains("\"id\":" + myId + "}")) {
                    return m;
                }
            }
        }

        void send(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        String next() throws IOException {
            while (true) {
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (depth == 0 && b != '{' && b != '[') {
                        continue; // whitespace between texts
                    }
                    msg.write(b);
                    if (inString) {
                        if (escape) {
                            escape = false;
                        } else if (b == '\\') {
                            escape = true;
                        } else if (b == '"') {
                            inString = false;
                        }
                    } else if (b == '"') {
                        inString = true;
                    } else if (b == '{' || b == '[') {
                        depth++;
                    } else if (b == '}' || b == ']') {
                        if (--depth == 0) {
                            String m = msg.toString(StandardCharsets.UTF_8);
                            msg.reset();
                            return m;
                        }
                    }
                }
                in.clear();
                if (ch.read(in) < 0) {
                    throw new IOException("server closed the connection");
                }
                in.flip();
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
