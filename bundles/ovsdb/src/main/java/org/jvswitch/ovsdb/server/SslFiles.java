package org.jvswitch.ovsdb.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The three files of an SSL remote, as ovsdb-server's {@code --private-key}, {@code --certificate}
 * and {@code --ca-cert} (or the {@code SSL} row that {@code ovs-vsctl set-ssl} writes): PEM files
 * as {@code ovs-pki} and {@code openssl} make them. Both ends authenticate, as in Open vSwitch: a
 * peer must present a certificate signed by one of the CA file's certificates; host names are not
 * checked.
 *
 * <p>The context is built again when a file changes (its modification time), so a renewed
 * certificate is picked up by the next connection, as stream-ssl.c re-reads its files.
 */
record SslFiles(Path privateKey, Path certificate, Path caCert) {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** A PKCS#1 RSA key wrapped as PKCS#8: the AlgorithmIdentifier for rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** Null if any of the three is missing; the message then names what is. */
    static SslFiles of(String privateKey, String certificate, String caCert) {
        if (blank(privateKey) || blank(certificate) || blank(caCert)) {
            return null;
        }
        return new SslFiles(Path.of(privateKey.strip()), Path.of(certificate.strip()), Path.of(caCert.strip()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Builds the context; IOException names the file and what is wrong with it. */
    SSLContext context() throws IOException {
        PrivateKey key = readKey(privateKey);
        List<Certificate> chain = readCertificates(certificate);
        List<Certificate> cas = readCertificates(caCert);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = new char[0];
            keys.setKeyEntry("key", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(certificate + ": " + e.getMessage(), e);
        }
    }

    /** The files' modification times, to notice a change. */
    List<FileTime> stamps() {
        List<FileTime> out = new ArrayList<>();
        for (Path p : List.of(privateKey, certificate, caCert)) {
            try {
                out.add(Files.getLastModifiedTime(p));
            } catch (IOException e) {
                out.add(FileTime.fromMillis(-1));
            }
        }
        return out;
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": bad base64 in " + m.group(1) + " block");
            }
        }
        return out;
    }

    static List<Certificate> readCertificates(Path file) throws IOException {
        List<Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
                    out.add(cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": bad certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no PEM certificate in it");
        }
        return out;
    }

    static PrivateKey readKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, wrapRsa(b.der()));
                }
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new IOException(file + ": the private key is encrypted; Open vSwitch's files are not"
                            + " (openssl pkcs8 -topk8 -nocrypt writes one that is not)");
                case "EC PRIVATE KEY" ->
                    throw new IOException(file + ": EC PRIVATE KEY (SEC1) is not read; convert it with"
                            + " openssl pkcs8 -topk8 -nocrypt");
                default -> {
                    // certificates or parameters in the same file: skip
                }
            }
        }
        throw new IOException(file + ": no PEM private key in it");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": unsupported or malformed private key");
    }

    /** PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo: SEQUENCE { 0, rsaEncryption, OCTET STRING pkcs1 }. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
    }
}
