import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Monitor fan-out for any OVSDB server, over a unix socket: {@code java MonitorClient.java SOCKET
 * CLIENTS COMMITS} (runs with TxnClient.java beside it, whose connection class it uses).
 *
 * <p>CLIENTS connections each {@code monitor_cond} the {@code Open_vSwitch} table's
 * {@code next_cfg}, as ovs-vsctl and every ovs-vswitchd does; then one more connection commits
 * COMMITS updates of next_cfg, one at a time. Measured: from the first commit to the moment the
 * last client has received the last value. A server may fold several changes into one update
 * for a client that lags (ovsdb-server does), so updates received are counted too. Prints
 * {@code clients=N commits=C seconds=S updates_per_s=U received=R}, U being CLIENTS x COMMITS / S.
 */
public final class MonitorClient {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MonitorClient SOCKET CLIENTS COMMITS");
            System.exit(2);
        }
        UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(args[0]);
        int clients = Integer.parseInt(args[1]);
        int commits = Integer.parseInt(args[2]);
        long base = System.nanoTime() % 1_000_000_000L * 10;
        String last = "\"next_cfg\":" + (base + commits);
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong lastArrival = new AtomicLong();
        AtomicLong received = new AtomicLong();
        List<TxnClient.Conn> conns = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            TxnClient.Conn k = new TxnClient.Conn(addr);
            conns.add(k);
            k.send("{\"id\":\"m\",\"method\":\"monitor_cond\",\"params\":[\"Open_vSwitch\",null,"
                    + "{\"Open_vSwitch\":[{\"columns\":[\"next_cfg\"]}]}]}");
            while (!k.next().contains("\"id\":\"m\"")) {
                // an echo or an early update before the reply: not counted
            }
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        String m = k.next();
                        if (m.contains("\"method\":\"echo\"")) {
                            k.send(m.replace("\"method\":\"echo\"", "\"result\":[]").replace("\"params\":[]", "\"error\":null"));
                            continue;
                        }
                        if (m.contains("\"update2\"")) {
                            received.incrementAndGet();
                            if (m.contains(last)) {
                                lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
                                done.countDown();
                                return;
                            }
                        }
                    }
                } catch (Exception e) {
                    System.err.println("monitor client: " + e);
                }
            });
        }
        try (TxnClient.Conn writer = new TxnClient.Conn(addr)) {
            long t0 = System.nanoTime();
            for (int i = 1; i <= commits; i++) {
                String reply = writer.transact("[\"Open_vSwitch\",{\"op\":\"update\",\"table\":\"Open_vSwitch\","
                        + "\"where\":[],\"row\":{\"next_cfg\":" + (base + i) + "}}]");
                if (!reply.contains("\"count\":1")) {
                    throw new IllegalStateException("commit failed: " + reply);
                }
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(done.getCount() + " clients never got the last update");
            }
            double s = (lastArrival.get() - t0) / 1e9;
            System.out.printf("clients=%d commits=%d seconds=%.3f updates_per_s=%.0f received=%d%n", clients, commits,
                    s, clients * (double) commits / s, received.get());
        }
        for (TxnClient.Conn k : conns) {
            k.close();
        }
    }
}
