package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.bisync.Side;
import org.junit.jupiter.api.Test;

class DeleteWindowTest {
    @Test
    void deletesAddUpUntilTheNextFullReconcileAgainstTheFilesThereWouldBeWithoutThem() {
        DeleteWindow w = new DeleteWindow();
        assertThat(w.files(Side.LEFT, 15)).isEqualTo(15);
        w.add(Side.LEFT, 2);
        w.add(Side.LEFT, 3);
        assertThat(w.deleted(Side.LEFT)).isEqualTo(5);
        assertThat(w.files(Side.LEFT, 10)).as("10 recorded now + the 5 deleted: not the shrinking count")
                .isEqualTo(15);
        assertThat(w.files(Side.LEFT, 12)).as("files made since count too").isEqualTo(17);
        assertThat(w.deleted(Side.RIGHT)).isZero();
        w.reset(Side.LEFT);
        assertThat(w.deleted(Side.LEFT)).isZero();
    }
}
