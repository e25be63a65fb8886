package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizesTest {
    private static final long LARGE = 8L << 20;

    private static Sizes.Sized file(String p, long size) {
        return new Sizes.Sized(RelPath.of(p), size, false);
    }

    @Test
    void aLargeFileAloneGoesToTheLaneAndTheRestToTheMainPassSmallestFirst() {
        List<RelPath> main = new ArrayList<>();
        List<RelPath> lane = Sizes.split(List.of(file("big.iso", 9L << 20), file("b.txt", 20), file("a.txt", 10)),
                LARGE, true, main);
        assertThat(lane).containsExactly(RelPath.of("big.iso"));
        assertThat(main).containsExactly(RelPath.of("a.txt"), RelPath.of("b.txt"));
    }

    @Test
    void aLargeFileBelowAFolderOfTheSameBatchStaysInTheMainPassWhichReadsTheFolder() {
        List<RelPath> main = new ArrayList<>();
        List<RelPath> lane = Sizes.split(List.of(file("d", 0), file("d/big.bin", 9L << 20)), LARGE, true, main);
        assertThat(lane).as("two writers of one file at once").isEmpty();
        assertThat(main).containsExactly(RelPath.of("d"), RelPath.of("d/big.bin"));
    }

    @Test
    void aBatchWithAPathGoneFromASideKeepsEverythingTogetherSoARenameIsSeenAsOne() {
        List<RelPath> main = new ArrayList<>();
        List<RelPath> lane = Sizes.split(List.of(new Sizes.Sized(RelPath.of("old.bin"), 0, true),
                file("new.bin", 9L << 20)), LARGE, true, main);
        assertThat(lane).isEmpty();
        assertThat(main).containsExactlyInAnyOrder(RelPath.of("old.bin"), RelPath.of("new.bin"));
    }

    @Test
    void withoutALaneEverythingGoesToTheMainPass() {
        List<RelPath> main = new ArrayList<>();
        assertThat(Sizes.split(List.of(file("big", 9L << 20)), LARGE, false, main)).isEmpty();
        assertThat(main).containsExactly(RelPath.of("big"));
    }
}
