package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSL remotes with the real clients and a PKI made by Open vSwitch's own ovs-pki: the switch's
 * certificate signed by switchca, the clients' by controllerca, each side trusting the other's
 * CA, as Open vSwitch's documentation sets it up. A client without a certificate the server's CA
 * signed is refused; one that does not trust the server's CA refuses it.
 */
class SslRemoteTest {
    @TempDir
    static Path pki;

    static Path srvKey, srvCert, cliKey, cliCert, rogueKey, rogueCert, switchCa, controllerCa;

    @BeforeAll
    static void makePki() throws Exception {
        run(pki, "ovs-pki", "--dir=" + pki.resolve("ca"), "init");
        run(pki, "ovs-pki", "--dir=" + pki.resolve("ca"), "req+sign", "srv", "switch");
        run(pki, "ovs-pki", "--dir=" + pki.resolve("ca"), "req+sign", "cli", "controller");
        // Self-signed, in the traditional PKCS#1 form older tools wrote.
        run(pki, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue-privkey.pem",
                "-out", "rogue-cert.pem", "-subj", "/CN=rogue", "-days", "1");
        run(pki, "openssl", "rsa", "-in", "rogue-privkey.pem", "-traditional", "-out", "rogue-pkcs1.pem");
        srvKey = pki.resolve("srv-privkey.pem");
        srvCert = pki.resolve("srv-cert.pem");
        cliKey = pki.resolve("cli-privkey.pem");
        cliCert = pki.resolve("cli-cert.pem");
        rogueKey = pki.resolve("rogue-pkcs1.pem");
        rogueCert = pki.resolve("rogue-cert.pem");
        switchCa = pki.resolve("ca/switchca/cacert.pem");
        controllerCa = pki.resolve("ca/controllerca/cacert.pem");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pki.log").toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": timed out");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + Files.readString(dir.resolve("pki.log")));
    }

    private static Proc.Result vsctl(String db, Path key, Path cert, Path ca, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Proc.OVS_VSCTL.toString(), "--db=" + db, "--private-key=" + key,
                "--certificate=" + cert, "--ca-cert=" + ca, "--timeout=5", "--no-wait"));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(30), cmd);
    }

    @Test
    void setSslAndSetManagerPsslServeOvsVsctlOverTls(@TempDir Path dir) throws Exception {
        try (ServerFixture f = new ServerFixture(dir)) {
            assertEquals(0, f.nowait("set-ssl", srvKey.toString(), srvCert.toString(), controllerCa.toString()).rc());
            assertEquals(0, f.nowait("set-manager", "pssl:0:127.0.0.2").rc());
            String db = "ssl:127.0.0.2:" + ManagerRemotesTest.managerPort(f, "pssl:0:127.0.0.2");

            Proc.Result add = vsctl(db, cliKey, cliCert, switchCa, "add-br", "br0");
            assertEquals(0, add.rc(), add.toString());
            assertEquals("br0\n", f.nowait("list-br").out(), "the change over TLS is in the database");

            Proc.Result rogue = vsctl(db, rogueKey, rogueCert, switchCa, "list-br");
            assertNotEquals(0, rogue.rc(), "a certificate no trusted CA signed is refused: " + rogue);
            assertTrue(rogue.err().contains("database connection failed"), rogue.err());

            Proc.Result distrust = vsctl(db, cliKey, cliCert, controllerCa, "list-br");
            assertNotEquals(0, distrust.rc(), "the client does not trust the switch's CA: " + distrust);

            Proc.Result again = vsctl(db, cliKey, cliCert, switchCa, "list-br");
            assertEquals("br0\n", again.out(), "refused handshakes left the remote serving: " + again);
            // Plain tcp on an SSL remote is no JSON-RPC session either.
            Proc.Result plain = Proc.run(Duration.ofSeconds(30), List.of(Proc.OVS_VSCTL.toString(),
                    "--db=" + db.replace("ssl:", "tcp:"), "--timeout=5", "--no-wait", "list-br"));
            assertNotEquals(0, plain.rc(), plain.toString());
        }
    }

    /**
     * The server's own files (ovsdb-server's --private-key and so on) and an active ssl: manager
     * target: the server connects out and the real ovsdb-client, listening on pssl:, is served.
     */
    @Test
    void configuredFilesAndActiveSslManager(@TempDir Path dir) throws Exception {
        try (ServerFixture f = new ServerFixture(dir,
                c -> c.withSsl(srvKey.toString(), srvCert.toString(), controllerCa.toString()))) {
            int port = ManagerRemotesTest.freePort();
            assertEquals(0, f.nowait("set-manager", "ssl:127.0.0.1:" + port).rc());
            Proc.Result dbs = Proc.run(Duration.ofSeconds(30), List.of(Proc.OVSDB_CLIENT.toString(),
                    "--private-key=" + cliKey, "--certificate=" + cliCert, "--ca-cert=" + switchCa,
                    "list-dbs", "pssl:" + port + ":127.0.0.1"));
            assertEquals("Open_vSwitch\n_Server\n", dbs.out(), dbs.toString());
            assertEquals(0, f.nowait("del-manager").rc());
        }
    }

    @Test
    void noSslFilesRefusesTheConnectionAndKeepsTheRemote(@TempDir Path dir) throws Exception {
        try (ServerFixture f = new ServerFixture(dir)) {
            assertEquals(0, f.nowait("set-manager", "pssl:0:127.0.0.2").rc());
            String db = "ssl:127.0.0.2:" + ManagerRemotesTest.managerPort(f, "pssl:0:127.0.0.2");
            assertNotEquals(0, vsctl(db, cliKey, cliCert, switchCa, "list-br").rc());
            // Configured afterwards: the next connection gets it.
            assertEquals(0, f.nowait("set-ssl", srvKey.toString(), srvCert.toString(), controllerCa.toString()).rc());
            Proc.Result ok = vsctl(db, cliKey, cliCert, switchCa, "list-br");
            assertEquals(0, ok.rc(), ok.toString());
        }
    }

    @Test
    void pemFilesAreReadOrRefusedWithTheReason(@TempDir Path dir) throws Exception {
        assertEquals("RSA", SslFiles.readKey(rogueKey).getAlgorithm(), "PKCS#1");
        assertEquals("RSA", SslFiles.readKey(cliKey).getAlgorithm(), "PKCS#8");
        assertEquals(1, SslFiles.readCertificates(srvCert).size(), "ovs-pki's text before the PEM block is skipped");
        IOException missing = assertThrows(IOException.class, () -> SslFiles.readKey(dir.resolve("none.pem")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("none.pem") + ": cannot read"), missing.getMessage());
        IOException notAKey = assertThrows(IOException.class, () -> SslFiles.readKey(srvCert));
        assertEquals(srvCert + ": no PEM private key in it", notAKey.getMessage());
    }
}
