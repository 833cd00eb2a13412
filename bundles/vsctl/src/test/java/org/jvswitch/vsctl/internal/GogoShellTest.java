package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vsctl:* commands in a real Gogo runtime, to pin down how Gogo's parser hands over ovs-vsctl
 * syntax ({@code --}, {@code =}, {@code :}, {@code []}, {@code {}}) and which forms need quotes.
 */
class GogoShellTest extends VsctlFixture {
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private CommandSession session;
    private SimulatedSwitch sw;

    @BeforeEach
    void shell() {
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        for (String name : Vsctl.commandNames()) {
            processor.addCommand(VsctlShell.SCOPE, new VsctlFunction(vsctl, name), name);
        }
        processor.addCommand(VsctlShell.SCOPE, new VsctlFunction(vsctl, VsctlFunction.WHOLE_COMMAND_LINE),
                VsctlFunction.WHOLE_COMMAND_LINE);
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps);
        sw = new SimulatedSwitch(db);
    }

    @AfterEach
    void close() throws Exception {
        sw.close();
        session.close();
        threadIo.stop();
    }

    private String exec(String line) throws Exception {
        out.reset();
        session.execute(line);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void commandsAndSeparators() throws Exception {
        assertEquals("", exec("vsctl:add-br br0"));
        assertEquals("br0\n", exec("vsctl:list-br"));
        exec("vsctl:add-port br0 p1 -- set Interface p1 type=dummy");
        assertEquals("dummy\n", exec("vsctl:get Interface p1 type"));
        exec("vsctl:vsctl --no-wait add-br br1");
        exec("vsctl:vsctl --no-wait -- --may-exist add-br br1 -- br-set-external-id br1 k v");
        assertEquals("br0\nbr1\n", exec("vsctl:list-br"));
        assertEquals("k=v\n", exec("vsctl:br-get-external-id br1"));
    }

    @Test
    void keysValuesAndMaps() throws Exception {
        exec("vsctl:add-br br0 ; vsctl:add-port br0 p1");
        exec("vsctl:set Interface p1 options:n_rxq=2");
        assertEquals("\"2\"\n", exec("vsctl:get Interface p1 options:n_rxq"));
        exec("vsctl:set Open_vSwitch . other_config:pmd-cpu-mask=0x2");
        assertEquals("{pmd-cpu-mask=\"0x2\"}\n", exec("vsctl:get Open_vSwitch . other_config"));
        exec("vsctl:set interface p1 'options={a=b}'");
        assertEquals("{a=b}\n", exec("vsctl:get interface p1 options"));
        exec("vsctl:set interface p1 options={c=d}");
        assertEquals("{c=d}\n", exec("vsctl:get interface p1 options"));
        // With a comma, Gogo expands braces like bash: such maps need quotes.
        exec("vsctl:set interface p1 'options={a=b,c=d}'");
        assertEquals("{a=b, c=d}\n", exec("vsctl:get interface p1 options"));
        exec("vsctl:set interface p1 'options={e=f, g=h}'");
        assertEquals("{e=f, g=h}\n", exec("vsctl:get interface p1 options"));
        exec("vsctl:set bridge br0 'external_ids:x=\"a b\"'");
        assertEquals("\"a b\"\n", exec("vsctl:get bridge br0 external_ids:x"));
        exec("vsctl:set bridge br0 \"external_ids:y=c d\"");
        assertEquals("\"c d\"\n", exec("vsctl:get bridge br0 external_ids:y"));
    }

    @Test
    void setsInBrackets() throws Exception {
        exec("vsctl:add-br br0 ; vsctl:add-port br0 p1");
        exec("vsctl:set port p1 trunks=[1,2]");
        assertEquals("[1, 2]\n", exec("vsctl:get port p1 trunks"));
        exec("vsctl:set port p1 trunks=[3, 4]");
        assertEquals("[3, 4]\n", exec("vsctl:get port p1 trunks"));
        exec("vsctl:set port p1 trunks=[]");
        assertEquals("[]\n", exec("vsctl:get port p1 trunks"));
        exec("vsctl:set port p1 trunks=5,6");
        assertEquals("[5, 6]\n", exec("vsctl:get port p1 trunks"));
        // {in} is "subset of": the bridge's own port, with no trunks, matches too.
        assertEquals("br0\n\np1\n", exec("vsctl:vsctl --bare --columns=name find port trunks{in}[5,6,7]"));
    }

    @Test
    void comparisonsNeedQuotes() throws Exception {
        exec("vsctl:add-br br0 ; vsctl:add-port br0 p1");
        // Unquoted, < and > are Gogo redirections.
        assertEquals("p1\n", exec("vsctl:vsctl --bare --columns=name find Interface 'ofport>0' 'ofport<100'"));
        assertEquals("p1\n", exec("vsctl:vsctl --bare --columns=name find Interface ofport!=65534"));
    }

    @Test
    void failuresThrowWithTheErrorText() throws Exception {
        VsctlShellException e = assertThrows(VsctlShellException.class, () -> exec("vsctl:del-br br9"));
        assertEquals("ovs-vsctl: no bridge named br9", e.getMessage());
        e = assertThrows(VsctlShellException.class, () -> exec("vsctl:br-exists br9"));
        assertEquals("ovs-vsctl: exit status 2", e.getMessage());
        e = assertThrows(VsctlShellException.class, () -> exec("vsctl:vsctl --no-wait foo"));
        assertEquals("ovs-vsctl: unknown command 'foo'; use --help for help", e.getMessage());
    }

    @Test
    void wordArgumentsFromLists() {
        assertEquals(java.util.List.of("set", "port", "p1", "trunks=[1,2]"),
                GogoArgs.words(java.util.List.of("set", "port", "p1", "trunks=", java.util.List.of("1,2"))));
        assertEquals(java.util.List.of("find", "Port", "name{in}[a b]"),
                GogoArgs.words(java.util.List.of("find", "Port", "name{in}", java.util.List.of("a", "b"))));
        assertEquals(java.util.List.of("[x=y]"), GogoArgs.words(java.util.List.of(java.util.Map.of("x", "y"))));
    }
}
