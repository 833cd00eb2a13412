package org.jvswitch.netdev.dpdk;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPDK's log, into the switch's log (Open vSwitch's {@code dpdk_log_write}): DPDK writes to a
 * pipe (rte_openlog_stream), a Java thread reads it line by line. No upcall runs on DPDK's
 * threads, so a DPDK thread logging can never stall on the JVM. The newest lines are kept so that
 * a failure can quote what DPDK said.
 */
final class DpdkLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dpdk");
    private static final Pattern ERROR = Pattern.compile("(?i)(error|cannot|fail|fatal|invalid|not supported|unable)");
    private static final String MARK = "jvswitch-dpdk-log-mark";
    private static final int KEEP = 64;

    private final Dpdk dpdk;
    private final MemorySegment file;
    private final Thread reader;
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private long marksSeen;

    DpdkLog(Dpdk dpdk) throws IOException {
        this.dpdk = dpdk;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(ValueLayout.JAVA_INT, 2);
            if ((int) dpdk.pipe.invokeExact(fds) != 0) {
                throw new IOException("pipe() failed");
            }
            int rfd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int wfd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            MemorySegment f = (MemorySegment) dpdk.fdopen.invokeExact(wfd, a.allocateFrom("w"));
            // Line buffered: each message reaches the log as it is written.
            int rc = (int) dpdk.setvbuf.invokeExact(f, MemorySegment.NULL, 1 /* _IOLBF */, 0L);
            this.file = f;
            FileInputStream in = new FileInputStream("/proc/self/fd/" + rfd);
            int ignored = (int) dpdk.close.invokeExact(rfd);
            this.reader = new Thread(() -> read(in), "dpdk-log");
            this.reader.setDaemon(true);
            this.reader.start();
            int set = (int) dpdk.openlogStream.invokeExact(f);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("could not redirect DPDK's log", t);
        }
    }

    private void read(FileInputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals(MARK)) {
                    synchronized (this) {
                        marksSeen++;
                        notifyAll();
                    }
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                synchronized (this) {
                    if (recent.size() == KEEP) {
                        recent.removeFirst();
                    }
                    recent.addLast(line.strip());
                }
                if (ERROR.matcher(line).find()) {
                    LOG.warn("{}", line.strip());
                } else {
                    LOG.info("{}", line.strip());
                }
            }
        } catch (IOException e) {
            LOG.debug("DPDK log reader ended: {}", e.toString());
        }
    }

    /** Waits (briefly) until everything DPDK logged so far has been read. */
    void sync() {
        long want;
        synchronized (this) {
            want = marksSeen + 1;
        }
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) dpdk.fputs.invokeExact(a.allocateFrom(MARK + "\n"), file);
            rc = (int) dpdk.fflush.invokeExact(file);
        } catch (Throwable t) {
            return;
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        synchronized (this) {
            while (marksSeen < want && System.nanoTime() < deadline) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Lines logged since {@code mark()} returned {@code from}, oldest first. */
    synchronized List<String> recent() {
        return new ArrayList<>(recent);
    }

    synchronized void clearRecent() {
        recent.clear();
    }

    /** The last error-looking line among {@code lines}, or null. */
    static String lastError(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (ERROR.matcher(lines.get(i)).find()) {
                return lines.get(i);
            }
        }
        return null;
    }

    /** Points DPDK back at its default stream and ends the reader (bundle stop). */
    @Override
    public void close() {
        try {
            int rc = (int) dpdk.openlogStream.invokeExact(MemorySegment.NULL);
            rc = (int) dpdk.fclose.invokeExact(file);
        } catch (Throwable t) {
            LOG.debug("closing DPDK's log stream: {}", t.toString());
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
