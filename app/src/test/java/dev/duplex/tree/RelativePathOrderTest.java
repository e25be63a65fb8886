package dev.duplex.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RelativePathOrderTest {
    private static final RelativePathOrder ORDER = new RelativePathOrder('/');

    @Test
    void ordersLikeASortedPreOrderWalk() {
        List<String> paths = new ArrayList<>(List.of("a.txt", "a/b", "a", "a-b", "a/b/c", "b", "a b/x", "a/ b"));
        paths.sort(ORDER);
        assertThat(paths).containsExactly("a", "a/ b", "a/b", "a/b/c", "a b/x", "a-b", "a.txt", "b");
    }

    /** The text comparison must agree with comparing name by name, which is what the walks produce. */
    @Test
    void agreesWithComparingNameByName() {
        Comparator<String> byNames = (a, b) -> {
            Path x = Path.of(a);
            Path y = Path.of(b);
            int n = Math.min(x.getNameCount(), y.getNameCount());
            for (int i = 0; i < n; i++) {
                int c = x.getName(i).toString().compareTo(y.getName(i).toString());
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.getNameCount(), y.getNameCount());
        };
        String alphabet = "ab /.-_\u00e9\u6587";
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            String a = randomPath(r, alphabet);
            String b = randomPath(r, alphabet);
            assertThat(Integer.signum(ORDER.compare(a, b))).as(a + " vs " + b)
                    .isEqualTo(Integer.signum(byNames.compare(a, b)));
        }
    }

    private static String randomPath(SplittableRandom r, String alphabet) {
        StringBuilder b = new StringBuilder();
        int names = 1 + r.nextInt(3);
        for (int n = 0; n < names; n++) {
            if (n > 0) {
                b.append('/');
            }
            int len = 1 + r.nextInt(3);
            for (int k = 0; k < len; k++) {
                char c;
                do {
                    c = alphabet.charAt(r.nextInt(alphabet.length()));
                } while (c == '/');
                b.append(c);
            }
        }
        return b.toString();
    }
}
