package dev.duplex.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.EntryKind;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Roots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BisyncTableTest {
    @TempDir
    Path tmp;

    private static final Instant T = Instant.parse("2026-11-30T10:00:00.123456Z");

    private static Optional<SideRow> file(long size) {
        return Optional.of(new SideRow(EntryKind.FILE, size, T, Optional.of("sha256:x"), Optional.of("1:2"),
                Optional.empty()));
    }

    private static Optional<SideRow> dir() {
        return Optional.of(new SideRow(EntryKind.DIRECTORY, 0, T, Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void loadUnderReadsAPathAndWhatIsBelowItAndNothingThatMerelySharesItsPrefix() throws Exception {
        Path l = Files.createDirectories(tmp.resolve("l"));
        Path r = Files.createDirectories(tmp.resolve("r"));
        try (BacklogStore store = BacklogStores.open(tmp.resolve("job.db"),
                PathNames.of(new Roots(LocalTree.at(l), List.of(LocalTree.at(r)))))) {
            for (String p : List.of("a", "a/b", "a/b/c.txt", "a b", "a.txt", "a0", "a-", "ab/x", "b")) {
                boolean isDir = p.equals("a") || p.equals("a/b");
                store.bisync().put(new PairRow(RelPath.of(p), isDir ? dir() : file(p.length()),
                        isDir ? dir() : Optional.empty(), "record"));
            }
            store.commit();
            assertThat(store.bisync().loadUnder(RelPath.of("a")).keySet()).extracting(RelPath::toString)
                    .containsExactlyInAnyOrder("a", "a/b", "a/b/c.txt");
            assertThat(store.bisync().loadUnder(RelPath.of("a/b/c.txt")).keySet()).extracting(RelPath::toString)
                    .containsExactly("a/b/c.txt");
            assertThat(store.bisync().loadUnder(RelPath.of("nothing"))).isEmpty();
            assertThat(store.bisync().loadUnder(RelPath.ROOT)).hasSize(9);
            PairRow read = store.bisync().loadUnder(RelPath.of("a.txt")).get(RelPath.of("a.txt"));
            assertThat(read.left().orElseThrow().modified()).isEqualTo(T);
            assertThat(store.bisync().filesOn(true)).isEqualTo(7);
            assertThat(store.bisync().filesOn(false)).isZero();
        }
    }
}
