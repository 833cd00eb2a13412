package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database with vsctl on top, and helpers that assert what a user would see. Test classes extend
 * it; each test gets a fresh database.
 */
abstract class VsctlFixture {
    static final String LOGDIR = "/var/log/openvswitch";
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    final MemoryOvsdb db = new MemoryOvsdb();
    final Vsctl vsctl = new Vsctl(db, 1, LOGDIR);

    VsctlResult run(String... argv) {
        return vsctl.run(Arrays.asList(argv));
    }

    /** Runs with --no-wait (there is no switch in most tests) and expects success with no stderr; returns stdout. */
    String ok(String... argv) {
        List<String> a = new ArrayList<>();
        a.add("--no-wait");
        a.addAll(Arrays.asList(argv));
        VsctlResult r = vsctl.run(a);
        assertEquals("", r.stderr(), "stderr of " + a);
        assertEquals(0, r.status(), "status of " + a);
        return r.stdout();
    }

    /** Runs with --no-wait and expects exit status 1 with exactly {@code stderr} and no stdout. */
    void fails(String stderr, String... argv) {
        List<String> a = new ArrayList<>();
        a.add("--no-wait");
        a.addAll(Arrays.asList(argv));
        VsctlResult r = vsctl.run(a);
        assertEquals(stderr, r.stderr(), "stderr of " + a);
        assertEquals("", r.stdout(), "stdout of " + a);
        assertEquals(1, r.status(), "status of " + a);
    }

    /** Replaces UUIDs by &lt;0&gt;, &lt;1&gt;... in order of appearance, and log timestamps by TS. */
    static String normalize(String s) {
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = UUID_TEXT.matcher(TIMESTAMP.matcher(s).replaceAll("TS"));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = names.computeIfAbsent(m.group(), k -> "<" + names.size() + ">");
            m.appendReplacement(out, Matcher.quoteReplacement(name));
        }
        m.appendTail(out);
        return out.toString();
    }

    String uuidOf(String table, String record) {
        return ok("get", table, record, "_uuid").strip();
    }
}
