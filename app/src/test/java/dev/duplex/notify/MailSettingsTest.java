package dev.duplex.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailSettingsTest {
    @TempDir
    Path tmp;

    Path config(String text) throws IOException {
        return Files.writeString(tmp.resolve("c.toml"), text);
    }

    @Test
    void readsTheEmailTable() throws IOException {
        MailSettings s = MailSettings.fromConfig(config("""
                bwlimit = "2M"
                [email]
                smtp-host = "mail.example.org"
                security = "starttls"
                username = "sync"
                password-env = "SMTP_PASSWORD"
                from = "duplex@example.org"
                to = ["admin@example.org"]
                subject-prefix = "[sync]"
                notify = "summary"
                """)).orElseThrow();
        assertThat(s.smtpPort()).isEqualTo(587);
        assertThat(s.security()).isEqualTo(MailSettings.Security.STARTTLS);
        assertThat(s.passwordEnv()).contains("SMTP_PASSWORD");
        assertThat(s.to()).isEqualTo(List.of("admin@example.org"));
        assertThat(s.notifyWhen()).isEqualTo(MailSettings.Notify.SUMMARY);
    }

    @Test
    void noTableNoMail() throws IOException {
        assertThat(MailSettings.fromConfig(config("bwlimit = \"2M\"\n"))).isEqualTo(Optional.empty());
    }

    @Test
    void mistakesAreNamed() throws IOException {
        assertThatThrownBy(() -> MailSettings.fromConfig(config("[email]\nsmtp-host = \"h\"\nfrom = \"a@b\"\n")))
                .hasMessageContaining("to must list at least one address");
        assertThatThrownBy(() -> MailSettings.fromConfig(config(
                "[email]\nsmtp-host = \"h\"\nfrom = \"a@b\"\nto = [\"c@d\"]\npassword = \"x\"\n")))
                .hasMessageContaining("unknown key password");
        assertThatThrownBy(() -> MailSettings.fromConfig(config(
                "[email]\nsmtp-host = \"h\"\nfrom = \"a@b\"\nto = [\"c@d\"]\nsecurity = \"ssl\"\n")))
                .hasMessageContaining("security must be one of [none, starttls, tls]");
    }
}
