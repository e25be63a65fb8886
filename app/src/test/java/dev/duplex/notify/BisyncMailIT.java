package dev.duplex.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.duplex.testing.Duplex;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplex bisync --config} with an {@code [email]} table, against a real SMTP server. */
class BisyncMailIT {
    @TempDir
    Path tmp;
    GreenMail mail;
    Path left;
    Path right;

    @BeforeEach
    void start() throws IOException {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        left = Files.createDirectories(tmp.resolve("left"));
        right = Files.createDirectories(tmp.resolve("right"));
    }

    @AfterEach
    void stop() {
        mail.stop();
    }

    Duplex.Result bisync(int smtpPort) throws IOException {
        Path cfg = Files.writeString(tmp.resolve("sync.toml"), """
                [email]
                smtp-host = "127.0.0.1"
                smtp-port = %d
                security = "none"
                from = "duplex@example.org"
                to = ["admin@example.org"]
                """.formatted(smtpPort));
        return Duplex.run(tmp.resolve("state"), "bisync", "--config", cfg.toString(), "--db",
                tmp.resolve("job.db").toString(), left.toString(), right.toString());
    }

    void conflictAhead() throws IOException {
        write(left, "x.txt", "v1", Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(bisync(mail.getSmtp().getPort()).exitCode()).isZero();
        write(left, "x.txt", "left", Instant.parse("2026-11-02T00:00:00Z"));
        write(right, "x.txt", "right!", Instant.parse("2026-11-03T00:00:00Z"));
    }

    static void write(Path root, String rel, String text, Instant mtime) throws IOException {
        Path p = root.resolve(rel);
        Files.writeString(p, text);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    @Test
    void aConflictSendsAMessage() throws Exception {
        conflictAhead();
        Duplex.Result r = bisync(mail.getSmtp().getPort());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(mail.getReceivedMessages()[0].getSubject()).isEqualTo("[duplex] conflict: x.txt");
        assertThat(r.out()).contains("e-mails sent 1, not sent 0");
    }

    @Test
    void aMailServerThatIsDownChangesNeitherTheRunNorItsExitCode() throws Exception {
        conflictAhead();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Duplex.Result r = bisync(port);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("cannot send the e-mail");
        assertThat(r.out()).contains("e-mails sent 0, not sent 1");
        assertThat(Files.readString(left.resolve("x.txt"))).isEqualTo("right!");
    }
}
