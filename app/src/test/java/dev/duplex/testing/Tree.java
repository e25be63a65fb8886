package dev.duplex.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds source trees of (path, content, fixed mtime) and compares trees by bytes and mtimes. */
public final class Tree {
    public static final Instant T0 = Instant.parse("2024-01-01T00:00:00.123456789Z");

    private final Path root;

    private Tree(Path root) {
        this.root = root;
    }

    public static Tree at(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Tree(root);
    }

    public Path root() {
        return root;
    }

    public Tree file(String relative, String content) {
        return file(relative, content.getBytes(StandardCharsets.UTF_8), T0);
    }

    public Tree file(String relative, byte[] content, Instant mtime) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            Files.setLastModifiedTime(p, FileTime.from(mtime));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Tree randomFile(String relative, int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return file(relative, b, T0);
    }

    public Tree dir(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A symlink at {@code relative} whose target text is {@code target} (need not exist). */
    public Tree link(String relative, String target) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.createSymbolicLink(p, Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path(String relative) {
        return root.resolve(relative);
    }

    /** Relative path -> (content hash and mtime, "dir", or "link->target") of every entry; links are not followed. */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                String rel = root.relativize(p).toString();
                try {
                    if (Files.isSymbolicLink(p)) {
                        out.put(rel, "link->" + Files.readSymbolicLink(p));
                    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.put(rel, "dir");
                    } else {
                        out.put(rel, Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p)))
                                + "@" + Files.getLastModifiedTime(p).toInstant());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The destination has exactly the source's files and dirs, with the same bytes and mtimes. */
    public static void assertSameTree(Path source, Path dest) {
        assertThat(snapshot(dest)).isEqualTo(snapshot(source));
    }

    /** {@link #snapshot} without a two-way sync's trash ({@code .sync_trash}). */
    public static Map<String, String> snapshotWithoutTrash(Path root) {
        Map<String, String> all = new TreeMap<>(snapshot(root));
        all.keySet().removeIf(k -> k.startsWith(".sync_trash"));
        return all;
    }

    /** Deletes a file or a whole directory tree (nothing when it is not there). */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
