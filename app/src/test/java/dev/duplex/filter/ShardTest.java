package dev.duplex.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Property(tries = 500, seed = "20261202")
    void everyPathIsInExactlyOneSlot(@ForAll @StringLength(min = 1, max = 60) String path,
                                     @ForAll @IntRange(min = 1, max = 64) int count) {
        int holders = 0;
        for (int k = 1; k <= count; k++) {
            if (new Shard(k, count).holds(path)) {
                holders++;
            }
        }
        assertThat(holders).isEqualTo(1);
    }

    @Test
    void theSlotOfAPathIsFixedAcrossMachinesAndVersions() {
        // N hosts running different duplex versions must agree: the hash is part of the contract (values from an
        // independent Python implementation of FNV-1a 64 + MurmurHash3 fmix64)
        assertThat(Shard.slotOf("a/b.txt", 4)).isEqualTo(SLOT_AB_4);
        assertThat(Shard.slotOf("dept1/project7/y2019/doc123.docx", 16)).isEqualTo(SLOT_DOC_16);
        assertThat(Shard.slotOf("é/ü.txt", 3)).isEqualTo(SLOT_UTF8_3);
    }

    @Test
    void slotsAreEvenEnoughForATree() {
        int[] per = new int[4];
        for (int i = 0; i < 40_000; i++) {
            per[Shard.slotOf("dept" + (i % 12) + "/project" + (i / 12 % 150) + "/doc" + i + ".docx", 4) - 1]++;
        }
        for (int n : per) {
            assertThat(n).isBetween(9_000, 11_000);
        }
    }

    @Test
    void directoriesBelongToEveryShardFilesToOne() {
        PathFilter f = PathFilter.NONE.withShard(new Shard(1, 2));
        PathFilter g = PathFilter.NONE.withShard(new Shard(2, 2));
        assertThat(f.excludes("some/dir", true)).isFalse();
        assertThat(g.excludes("some/dir", true)).isFalse();
        assertThat(f.excludes("some/file", false)).isNotEqualTo(g.excludes("some/file", false));
        assertThat(f.describe()).isEqualTo("--shard 1/2");
        assertThat(f.isEmpty()).isFalse();
    }

    @Test
    void badShardsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> Shard.parse("0/4")).hasMessageContaining("1 <= K <= N");
        assertThatThrownBy(() -> Shard.parse("5/4")).hasMessageContaining("1 <= K <= N");
        assertThatThrownBy(() -> Shard.parse("4")).hasMessageContaining("K/N");
        assertThatThrownBy(() -> Shard.parse("a/b")).hasMessageContaining("whole numbers");
        assertThat(Shard.parse(" 2 / 4 ")).isEqualTo(new Shard(2, 4));
    }

    private static final int SLOT_AB_4 = 2;
    private static final int SLOT_DOC_16 = 8;
    private static final int SLOT_UTF8_3 = 2;
}
