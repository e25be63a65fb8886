package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Db;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Duplex.Result;
import dev.duplex.testing.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --config FILE (TOML): values become defaults; the command line wins, for flags too. */
class ConfigFileIT {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    Path db;
    Path config;

    @BeforeEach
    void tree() {
        src = tmp.resolve("src");
        dst = tmp.resolve("dst");
        db = tmp.resolve("job.db");
        config = tmp.resolve("duplex.toml");
        Tree.at(src).file("a.txt", "aaa");
    }

    private void config(String... lines) throws IOException {
        Files.writeString(config, String.join("\n", lines) + "\n");
    }

    private Result duplex(String... args) {
        return Duplex.run(tmp.resolve("state"), args);
    }

    private String algo() {
        return (String) Db.rows(db, "SELECT algo FROM files").get(0).get("algo");
    }

    @Test
    void aValueFromTheFileIsUsedWhenTheCommandLineHasNone() throws IOException {
        config("checksum = \"md5\"", "db = \"" + db + "\"");
        Result r = duplex("--config", config.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(algo()).isEqualTo("md5");
    }

    @Test
    void theCommandLineWinsOverTheFile() throws IOException {
        config("checksum = \"md5\"", "db = \"" + tmp.resolve("other.db") + "\"");
        Result r = duplex("--config=" + config, "--checksum", "sha1", "--db", db.toString(), src.toString(),
                dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(algo()).isEqualTo("sha1");
        assertThat(tmp.resolve("other.db")).doesNotExist();
    }

    @Test
    void aFlagTurnedOnInTheFileIsTurnedOffWithFalseAndStaysOnWhenRepeated() throws IOException {
        config("dry-run = true", "db = \"" + db + "\"");
        Result dry = duplex("--config", config.toString(), "--dry-run", src.toString(), dst.toString());
        assertThat(dry.out()).contains("dry run: nothing will be changed");
        assertThat(dst).doesNotExist();
        Result real = duplex("--config", config.toString(), "--dry-run=false", src.toString(), dst.toString());
        assertThat(real.exitCode()).as(real.toString()).isZero();
        assertThat(dst.resolve("a.txt")).hasContent("aaa");
    }

    @Test
    void thePathsCanComeFromTheFileButOnlyAsAWhole() throws IOException {
        config("source = \"" + src + "\"", "dest = \"" + dst + "\"", "db = \"" + db + "\"");
        Result r = duplex("--config", config.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dst.resolve("a.txt")).hasContent("aaa");
        Path other = tmp.resolve("other");
        config("source = \"" + src + "\"", "dest = \"" + dst + "\"", "dest2 = \"" + tmp.resolve("never") + "\"");
        Result given = duplex("--config", config.toString(), "--db", tmp.resolve("o.db").toString(), src.toString(),
                other.toString());
        assertThat(given.exitCode()).as(given.toString()).isZero();
        assertThat(other.resolve("a.txt")).exists();
        assertThat(tmp.resolve("never")).as("DEST2 of the file is not mixed with the command line's paths")
                .doesNotExist();
    }

    @Test
    void aCommandTableAppliesToThatCommandOnly() throws IOException {
        config("db = \"" + db + "\"", "[status]", "json = true");
        assertThat(duplex("--config", config.toString(), src.toString(), dst.toString()).exitCode()).isZero();
        Result status = duplex("status", "--config", config.toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).startsWith("{\"db\":\"" + db + "\"");
        Result text = duplex("status", "--config", config.toString(), "--json=false");
        assertThat(text.out()).startsWith("job:");
    }

    @Test
    void anUnknownKeyIsAUsageErrorThatNamesIt() throws IOException {
        config("bwlimt = \"20M\"");
        Result r = duplex("--config", config.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("config file " + config + ": unknown key bwlimt").contains("bwlimit");
        assertThat(dst).doesNotExist();
    }

    @Test
    void aBadValueIsAUsageError() throws IOException {
        config("bwlimit = \"fast\"");
        Result r = duplex("--config", config.toString(), "--db", db.toString(), src.toString(), dst.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'fast' is not a rate");
    }

    @Test
    void aMissingOrBrokenFileIsAUsageError() throws IOException {
        Result missing = duplex("--config", tmp.resolve("nope.toml").toString(), src.toString(), dst.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the config file " + tmp.resolve("nope.toml"));
        config("checksum = ");
        Result broken = duplex("--config", config.toString(), src.toString(), dst.toString());
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains("config file " + config);
    }

    @Test
    void picocliArgumentFilesWorkToo() throws IOException {
        Path args = tmp.resolve("args.txt");
        Files.writeString(args, "--checksum md5\n--db " + db + "\n");
        Result r = duplex("@" + args, src.toString(), dst.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(algo()).isEqualTo("md5");
    }
}
