package dev.duplex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.bisync.Side;
import org.junit.jupiter.api.Test;

class DeleteWindowTest {
    @Test
    void deletesAddUpUntilTheNextFullReconcileAgainstTheFilesRecordedThen() {
        DeleteWindow w = new DeleteWindow();
        assertThat(w.files(Side.LEFT, 15)).as("before the first full reconcile: what is recorded now").isEqualTo(15);
        w.reset(Side.LEFT, 15);
        w.add(Side.LEFT, 2);
        w.add(Side.LEFT, 3);
        assertThat(w.deleted(Side.LEFT)).isEqualTo(5);
        assertThat(w.files(Side.LEFT, 10)).as("not the shrinking count").isEqualTo(15);
        assertThat(w.deleted(Side.RIGHT)).isZero();
        w.reset(Side.LEFT, 10);
        assertThat(w.deleted(Side.LEFT)).isZero();
    }
}
