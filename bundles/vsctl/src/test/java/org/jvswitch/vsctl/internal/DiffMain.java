package org.jvswitch.vsctl.internal;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Development aid, not a test: runs command lines (a file of JSON string arrays, one per line)
 * against {@link MemoryOvsdb} and prints each one's output in the same shape as the shell loop
 * that drives the real ovs-vsctl, for diffing the two.
 */
public final class DiffMain {
    private DiffMain() {
    }

    public static void main(String[] args) throws Exception {
        MemoryOvsdb db = new MemoryOvsdb();
        Vsctl vsctl = new Vsctl(db, 1, "/var/log/openvswitch");
        ObjectMapper mapper = new ObjectMapper();
        for (String line : java.nio.file.Files.readAllLines(new File(args[0]).toPath())) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode arr = mapper.readTree(line);
            List<String> argv = new ArrayList<>();
            arr.forEach(n -> argv.add(n.asText()));
            VsctlResult r = vsctl.run(argv);
            System.out.print("== " + String.join(" ", argv) + "\n" + r.stdout() + r.stderr() + "rc=" + r.status() + "\n");
        }
    }
}
