package dev.duplex.commit;

import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
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

    /** Where a committed file is: one destination's tree and its path there. */
    public record Place(Tree tree, RelPath path) {
        String name() {
            return tree.nameOf(path);
        }
    }

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
    public Optional<String> removeOldMarkers(List<Place> places) {
        if (readySuffix.isEmpty()) {
            return Optional.empty();
        }
        for (Place p : places) {
            RelPath marker = ReadyMarker.markerFor(p.path(), readySuffix.get());
            try {
                p.tree().delete(marker);
            } catch (IOException e) {
                return Optional.of("cannot remove the old ready marker " + p.tree().nameOf(marker) + ": " + describe(e));
            }
        }
        return Optional.empty();
    }

    /**
     * Once the file is under its final name on every destination: its sidecars and markers. Returns why, when a
     * marker cannot be written (the file then counts as failed; the next run copies it again and writes it).
     */
    public Optional<String> writeAfterCommit(List<Place> places, long sizeBytes, Instant mtime, String algo,
                                             String hash) {
        sidecarAlgo.ifPresent(name -> places.forEach(p -> writeSidecar(p, name, hash)));
        if (readySuffix.isEmpty()) {
            return Optional.empty();
        }
        byte[] json = ReadyMarker.json(sizeBytes, mtime, algo, hash).getBytes(StandardCharsets.UTF_8);
        for (Place p : places) {
            RelPath marker = ReadyMarker.markerFor(p.path(), readySuffix.get());
            try {
                p.tree().writeSmallFile(marker, json);
            } catch (IOException e) {
                return Optional.of("committed on every destination, but cannot write its ready marker "
                        + p.tree().nameOf(marker) + ": " + describe(e));
            }
        }
        return Optional.empty();
    }

    private static void writeSidecar(Place p, String algo, String hash) {
        try {
            p.tree().writeSmallFile(SidecarWriter.sidecarFor(p.path(), algo),
                    SidecarWriter.line(p.path().name(), hash).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cannot write the sidecar of {}: {}", p.name(), e.toString());
        }
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
