package dev.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.testing.Duplex;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code duplex serve}'s refusals of options that cannot work: exit 2, a message saying what to do. */
class ServeCommandTest {
    @TempDir
    Path tmp;

    private Duplex.Result serve(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        return Duplex.run(tmp.resolve("state"), all);
    }

    @Test
    void refusesOptionsThatCannotWork() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Path token = Files.writeString(tmp.resolve("token"), "t0ken\n");
        String module = "data=" + dir;
        record Case(String why, String expected, String... args) {}
        for (Case c : new Case[] {
            new Case("no token and no --no-auth", "--token-file", "--module", module),
            new Case("--no-auth off loopback", "loopback", "--no-auth", "--listen", "0.0.0.0:0", "--module", module),
            new Case("both", "not both", "--no-auth", "--token-file", token.toString(), "--module", module),
            new Case("no module", "--module", "--token-file", token.toString()),
            new Case("module not NAME=PATH", "NAME=PATH", "--token-file", token.toString(), "--module", "data"),
            new Case("module path missing", "not a directory", "--token-file", token.toString(), "--module",
                    "data=" + tmp.resolve("missing")),
            new Case("bad module name", "letters", "--token-file", token.toString(), "--module", "a/b=" + dir),
            new Case("module twice", "twice", "--token-file", token.toString(), "--module", module, "--module",
                    module),
            new Case("read-only unknown", "no --module", "--token-file", token.toString(), "--module", module,
                    "--read-only", "other"),
            new Case("bad listen", "HOST:PORT", "--token-file", token.toString(), "--module", module, "--listen",
                    "nowhere"),
            new Case("cert without key", "go together", "--token-file", token.toString(), "--module", module,
                    "--tls-cert", token.toString()),
            new Case("empty token file", "empty", "--token-file", Files.writeString(tmp.resolve("empty"), "\n")
                    .toString(), "--module", module),
            new Case("missing token file", "no such file", "--token-file", tmp.resolve("nope").toString(),
                    "--module", module)}) {
            Duplex.Result r = serve(c.args());
            assertThat(r.exitCode()).as(c.why() + "\n" + r).isEqualTo(2);
            assertThat(r.err()).as(c.why()).contains(c.expected());
        }
    }

    @Test
    void aPortInUseIsFatal() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Duplex.Result r = serve("--no-auth", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--module",
                    "data=" + dir);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void helpShowsTheOptionsAndAnExample() {
        Duplex.Result r = serve("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--module", "--read-only", "--token-file", "--no-auth", "--tls-self-signed",
                "--max-connections", "duplex://", "9031");
    }

    @Test
    void aConfigFileGivesModulesAsArraysWithPathsBesideIt() throws Exception {
        // found by review: module = [...] was refused, and a relative token-file was looked for in the working
        // directory (cron's is $HOME)
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Files.createDirectories(etc.resolve("srv/a"));
        Files.createDirectories(etc.resolve("srv/b"));
        Files.writeString(etc.resolve("token"), "0123456789abcdef0123\n");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Path config = Files.writeString(etc.resolve("serve.toml"), "[serve]\nmodule = [\"a=srv/a\", \"b=srv/b\"]\n"
                    + "read-only = [\"b\"]\ntoken-file = \"token\"\nlisten = \"127.0.0.1:" + taken.getLocalPort()
                    + "\"\n");
            Duplex.Result r = serve("--config", config.toString());
            // everything was read (modules, read-only, token beside the file) up to the taken port
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).contains("cannot listen");
            Files.writeString(config, "[serve]\nmodule = [\"a=srv/a\", \"b=srv/missing\"]\ntoken-file = \"token\"\n");
            Duplex.Result missing = serve("--config", config.toString());
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.err()).contains(etc.resolve("srv/missing").toString());
        }
    }
}
