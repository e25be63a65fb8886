package dev.duplex.cli;

import dev.duplex.commit.Markers;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --ready-suffix} and {@code --success-marker}: what a run writes for the jobs downstream of it. */
public final class MarkerOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--ready-suffix", paramLabel = "SUFFIX",
            description = "After a file is committed on every destination, write NAME<SUFFIX> beside it on each "
                    + "(JSON: size, mtime, algo, hash), via a temp file and a rename; never for a file that failed "
                    + "anywhere. Example: --ready-suffix .ready")
    private String readySuffix;

    @Option(names = "--success-marker", paramLabel = "NAME",
            description = "After a run that exits 0, write the empty file NAME at each destination root (e.g. "
                    + "_SUCCESS); a run removes a stale one when it starts.")
    private String successMarker;

    /** @throws ParameterException (exit 2) for a suffix or name that cannot work */
    Markers markers() {
        try {
            return new Markers(Optional.ofNullable(readySuffix), Optional.ofNullable(successMarker));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
