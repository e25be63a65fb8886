package dev.duplex.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.ConflictMode;
import dev.duplex.bisync.ConflictRule;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.Version;
import dev.duplex.remote.Tls;
import dev.duplex.tree.RelPath;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** E-mail through a real SMTP server (GreenMail) started by each test: plain, STARTTLS, TLS, failures. */
class MailerTest {
    static final Instant OLDER = Instant.parse("2026-11-30T10:15:00Z");
    static final Instant NEWER = Instant.parse("2026-11-30T11:20:00Z");

    @TempDir
    Path tmp;
    GreenMail mail;
    final List<String> warnings = new ArrayList<>();

    @AfterEach
    void stop() {
        if (mail != null) {
            mail.stop();
        }
    }

    GreenMail start(ServerSetup setup) {
        mail = new GreenMail(setup.dynamicPort());
        mail.start();
        return mail;
    }

    static MailSettings settings(int port, MailSettings.Security security, Optional<String> user,
                                 MailSettings.Notify notify) {
        return new MailSettings("127.0.0.1", port, security, user, user.map(u -> "DUPLEX_SMTP_PASSWORD"),
                "duplex@example.org", List.of("admin@example.org", "ops@example.org"), "[share sync]", notify,
                Optional.of("127.0.0.1"));
    }

    static Action.Conflict conflict() {
        return new Action.Conflict(ConflictRule.CHANGED, ConflictMode.KEEP_BOTH, RelPath.of("docs/plan.xlsx"),
                Optional.of(Version.file(1200, OLDER)), Optional.of(Version.file(3400, NEWER)), Side.RIGHT,
                Optional.of(RelPath.of("docs/plan_clash_202611301015.xlsx")), RelPath.of("docs/plan.xlsx"),
                RelPath.of("docs/plan.xlsx"));
    }

    int send(MailSettings s, String password) {
        List<Mailer.Mail> mails = BisyncMail.of(s.notifyWhen(), "/srv/share", "/mnt/cloud", List.of(conflict()),
                new BisyncCounts());
        return new Mailer(s, password == null ? Map.of() : Map.of("DUPLEX_SMTP_PASSWORD", password), warnings::add)
                .send(mails);
    }

    @Test
    void aConflictMessageTellsPathRuleNewerSideSizesMtimesAndTheAction() throws Exception {
        start(ServerSetupTest.SMTP);
        int failed = send(settings(mail.getSmtp().getPort(), MailSettings.Security.NONE, Optional.empty(),
                MailSettings.Notify.PER_CONFLICT), null);
        assertThat(failed).isZero();
        assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage m = mail.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[share sync] conflict: docs/plan.xlsx");
        String body = ((String) m.getContent()).replace("\r\n", "\n");
        assertThat(body).contains("Path:    docs/plan.xlsx").contains("Rule:    changed")
                .contains("Newer:   right").contains("1200 bytes, modified 2026-11-30T10:15:00Z")
                .contains("3400 bytes, modified 2026-11-30T11:20:00Z")
                .contains("the older (left) as docs/plan_clash_202611301015.xlsx");
        assertThat(mail.getReceivedMessages()).hasSize(2);           // one per recipient
    }

    @Test
    void aSummaryCarriesTheCounts() throws Exception {
        start(ServerSetupTest.SMTP);
        send(settings(mail.getSmtp().getPort(), MailSettings.Security.NONE, Optional.empty(),
                MailSettings.Notify.SUMMARY), null);
        assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage m = mail.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[share sync] bisync: 1 conflict, 0 failed");
        assertThat((String) m.getContent()).contains("copied 0 left->right").contains("docs/plan.xlsx");
    }

    @Test
    void starttlsWithAPasswordFromTheEnvironmentDelivers() throws Exception {
        start(ServerSetupTest.SMTP);
        mail.setUser("duplex@example.org", "duplex", "s3cret");
        Tls.Identity id = Tls.selfSigned(tmp.resolve("cert"), List.of("127.0.0.1", "localhost"));
        try (StartTlsFront front = new StartTlsFront(mail.getSmtp().getPort(), id.serverContext())) {
            int failed = send(settings(front.port(), MailSettings.Security.STARTTLS, Optional.of("duplex"),
                    MailSettings.Notify.PER_CONFLICT), "s3cret");
            assertThat(failed).as(String.join("\n", warnings)).isZero();
        }
        assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
    }

    @Test
    void starttlsIsRequiredNotHoped() {
        start(ServerSetupTest.SMTP);                        // a server without STARTTLS
        int failed = send(settings(mail.getSmtp().getPort(), MailSettings.Security.STARTTLS, Optional.empty(),
                MailSettings.Notify.PER_CONFLICT), null);
        assertThat(failed).isEqualTo(1);
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void implicitTlsDelivers() {
        start(ServerSetupTest.SMTPS);
        int failed = send(settings(mail.getSmtps().getPort(), MailSettings.Security.TLS, Optional.empty(),
                MailSettings.Notify.PER_CONFLICT), null);
        assertThat(failed).as(String.join("\n", warnings)).isZero();
        assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
    }

    @Test
    void aWrongPasswordIsReportedAndCountedNeverThrown() {
        start(ServerSetupTest.SMTP);
        mail.setUser("duplex@example.org", "duplex", "s3cret");
        int failed = send(settings(mail.getSmtp().getPort(), MailSettings.Security.NONE, Optional.of("duplex"),
                MailSettings.Notify.PER_CONFLICT), "wrong");
        assertThat(failed).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("cannot send the e-mail")
                .contains("127.0.0.1:" + mail.getSmtp().getPort());
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aServerThatIsDownIsReportedAndCounted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();                         // closed again: nothing listens there
        }
        int failed = send(settings(port, MailSettings.Security.NONE, Optional.empty(),
                MailSettings.Notify.PER_CONFLICT), null);
        assertThat(failed).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("cannot send");
    }

    @Test
    void aMissingPasswordVariableIsReported() {
        start(ServerSetupTest.SMTP);
        int failed = send(settings(mail.getSmtp().getPort(), MailSettings.Security.NONE, Optional.of("duplex"),
                MailSettings.Notify.PER_CONFLICT), null);
        assertThat(failed).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("DUPLEX_SMTP_PASSWORD");
    }
}
