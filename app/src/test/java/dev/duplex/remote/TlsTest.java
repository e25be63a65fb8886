package dev.duplex.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
    @TempDir
    Path tmp;

    @Test
    void theSelfSignedCertificateIsMadeOnceAndReadBackTheNextTime() throws Exception {
        Tls.Identity first = Tls.selfSigned(tmp, List.of("nas", "127.0.0.1", "::1"));
        Tls.Identity again = Tls.selfSigned(tmp, List.of("other-name"));
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint()).matches("[0-9a-f]{64}");
        assertThat(again.key().getEncoded()).isEqualTo(first.key().getEncoded());
        assertThat(Files.getPosixFilePermissions(tmp.resolve("duplex-key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(first.certificate().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .containsExactly("nas", "127.0.0.1", "0:0:0:0:0:0:0:1");
        again.serverContext(); // usable
    }

    @Test
    void keysInTheFormatsOpensslWritesAreRead() throws Exception {
        assumeThat(Path.of("/usr/bin/openssl")).as("openssl is not installed").exists();
        for (String[] key : List.of(
                new String[] {"ec", "ecparam", "-name", "prime256v1", "-genkey", "-noout"},  // EC PRIVATE KEY
                new String[] {"rsa", "genrsa", "2048"},                                      // PKCS#8 in OpenSSL 3
                new String[] {"rsa1", "genrsa", "-traditional", "2048"})) {                   // RSA PRIVATE KEY
            Path keyFile = tmp.resolve(key[0] + ".key");
            Path certFile = tmp.resolve(key[0] + ".crt");
            List<String> gen = new java.util.ArrayList<>(List.of("/usr/bin/openssl", key[1], "-out",
                    keyFile.toString()));
            gen.addAll(List.of(key).subList(2, key.length));
            run(gen);
            run(List.of("/usr/bin/openssl", "req", "-new", "-x509", "-key", keyFile.toString(), "-subj", "/CN=nas",
                    "-days", "2", "-out", certFile.toString()));
            Tls.Identity id = Tls.load(certFile, keyFile);
            assertThat(id.fingerprint()).matches("[0-9a-f]{64}");
            id.serverContext();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
