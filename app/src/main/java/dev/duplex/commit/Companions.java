package dev.duplex.commit;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files duplex writes beside a committed file: the checksum sidecar ({@code --sidecar}) and the ready marker
 * ({@code --ready-suffix}). A marker's trouble is the file's (a downstream job waits for it); a sidecar's is only
 * logged (the sidecar is rewritten when the file is next copied).
 */
public final class Companions {
    private static final Logger LOG = LoggerFactory.getLogger(Companions.class);

    private final Optional<String> sidecarAlgo;
    private final Optional<String> readySuffix;

    /**
     * @param sidecarAlgo with --sidecar, the algorithm's name ({@code sha256}): the sidecar is {@code NAME.sha256}
     * @param readySuffix with --ready-suffix, the marker's suffix
     */
    public Companions(Optional<String> sidecarAlgo, Optional<String> readySuffix) {
        this.sidecarAlgo = sidecarAlgo;
        this.readySuffix = readySuffix;
    }

    /**
     * Before new versions are renamed into place: removes their old markers, so that no marker ever describes
     * content its file does not have. Returns why, when one cannot be removed (the files must not be committed).
     */
    public Optional<String> removeOldMarkers(List<Path> finalPaths) {
        if (readySuffix.isEmpty()) {
            return Optional.empty();
        }
        for (Path file : finalPaths) {
            try {
                ReadyMarker.remove(file, readySuffix.get());
            } catch (IOException e) {
                return Optional.of("cannot remove the old ready marker " + ReadyMarker.markerFor(file,
                        readySuffix.get()) + ": " + describe(e));
            }
        }
        return Optional.empty();
    }

    /**
     * Once the file is under its final name on every destination: its sidecars and markers. Returns why, when a
     * marker cannot be written (the file then counts as failed; the next run copies it again and writes it).
     */
    public Optional<String> writeAfterCommit(List<Path> finalPaths, long sizeBytes, Instant mtime, String algo,
                                             String hash) {
        sidecarAlgo.ifPresent(name -> finalPaths.forEach(file -> writeSidecar(file, name, hash)));
        if (readySuffix.isEmpty()) {
            return Optional.empty();
        }
        for (Path file : finalPaths) {
            try {
                ReadyMarker.write(file, readySuffix.get(), sizeBytes, mtime, algo, hash);
            } catch (IOException e) {
                return Optional.of("committed on every destination, but cannot write its ready marker "
                        + ReadyMarker.markerFor(file, readySuffix.get()) + ": " + describe(e));
            }
        }
        return Optional.empty();
    }

    private static void writeSidecar(Path file, String algo, String hash) {
        try {
            SidecarWriter.write(file, algo, hash);
        } catch (IOException e) {
            LOG.warn("cannot write the sidecar of {}: {}", file, e.toString());
        }
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
