package dev.duplex.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release archive (dist/target/duplex-VERSION.tar.gz and .zip), unpacked and run as a user would. */
class ReleaseArchiveIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("duplex.archive", "../dist/target/duplex"));
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> CONTENT = List.of("duplex", "duplex.cmd", "lib/duplex.jar", "README.md",
            "docs/RELIABILITY.md", "docs/BENCHMARKS.md", "docs/PROTOCOL.md", "man/man1/duplex-serve.1",
            "man/man1/duplex.1", "man/man1/duplex-status.1", "man/man1/duplex-check.1", "man/man1/duplex-history.1",
            "completion/duplex", "packaging/nightly.toml", "packaging/systemd/duplex-nightly.service",
            "packaging/systemd/duplex-nightly.timer", "packaging/windows/duplex-nightly.xml",
            "packaging/windows/duplex-service.xml", "packaging/windows/duplex-loop.cmd",
            "packaging/systemd/duplex-serve.service", "packaging/windows/duplex-serve.xml",
            "packaging/systemd/duplex-bisync.service", "packaging/windows/duplex-bisync.xml",
            "packaging/logrotate/duplex-bisync");

    @TempDir
    Path tmp;

    private static Path tarGz() {
        return Path.of(ARCHIVE + ".tar.gz");
    }

    private Path unpacked() throws Exception {
        assertThat(tarGz()).as("mvn -B package builds the archive in dist/target").exists();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/env")) && Files.isExecutable(Path.of("/bin/tar"))
                || Files.isExecutable(Path.of("/usr/bin/tar")), "needs tar and env");
        Process tar = new ProcessBuilder("tar", "xzf", tarGz().toString(), "-C", tmp.toString()).start();
        assertThat(DuplexProcess.finish(tar, TIMEOUT).exitCode()).isZero();
        return tmp.resolve(ARCHIVE.getFileName());
    }

    private DuplexProcess.Result launch(Path home, List<String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=/usr/bin:/bin"));
        command.addAll(env);
        command.add(home.resolve("duplex").toString());
        command.addAll(List.of(args));
        return DuplexProcess.finish(new ProcessBuilder(command).start(), TIMEOUT);
    }

    @Test
    void theTarGzHoldsTheJarLaunchersDocsAndSchedulerFiles() throws Exception {
        Path home = unpacked();
        for (String f : CONTENT) {
            assertThat(home.resolve(f)).as(f).isRegularFile();
        }
        assertThat(home.resolve("duplex")).isExecutable();
        assertThat(Files.readString(home.resolve("man/man1/duplex.1"))).startsWith("'\\\" t").contains(".TH \"DUPLEX\"");
        assertThat(Files.readString(home.resolve("completion/duplex"))).contains("status").contains("history")
                .contains("--bwlimit");
    }

    @Test
    void theZipHoldsTheSameFiles() throws IOException {
        Path zip = Path.of(ARCHIVE + ".zip");
        assertThat(zip).exists();
        String base = ARCHIVE.getFileName() + "/";
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = z.stream().map(ZipEntry::getName).toList();
            assertThat(names).containsAll(CONTENT.stream().map(f -> base + f).toList());
        }
    }

    @Test
    void theLauncherRunsTheShippedJarFromABareEnvironment() throws Exception {
        Path home = unpacked();
        DuplexProcess.Result version = launch(home, List.of("HOME=" + tmp), "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("duplex ");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("ü.txt"), "x");
        DuplexProcess.Result sync = launch(home, List.of("HOME=" + tmp), "--db", tmp.resolve("j.db").toString(),
                src.toString(), tmp.resolve("dst").toString());
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(tmp.resolve("dst/ü.txt")).hasContent("x");
        assertThat(home.resolve("app")).as("builds nothing").doesNotExist();
    }

    @Test
    void theLauncherSaysClearlyWhenJavaHomeIsNotJava17() throws Exception {
        Path home = unpacked();
        Path old = Files.createDirectories(tmp.resolve("jdk11/bin"));
        Path java = Files.writeString(old.resolve("java"),
                "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        DuplexProcess.Result r = launch(home, List.of("JAVA_HOME=" + tmp.resolve("jdk11")), "--version");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("needs Java 17 or newer; JAVA_HOME=" + tmp.resolve("jdk11") + " is Java 11");
        DuplexProcess.Result none = launch(home, List.of("JAVA_HOME=" + tmp.resolve("nothing")), "--version");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("has no bin/java");
    }
}
