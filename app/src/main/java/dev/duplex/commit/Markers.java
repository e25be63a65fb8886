package dev.duplex.commit;

import dev.duplex.tree.TempName;
import java.util.Optional;

/**
 * The markers a run writes for downstream jobs (seed 003).
 *
 * @param readySuffix {@code --ready-suffix}: {@code NAME<SUFFIX>} beside each file once it is committed on every
 *     destination
 * @param successMarker {@code --success-marker}: this empty file at each destination root after a run that exits 0
 */
public record Markers(Optional<String> readySuffix, Optional<String> successMarker) {
    public static final Markers NONE = new Markers(Optional.empty(), Optional.empty());

    public Markers {
        readySuffix.ifPresent(Markers::checkSuffix);
        successMarker.ifPresent(Markers::checkName);
    }

    /** A suffix that makes a plain file name of any name, and no duplex temp name. */
    private static void checkSuffix(String suffix) {
        if (suffix.isEmpty() || suffix.contains("/") || suffix.contains("\\") || suffix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("--ready-suffix '" + suffix + "' must be a non-empty name ending "
                    + "without a path separator (e.g. .ready)");
        }
        if (suffix.endsWith(TempName.SUFFIX) || (TempName.SUFFIX.endsWith(suffix) && suffix.length() > 4)) {
            throw new IllegalArgumentException("--ready-suffix '" + suffix + "' would make markers look like duplex "
                    + "temp files; choose another (e.g. .ready)");
        }
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("--success-marker '" + name + "' must be a plain file name "
                    + "(e.g. _SUCCESS), not a path");
        }
        if (TempName.isTemp(name)) {
            throw new IllegalArgumentException("--success-marker '" + name + "' is named like a duplex temp file");
        }
    }
}
