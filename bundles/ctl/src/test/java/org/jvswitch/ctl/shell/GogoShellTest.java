package org.jvswitch.ctl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.jvswitch.api.unixctl.UnixctlException;
import org.jvswitch.ctl.TestCommand;
import org.jvswitch.ctl.commands.ShellRunCommand;
import org.jvswitch.ctl.vlog.VlogListCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * appctl:NAME functions and shell/run on Gogo's real runtime, without OSGi: the command processor is
 * what the gogo.runtime bundle registers, and addCommand is what its service tracker calls for every
 * osgi.command.function service. Names with '/' go through Gogo's parser here.
 */
class GogoShellTest {
    private ThreadIOImpl threadIO;
    private CommandProcessorImpl processor;
    private ShellRunCommand shellRun;

    @BeforeEach
    void start() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        processor.addCommand("appctl", new AppctlFunction("fdb/show", TestCommand.fdbShow()), "fdb/show");
        processor.addCommand("appctl", new AppctlFunction("vlog/list", new VlogListCommand()), "vlog/list");
        processor.addCommand("appctl", new AppctlFunction("test/echo",
                new TestCommand("test/echo", "", 0, 9, args -> String.join("|", args))), "test/echo");
        shellRun = new ShellRunCommand(processor);
    }

    @AfterEach
    void stop() {
        processor.stop();
        threadIO.stop();
    }

    private String run(String line) throws UnixctlException {
        return shellRun.execute(List.of(line));
    }

    @Test
    void scopedNameWithSlash() throws Exception {
        assertEquals(" port  VLAN  MAC                Age\n", run("appctl:fdb/show br0"));
    }

    @Test
    void unscopedNameWithSlash() throws Exception {
        assertEquals(" port  VLAN  MAC                Age\n", run("fdb/show br0"));
    }

    @Test
    void argumentsKeepTheirText() throws Exception {
        assertEquals("ANY:any:dbg|1|x y|a/b\n", run("appctl:test/echo ANY:any:dbg 1 'x y' a/b"));
    }

    @Test
    void errorsFailTheLine() {
        // The reply adds the final newline (UnixctlReply), as for any UnixctlException.
        assertEquals("no such bridge", assertThrows(UnixctlException.class, () -> run("appctl:fdb/show br9"))
                .getMessage());
        assertEquals("\"fdb/show\" command requires at least 1 arguments",
                assertThrows(UnixctlException.class, () -> run("appctl:fdb/show")).getMessage());
    }

    @Test
    void outputGoesThroughPipes() throws Exception {
        // The second stage sees the first one's output: printing through System.out follows Gogo's redirection.
        processor.addCommand("test", new Object() {
            @SuppressWarnings("unused")
            public String count() throws java.io.IOException {
                return "lines=" + new String(System.in.readAllBytes()).lines().count();
            }
        }, "count");
        assertEquals("lines=1\n", run("appctl:fdb/show br0 | test:count"));
    }

    @Test
    void resultValueIsPrintedAsGoshWould() throws Exception {
        assertEquals("hello\n", run("x = hello"));
        assertEquals("3\n", run("x = 3"));
        assertEquals("", run("x = $nothing"));
    }

    @Test
    void unknownCommandIsAnError() {
        String message = assertThrows(UnixctlException.class, () -> run("nosuch:thing")).getMessage();
        assertTrue(message.contains("nosuch:thing"), message);
    }
}
