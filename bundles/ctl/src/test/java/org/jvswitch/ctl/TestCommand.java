package org.jvswitch.ctl;

import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;

/** A UnixctlCommand made of a lambda, for tests. */
public record TestCommand(String name, String usage, int minArgs, int maxArgs, Body body) implements UnixctlCommand {
    @FunctionalInterface
    public interface Body {
        String run(List<String> args) throws UnixctlException;
    }

    @Override
    public String execute(List<String> args) throws UnixctlException {
        return body.run(args);
    }

    /** {@code fdb/show bridge}: one argument, fails with OVS's text for any bridge but br0. */
    public static TestCommand fdbShow() {
        return new TestCommand("fdb/show", "bridge", 1, 1, args -> {
            if (!args.getFirst().equals("br0")) {
                throw new UnixctlException("no such bridge");
            }
            return " port  VLAN  MAC                Age\n";
        });
    }
}
