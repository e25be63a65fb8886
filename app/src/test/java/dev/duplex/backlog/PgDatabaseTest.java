package dev.duplex.backlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void aUrlNamesHostPortAndDatabaseAndTheEnvironmentTheUser() {
        PgDatabase db = PgDatabase.parse("postgresql://db.example:6543/jobs", Map.of("PGUSER", "copier"), "me");
        assertThat(db.host()).isEqualTo("db.example");
        assertThat(db.port()).isEqualTo(6543);
        assertThat(db.database()).isEqualTo("jobs");
        assertThat(db.user()).isEqualTo("copier");
        assertThat(db.password()).isEmpty();
        assertThat(db.describe()).isEqualTo("postgresql://db.example:6543/jobs");
        PgDatabase plain = PgDatabase.parse("postgres://[::1]/j", Map.of("HOME", dir.toString()), "me");
        assertThat(plain.port()).isEqualTo(5432);
        assertThat(plain.host()).isEqualTo("[::1]");
        assertThat(plain.user()).isEqualTo("me");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> PgDatabase.parse("postgresql://u:secret@h/db", Map.of(), "me"))
                .hasMessageContaining("PGPASSWORD").hasMessageNotContaining("secret");
    }

    @Test
    void malformedUrlsAreRefused() {
        assertThatThrownBy(() -> PgDatabase.parse("postgresql://host", Map.of(), "me"))
                .hasMessageContaining("postgresql://HOST[:PORT]/DBNAME");
        assertThatThrownBy(() -> PgDatabase.parse("postgresql://host:99999/db", Map.of(), "me"))
                .hasMessageContaining("out of range");
    }

    @Test
    void thePasswordComesFromPgpasswordOrTheFirstMatchingLineOfThePasswordFile() throws Exception {
        Path pass = Files.writeString(dir.resolve("pgpass"), """
                # comment
                other:5432:jobs:copier:wrong
                h:5432:jobs:someone:wrong
                h:*:jobs:copier:pa\\:ss
                *:*:*:*:fallback
                """);
        Map<String, String> env = Map.of("PGPASSFILE", pass.toString(), "PGUSER", "copier");
        assertThat(PgDatabase.parse("postgresql://h/jobs", env, "me").password()).contains("pa:ss");
        assertThat(PgDatabase.parse("postgresql://x/y", env, "me").password()).contains("fallback");
        assertThat(PgDatabase.parse("postgresql://h/jobs", Map.of("PGPASSFILE", pass.toString(), "PGUSER", "copier",
                "PGPASSWORD", "env"), "me").password()).contains("env");
        assertThat(PgDatabase.parse("postgresql://h/jobs", Map.of("PGPASSFILE", dir.resolve("none").toString()), "me")
                .password()).isEmpty();
    }

    @Test
    void postgresTablesAreWrittenWithWideIntegersAndByteOrderText() {
        assertThat(Dialect.POSTGRES.ddl("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, size INTEGER, p TEXT, "
                + "r REAL)")).isEqualTo("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, size BIGINT, p TEXT COLLATE \"C\", "
                + "r DOUBLE PRECISION)");
        assertThat(Dialect.SQLITE.ddl("CREATE TABLE t (size INTEGER)")).isEqualTo("CREATE TABLE t (size INTEGER)");
    }
}
