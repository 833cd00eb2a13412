package org.jvswitch.ctl.unixctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;
import org.jvswitch.ctl.TestCommand;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private static TestCommand command(String name, String text) {
        return new TestCommand(name, "", 0, 0, args -> text);
    }

    @Test
    void firstCommandWinsAndADuplicateTakesOverWhenItLeaves() {
        CommandTable table = new CommandTable();
        List<String> events = new ArrayList<>();
        table.addListener(new CommandTable.Listener() {
            @Override
            public void added(String name, UnixctlCommand c) {
                events.add("+" + name + "=" + c.hashCode());
            }

            @Override
            public void removed(String name, UnixctlCommand c) {
                events.add("-" + name + "=" + c.hashCode());
            }
        });
        TestCommand a = command("x/show", "a");
        TestCommand b = command("x/show", "b");
        assertTrue(table.add(a));
        assertFalse(table.add(b));
        assertSame(a, table.lookup("x/show"));

        table.remove(a);
        assertSame(b, table.lookup("x/show"));
        table.remove(b);
        assertNull(table.lookup("x/show"));
        assertEquals(List.of("+x/show=" + a.hashCode(), "-x/show=" + a.hashCode(), "+x/show=" + b.hashCode(),
                "-x/show=" + b.hashCode()), events);
    }

    @Test
    void removingARefusedDuplicateLeavesTheWinner() {
        CommandTable table = new CommandTable();
        TestCommand a = command("x", "a");
        TestCommand b = command("x", "b");
        table.add(a);
        table.add(b);
        table.remove(b);
        assertSame(a, table.lookup("x"));
        table.remove(a);
        assertNull(table.lookup("x"));
    }

    @Test
    void listenersHearAboutExistingCommands() {
        CommandTable table = new CommandTable();
        table.add(command("b", ""));
        table.add(command("a", ""));
        List<String> names = new ArrayList<>();
        table.addListener(new CommandTable.Listener() {
            @Override
            public void added(String name, UnixctlCommand c) {
                names.add(name);
            }

            @Override
            public void removed(String name, UnixctlCommand c) {
            }
        });
        assertEquals(List.of("a", "b"), names);
    }

    @Test
    void refusesBadNames() {
        CommandTable table = new CommandTable();
        assertFalse(table.add(command("", "")));
        assertFalse(table.add(command("a b", "")));
        assertTrue(table.commands().isEmpty());
    }

    @Test
    void dispatchUsesOpenVswitchTexts() {
        CommandTable table = new CommandTable();
        table.add(new TestCommand("echo", "", 1, 2, args -> String.join(" ", args)));
        table.add(new TestCommand("fail", "", 0, 0, args -> {
            throw new UnixctlException("no such bridge");
        }));
        table.add(new TestCommand("crash", "", 0, 0, args -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(UnixctlReply.success("a b\n"), CommandInvoker.dispatch(table, "echo", List.of("a", "b")));
        assertEquals(UnixctlReply.error("\"nope\" is not a valid command (use \"list-commands\" to see a list of"
                + " valid commands)\n"), CommandInvoker.dispatch(table, "nope", List.of()));
        assertEquals(UnixctlReply.error("\"echo\" command requires at least 1 arguments\n"),
                CommandInvoker.dispatch(table, "echo", List.of()));
        assertEquals(UnixctlReply.error("\"echo\" command takes at most 2 arguments\n"),
                CommandInvoker.dispatch(table, "echo", List.of("1", "2", "3")));
        assertEquals(UnixctlReply.error("\"echo\" command has non-string argument\n"),
                CommandInvoker.dispatch(table, "echo", List.of("1", 2)));
        assertEquals(UnixctlReply.error("no such bridge\n"), CommandInvoker.dispatch(table, "fail", List.of()));
        assertEquals(UnixctlReply.error("\"crash\" command failed: java.lang.IllegalStateException: boom\n"),
                CommandInvoker.dispatch(table, "crash", List.of()));
    }

    @Test
    void replyTextIsNormalisedLikeUnixctlCommandReply() {
        assertEquals("", UnixctlReply.success(null).body());
        assertEquals("", UnixctlReply.success("").body());
        assertEquals("x\n", UnixctlReply.success("x").body());
        assertEquals("x\n", UnixctlReply.success("x\n").body());
        assertEquals("{\"id\":0,\"result\":\"x\\n\",\"error\":null}", UnixctlReply.success("x").toJson(
                new org.jvswitch.ctl.json.JsonNumber("0")));
        assertEquals("{\"id\":\"a\",\"result\":null,\"error\":\"bad\\n\"}", UnixctlReply.error("bad").toJson("a"));
    }
}
