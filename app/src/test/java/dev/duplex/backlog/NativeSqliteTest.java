package dev.duplex.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeSqliteTest {
    @Test
    void extractsTheLibraryOnceAndReusesIt(@TempDir Path dir) throws Exception {
        Optional<Path> first = NativeSqlite.extract(dir);
        assertThat(first).isPresent();
        assertThat(Files.size(first.get())).isGreaterThan(100_000);
        long mtime = Files.getLastModifiedTime(first.get()).toMillis();
        Files.setLastModifiedTime(first.get(), java.nio.file.attribute.FileTime.fromMillis(mtime - 10_000));
        Optional<Path> second = NativeSqlite.extract(dir);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.get()).toMillis()).isEqualTo(mtime - 10_000);
        try (var s = Files.list(first.get().getParent())) {
            assertThat(s).containsExactly(first.get()); // no temp file left beside it
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedMeansNoCopyNotAFailure(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(NativeSqlite.extract(file.resolve("sub"))).isEmpty();
    }
}
