package dev.duplex.commit;

import dev.duplex.tree.RelPath;

/**
 * {@code --sidecar}: the file {@code NAME.<algo>} beside a committed file, in the format {@code sha256sum -c} (and
 * md5sum, sha1sum, b2sum) accepts, written through a temp file and a rename, so a reader never sees half of it.
 */
public final class SidecarWriter {
    private SidecarWriter() {}

    /** The checksum file for {@code file}. */
    public static RelPath sidecarFor(RelPath file, String algoName) {
        return file.sibling(file.name() + "." + algoName);
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
