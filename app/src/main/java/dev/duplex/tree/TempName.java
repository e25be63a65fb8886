package dev.duplex.tree;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Builds and recognises destination temp names, {@code .<name>.<token>.duplex-tmp}. The token is derived from the
 * final name, so a retry of the same file reuses (and truncates) the same temp file instead of leaving one behind.
 * Long names are shortened so the temp name stays within the 255-byte name limit of common file systems.
 */
public final class TempName {
    public static final String SUFFIX = ".duplex-tmp";
    private static final int MAX_NAME_BYTES = 255;
    private static final int TOKEN_CHARS = 8;

    private TempName() {}

    /** The temp file that {@code finalPath} is written to before it is renamed into place. */
    public static Path forFinal(Path finalPath) {
        Path fileName = finalPath.getFileName();
        if (fileName == null) {
            throw new IllegalArgumentException("not a file path: '" + finalPath + "'");
        }
        String name = fileName.toString();
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        String hex = Long.toHexString(crc.getValue());
        String token = "00000000".substring(hex.length()) + hex;
        int room = MAX_NAME_BYTES - (1 + 1 + TOKEN_CHARS + SUFFIX.length());
        String temp = "." + fitUtf8(name, room) + "." + token + SUFFIX;
        return finalPath.resolveSibling(temp);
    }

    /** The temp file that {@code finalPath} is written to, beside it in the same tree. */
    public static RelPath forFinal(RelPath finalPath) {
        if (finalPath.isRoot()) {
            throw new IllegalArgumentException("the root has no temp file");
        }
        return finalPath.sibling(forFinal(Path.of(finalPath.name())).getFileName().toString());
    }

    /** True for names this tool (any run, any job) writes as temp files. */
    public static boolean isTemp(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(SUFFIX) && fileName.length() > SUFFIX.length() + 1;
    }

    /**
     * The final name a temp name was made for, when it can be told for sure: the name is whole (not shortened) and
     * its token is the CRC of it. Empty otherwise.
     */
    public static java.util.Optional<String> finalNameOf(String tempName) {
        int tokenStart = tempName.length() - SUFFIX.length() - TOKEN_CHARS;
        if (!isTemp(tempName) || tokenStart < 3 || tempName.charAt(tokenStart - 1) != '.') {
            return java.util.Optional.empty();
        }
        String name = tempName.substring(1, tokenStart - 1);
        return forFinal(Path.of(name)).getFileName().toString().equals(tempName) ? java.util.Optional.of(name)
                : java.util.Optional.empty();
    }

    private static String fitUtf8(String name, int maxBytes) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return name;
        }
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            b.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
