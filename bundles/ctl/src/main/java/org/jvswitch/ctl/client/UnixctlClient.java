package org.jvswitch.ctl.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvswitch.ctl.json.JsonNumber;
import org.jvswitch.ctl.json.JsonReader;
import org.jvswitch.ctl.json.JsonWriter;

/**
 * A minimal ovs-appctl in Java, for machines without Open vSwitch's tools and for
 * {@code bin/jvswitch shell 'LINE'}. It needs nothing but the JDK and this jar:
 *
 * <pre>java -cp jvswitch-ctl.jar org.jvswitch.ctl.client.UnixctlClient SOCKET-OR-RUNDIR METHOD [ARG...]</pre>
 *
 * Given a directory it finds the socket as ovs-appctl does, through {@code ovs-vswitchd.pid}. The
 * result goes to stdout byte for byte; an error reply goes to stderr with exit status 2; failing to
 * reach or talk to the server exits with 1.
 */
public final class UnixctlClient {
    public static final int EXIT_OK = 0;
    public static final int EXIT_NO_CONNECTION = 1;
    public static final int EXIT_ERROR_REPLY = 2;

    private static final String PROGRAM = "ovs-vswitchd";
    private static final String NAME = "UnixctlClient";
    /** Replies can be long (a big flow dump), but not unbounded. */
    private static final long MAX_REPLY_BYTES = 1L << 30;

    private UnixctlClient() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Does what main() does and returns the exit status instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println("usage: " + NAME + " SOCKET-OR-RUNDIR METHOD [ARG...]");
            return EXIT_NO_CONNECTION;
        }
        Path socket;
        try {
            socket = socketPath(Path.of(args[0]));
        } catch (IOException e) {
            err.println(NAME + ": " + e.getMessage());
            return EXIT_NO_CONNECTION;
        }
        List<String> params = Arrays.asList(args).subList(2, args.length);
        Map<?, ?> reply;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                err.println(NAME + ": cannot connect to " + socket + " (" + reason(e) + ")");
                return EXIT_NO_CONNECTION;
            }
            reply = transact(channel, args[1], params);
        } catch (IOException e) {
            err.println(NAME + ": " + socket + ": transaction error (" + reason(e) + ")");
            return EXIT_NO_CONNECTION;
        }
        Object error = reply.get("error");
        if (error != null) {
            print(err, error instanceof String s ? s : JsonWriter.toJson(error) + "\n");
            return EXIT_ERROR_REPLY;
        }
        Object result = reply.get("result");
        print(out, result instanceof String s ? s : JsonWriter.toJson(result) + "\n");
        return EXIT_OK;
    }

    /**
     * A socket path is used as is; a directory is a run directory, where {@code ovs-vswitchd.pid}
     * names the server's pid and so its socket {@code ovs-vswitchd.PID.ctl}.
     */
    static Path socketPath(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return target;
        }
        Path pidFile = target.resolve(PROGRAM + ".pid");
        String pid;
        try {
            // Read-only and short-lived; this runs in its own JVM, so it cannot disturb the server's
            // fcntl lock on the file (which is process-wide).
            pid = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IOException("cannot read pidfile \"" + pidFile + "\" (" + reason(e) + ")");
        }
        if (!pid.matches("[1-9][0-9]*")) {
            throw new IOException("pidfile \"" + pidFile + "\" does not contain a pid");
        }
        return target.resolve(PROGRAM + "." + pid + ".ctl");
    }

    private static Map<?, ?> transact(SocketChannel channel, String method, List<String> params) throws IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", new JsonNumber("0"));
        request.put("method", method);
        request.put("params", params);
        ByteBuffer bytes = ByteBuffer.wrap(JsonWriter.toJson(request).getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        Object reply = new JsonReader(Channels.newInputStream(channel), MAX_REPLY_BYTES).read();
        if (reply == JsonReader.EOF) {
            throw new IOException("connection closed without a reply");
        }
        if (!(reply instanceof Map<?, ?> map)) {
            throw new IOException("reply is not a JSON object");
        }
        return map;
    }

    private static void print(PrintStream stream, String text) {
        // Bytes, not characters: output must not depend on the platform's stdout encoding.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes, 0, bytes.length);
        stream.flush();
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        return message != null ? message : e.getClass().getSimpleName();
    }
}
