package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Predicate;

/**
 * The name an older version is kept under in a {@code keep-both} conflict: {@code <stem>_clash_<YYYYMMDDHHMM><ext>}
 * beside the original, where {@code <ext>} is the name's last {@code .suffix} (empty for a name without a dot and for
 * a dotfile such as {@code .profile}) and the time is the older version's mtime in the given zone; where that name
 * is taken, {@code _2}, {@code _3}, ... follow the timestamp.
 */
public final class ClashNames {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmm");

    private ClashNames() {
    }

    /** The first free clash name for {@code path}; {@code taken} tells which names either side uses or will. */
    public static RelPath pick(RelPath path, Instant olderModified, ZoneId zone, Predicate<RelPath> taken) {
        String name = path.name();
        int dot = name.lastIndexOf('.');
        String stem = dot <= 0 ? name : name.substring(0, dot);
        String ext = dot <= 0 ? "" : name.substring(dot);
        String base = stem + "_clash_" + STAMP.format(olderModified.atZone(zone));
        RelPath candidate = path.sibling(base + ext);
        for (int n = 2; taken.test(candidate); n++) {
            candidate = path.sibling(base + "_" + n + ext);
        }
        return candidate;
    }
}
