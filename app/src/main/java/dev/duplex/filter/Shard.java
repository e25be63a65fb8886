package dev.duplex.filter;

import java.nio.charset.StandardCharsets;

/**
 * {@code --shard K/N}: this run takes the files (and symlinks) whose relative path hashes to slot K of N, so that N
 * runs under a scheduler (a Kubernetes Indexed Job, a Slurm array, cron on N machines) split one tree with no
 * database between them. Directories belong to every slot (each run makes the folders its files need). The hash is
 * FNV-1a (64 bit) of the path's UTF-8 bytes, mixed by MurmurHash3's 64-bit finaliser: the same on every machine,
 * JVM and run (it is part of the contract between parts: never change it).
 *
 * @param index K, from 1 to {@code count}
 * @param count N, at least 1
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard takes K/N with 1 <= K <= N (e.g. 1/4 ... 4/4), not "
                    + index + "/" + count);
        }
    }

    /** Parses {@code K/N}. */
    public static Shard parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--shard takes K/N (e.g. 2/4: the second of four parts), not '"
                    + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(text.substring(0, slash).trim()),
                    Integer.parseInt(text.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard takes K/N with two whole numbers, not '" + text + "'");
        }
    }

    /** The slot (1..count) of a relative path. */
    public static int slotOf(String relative, int count) {
        long h = 0xcbf29ce484222325L;
        for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;                   // MurmurHash3's finaliser: FNV's low bits alone split 4 ways by +-11 %
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, count) + 1;
    }

    /** Whether the file or symlink at {@code relative} is this shard's. */
    public boolean holds(String relative) {
        return count == 1 || slotOf(relative, count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
