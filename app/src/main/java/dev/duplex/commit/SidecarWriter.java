package dev.duplex.commit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code --sidecar}: writes {@code NAME.<algo>} beside a committed file, in the format {@code sha256sum -c} (and
 * md5sum, sha1sum, b2sum) accepts, itself through a temp file and a rename, so a reader never sees half of it.
 */
public final class SidecarWriter {
    private SidecarWriter() {}

    /** The checksum file for {@code file}. */
    public static Path sidecarFor(Path file, String algoName) {
        return file.resolveSibling(file.getFileName() + "." + algoName);
    }

    /** Writes the sidecar of {@code file} with {@code hexHash}; returns its path. */
    public static Path write(Path file, String algoName, String hexHash) throws IOException {
        Path sidecar = sidecarFor(file, algoName);
        AtomicFile.write(sidecar, line(file.getFileName().toString(), hexHash).getBytes(StandardCharsets.UTF_8));
        return sidecar;
    }

    /** One line of coreutils' checksum format; names with a backslash or newline use its escaped form. */
    static String line(String name, String hexHash) {
        if (name.indexOf('\\') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
            return hexHash + "  " + name + "\n";
        }
        String escaped = name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        return "\\" + hexHash + "  " + escaped + "\n";
    }
}
