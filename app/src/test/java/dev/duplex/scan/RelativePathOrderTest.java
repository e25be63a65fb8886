package dev.duplex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelativePathOrderTest {
    @Test
    void ordersLikeASortedPreOrderWalk() {
        List<Path> paths = new ArrayList<>(List.of(Path.of("a.txt"), Path.of("a/b"), Path.of("a"), Path.of("a-b"),
                Path.of("a/b/c"), Path.of("b")));
        paths.sort(RelativePathOrder.INSTANCE);
        assertThat(paths).containsExactly(Path.of("a"), Path.of("a/b"), Path.of("a/b/c"), Path.of("a-b"),
                Path.of("a.txt"), Path.of("b"));
    }
}
