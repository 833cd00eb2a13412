package org.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of an ofproto/trace and the lines it led to (Open vSwitch's {@code oftrace_node}): a
 * bridge, a table lookup, an action, a detail ("->"), a warning (">>").
 */
final class TraceNode {
    enum Type { BRIDGE, TABLE, ACTION, DETAIL, WARN }

    final Type type;
    final String text;
    final List<TraceNode> subs = new ArrayList<>();

    TraceNode(Type type, String text) {
        this.type = type;
        this.text = text;
    }

    private boolean terminal() {
        return type == Type.ACTION || type == Type.DETAIL || type == Type.WARN;
    }

    /**
     * Prints {@code nodes} as Open vSwitch's oftrace_node_print_details does: a node is indented
     * one level more than its parent's lines unless it is the last, non-terminal one (a resubmit
     * at the end of a rule continues at the same depth).
     */
    static void print(StringBuilder out, List<TraceNode> nodes, int level) {
        for (int i = 0; i < nodes.size(); i++) {
            TraceNode n = nodes.get(i);
            if (n.type == Type.BRIDGE) {
                out.append('\n');
            }
            int more = i < nodes.size() - 1 || n.terminal() ? 1 : 0;
            String indent = " ".repeat((level + more) * 4);
            out.append(indent);
            switch (n.type) {
                case DETAIL -> out.append(" -> ").append(n.text).append('\n');
                case WARN -> out.append(" >> ").append(n.text).append('\n');
                case BRIDGE -> out.append(n.text).append('\n').append(indent).append("-".repeat(n.text.length())).append('\n');
                default -> out.append(n.text).append('\n');
            }
            print(out, n.subs, level + 2 * more);
        }
    }
}
