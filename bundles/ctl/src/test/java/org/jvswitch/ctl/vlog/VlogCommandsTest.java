package org.jvswitch.ctl.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jvswitch.api.unixctl.UnixctlException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

/** vlog/list and vlog/set against the real logback (the test classpath binds SLF4J to it). */
class VlogCommandsTest {
    private static final String NAME = "org.jvswitch.vlogtest.sub.PmdThread";
    private final VlogSetCommand set = new VlogSetCommand();
    private final VlogListCommand list = new VlogListCommand();
    private LoggerContext context;
    private Level rootLevel;

    @BeforeEach
    void setUp() {
        context = (LoggerContext) LoggerFactory.getILoggerFactory();
        rootLevel = context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
        LoggerFactory.getLogger(NAME);
        LoggerFactory.getLogger("org.jvswitch.vlogtest.other.PmdThread");
    }

    @AfterEach
    void restore() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(rootLevel);
        context.getLogger("org.jvswitch").setLevel(Level.INFO);
        context.getLoggerList().stream().filter(l -> l.getName().startsWith("org.jvswitch.vlogtest"))
                .forEach(l -> l.setLevel(null));
    }

    private Level level(String name) {
        return context.getLogger(name).getEffectiveLevel();
    }

    @Test
    void listHasOpenVswitchLayout() throws Exception {
        context.getLogger(NAME).setLevel(Level.DEBUG);
        String text = list.execute(List.of());
        assertTrue(text.startsWith("                 console    syslog    file\n"
                + "                 -------    ------    ------\n"), text);
        assertTrue(text.contains(String.format("%-16s  %4s       %4s       %4s\n", NAME, "DBG", "OFF", "DBG")), text);
        assertTrue(text.contains(String.format("%-16s  %4s       %4s       %4s\n", "org.jvswitch", "INFO", "OFF", "INFO")),
                text);
        List<String> rows = text.lines().skip(2).toList();
        assertEquals(rows.stream().sorted().toList(), rows);
    }

    @Test
    void moduleDestinationLevel() throws Exception {
        assertEquals("", set.execute(List.of("org.jvswitch.vlogtest.sub:console:warn")));
        assertEquals(Level.WARN, level(NAME));
        set.execute(List.of("org.jvswitch.vlogtest.sub:file:emer"));
        assertEquals(Level.ERROR, level(NAME));
    }

    @Test
    void moduleLevelWithLastComponent() throws Exception {
        set.execute(List.of("sub:dbg"));
        assertEquals(Level.DEBUG, level(NAME));
        set.execute(List.of("sub:off"));
        assertEquals(Level.OFF, level(NAME));
        set.execute(List.of("sub"));
        assertEquals(Level.DEBUG, level(NAME), "a missing level means dbg");
    }

    @Test
    void levelAloneAndAnyAnyApplyToEveryLogger() throws Exception {
        context.getLogger(NAME).setLevel(Level.ERROR);
        set.execute(List.of("info"));
        assertEquals(Level.INFO, level(NAME));
        assertEquals(Level.INFO, level("org.jvswitch"));
        assertEquals(Level.INFO, level(Logger.ROOT_LOGGER_NAME));
        set.execute(List.of("ANY:any:dbg"));
        assertEquals(Level.DEBUG, level(NAME));
        assertEquals(Level.DEBUG, level(Logger.ROOT_LOGGER_NAME));
    }

    @Test
    void syslogIsAcceptedButChangesNothing() throws Exception {
        Level before = level(NAME);
        set.execute(List.of("syslog:off"));
        assertEquals(before, level(NAME));
    }

    @Test
    void errorsUseOpenVswitchTexts() {
        assertEquals("no destination, level, or module \"foo\"", error("foo:dbg"));
        assertEquals("no destination, level, or module \"xyz\"", error("sub:console:xyz"));
        assertEquals("cannot specify multiple destinations", error("console:file"));
        assertEquals("cannot specify multiple levels", error("info:dbg"));
        assertEquals("cannot specify multiple modules", error("sub:org.jvswitch:dbg"));
        assertTrue(error("PmdThread:dbg").startsWith("module \"PmdThread\" is ambiguous: "));
        assertTrue(error("PATTERN:console:%m").startsWith("PATTERN is not supported"));
    }

    @Test
    void otherBackendsGetAClearError() {
        ILoggerFactory nop = new NOPLoggerFactory();
        UnixctlException e = assertThrows(UnixctlException.class,
                () -> new VlogSetCommand(() -> nop).execute(List.of("dbg")));
        assertTrue(e.getMessage().contains("logback") && e.getMessage().contains(NOPLoggerFactory.class.getName()),
                e.getMessage());
        assertThrows(UnixctlException.class, () -> new VlogListCommand(() -> nop).execute(List.of()));
    }

    private String error(String spec) {
        return assertThrows(UnixctlException.class, () -> set.execute(List.of(spec))).getMessage();
    }
}
