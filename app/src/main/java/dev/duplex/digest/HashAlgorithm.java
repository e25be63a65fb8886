package dev.duplex.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * The checksum algorithms of {@code --checksum}, each mapped to its contract name and to the fastest
 * implementation measured here: the JDK's {@link MessageDigest} (SHA-NI intrinsics) for md5, sha1 and
 * sha256, Bouncy Castle for BLAKE2b-512 (the JDK has none). Hex output equals md5sum, sha1sum,
 * sha256sum and b2sum.
 */
public enum HashAlgorithm {
    MD5("md5", "md5sum"),
    SHA1("sha1", "sha1sum"),
    SHA256("sha256", "sha256sum"),
    BLAKE2B("blake2b", "b2sum");

    private final String cliName;
    private final String coreutilsTool;

    HashAlgorithm(String cliName, String coreutilsTool) {
        this.cliName = cliName;
        this.coreutilsTool = coreutilsTool;
    }

    /** The name used on the command line, in the db and in the audit log. */
    public String cliName() {
        return cliName;
    }

    /** The coreutils command whose {@code -c} accepts this algorithm's hex. */
    public String coreutilsTool() {
        return coreutilsTool;
    }

    /** A fresh, independent hasher; not thread-safe. */
    public FileHasher newHasher() {
        return switch (this) {
            case MD5 -> jdk("MD5");
            case SHA1 -> jdk("SHA-1");
            case SHA256 -> jdk("SHA-256");
            case BLAKE2B -> new Blake2b();
        };
    }

    public static Optional<HashAlgorithm> fromCliName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT).replace("-", "");
        return Arrays.stream(values()).filter(a -> a.cliName.equals(wanted)).findFirst();
    }

    public static String cliNames() {
        return Arrays.stream(values()).map(HashAlgorithm::cliName).collect(Collectors.joining(", "));
    }

    private static FileHasher jdk(String name) {
        try {
            return new Jdk(MessageDigest.getInstance(name));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks " + name + ", which every Java SE must provide", e);
        }
    }

    /** Incremental hashing of one file's bytes. */
    public interface FileHasher {
        /** Consumes the buffer's remaining bytes; the buffer's position ends at its limit. */
        void update(ByteBuffer data);

        /** Lowercase hex of the digest; the hasher is reset afterwards. */
        String finishHex();
    }

    private static final class Jdk implements FileHasher {
        private final MessageDigest digest;

        Jdk(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void update(ByteBuffer data) {
            digest.update(data);
        }

        @Override
        public String finishHex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static final class Blake2b implements FileHasher {
        private final Blake2bDigest digest = new Blake2bDigest(512);
        private byte[] scratch = new byte[0];

        @Override
        public void update(ByteBuffer data) {
            if (data.hasArray()) {
                digest.update(data.array(), data.arrayOffset() + data.position(), data.remaining());
                data.position(data.limit());
                return;
            }
            // direct buffer: BC wants a byte[]; copy through a reused 64 KiB scratch array
            if (scratch.length == 0) {
                scratch = new byte[64 * 1024];
            }
            while (data.hasRemaining()) {
                int n = Math.min(scratch.length, data.remaining());
                data.get(scratch, 0, n);
                digest.update(scratch, 0, n);
            }
        }

        @Override
        public String finishHex() {
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return HexFormat.of().formatHex(out);
        }
    }
}
