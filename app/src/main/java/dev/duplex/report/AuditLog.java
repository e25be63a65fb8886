package dev.duplex.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON object per line (JSON Lines) with the contract's fields {@code time, event, source,
 * dest, dest2, size, algo, hash, error}; events {@code synced}, {@code failed}, {@code deleted}, and
 * {@code vanished} (a pending source file that no longer exists). Owns its writer; appends across runs. Called from the job thread only.
 * Lines are buffered; {@link #flush()} is called before each db commit, so the log never lags the db.
 */
public final class AuditLog implements AutoCloseable {
    private final Path path;
    private final BufferedWriter writer;
    private final Clock clock;

    private AuditLog(Path path, BufferedWriter writer, Clock clock) {
        this.path = path;
        this.writer = writer;
        this.clock = clock;
    }

    public static AuditLog open(Path path, Clock clock) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        dropTornLastLine(path);
        return new AuditLog(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), clock);
    }

    /**
     * A run killed while it flushed the log can leave a last line without its end; appending to it would glue the
     * next run's first line onto it and break the JSON Lines file for every reader. Lines are flushed before the db
     * commit they describe, so a torn line belongs to a commit that never happened (the next run copies those files
     * again and logs them again): it is cut off, and noted in the diagnostic log.
     */
    static void dropTornLastLine(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0 || lastByte(ch, size) == '\n') {
                return;
            }
            long keep = size;
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (keep > 0) {
                int n = (int) Math.min(b.capacity(), keep);
                b.clear().limit(n);
                ch.read(b, keep - n);
                int i = n - 1;
                while (i >= 0 && b.get(i) != '\n') {
                    i--;
                }
                if (i >= 0) {
                    keep = keep - n + i + 1;
                    break;
                }
                keep -= n;
            }
            ByteBuffer torn = ByteBuffer.allocate((int) Math.min(size - keep, 4096));
            ch.read(torn, keep);
            ch.truncate(keep);
            ch.force(true);
            LoggerFactory.getLogger(AuditLog.class).warn("dropped the incomplete last line of the audit log {} "
                    + "({} bytes, left by a run that was killed while writing it): {}", path, size - keep,
                    new String(torn.array(), 0, torn.position(), StandardCharsets.UTF_8));
        }
    }

    private static byte lastByte(FileChannel ch, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, size - 1);
        return one.get(0);
    }

    /** One entry: which event, for which paths, with what result. */
    public record Entry(String event, String source, Optional<String> dest, Optional<String> dest2,
                        Optional<Long> size, Optional<String> algo, Optional<String> hash,
                        Optional<String> error) {}

    public void synced(String source, String dest, Optional<String> dest2, long size, String algo, String hash) {
        write(new Entry("synced", source, Optional.of(dest), dest2, Optional.of(size), Optional.of(algo),
                Optional.of(hash), Optional.empty()));
    }

    public void failed(String source, String dest, Optional<String> dest2, long size, String error) {
        write(new Entry("failed", source, Optional.of(dest), dest2, Optional.of(size), Optional.empty(),
                Optional.empty(), Optional.of(error)));
    }

    /** A symlink recreated on the destinations; {@code hash} is of its target text, so it can be audited too. */
    public void syncedLink(String source, String dest, Optional<String> dest2, String target, String algo,
                           String hash) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("symlink", target);
        write(new Entry("synced", source, Optional.of(dest), dest2, Optional.of((long) target.length()),
                Optional.of(algo), Optional.of(hash), Optional.empty()), extra);
    }

    /** A source file that no longer exists when its turn came: it leaves the backlog. */
    public void vanished(String source, String dest, Optional<String> dest2) {
        write(new Entry("vanished", source, Optional.of(dest), dest2, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("no longer in the source")));
    }

    /** A destination path removed by mirror cleanup; {@code source} is the path that was checked absent. */
    public void deleted(String source, String dest) {
        write(new Entry("deleted", source, Optional.of(dest), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()));
    }

    public void write(Entry e) {
        write(e, Map.of());
    }

    /** A line of a two-way run: {@code time}, then {@code fields} in their order (event, path, from, to, ...). */
    public synchronized void record(Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.putAll(fields);
        try {
            writer.write(Json.object(line));
            writer.write('\n');
        } catch (IOException ex) {
            throw cannotWrite(ex);
        }
    }

    private synchronized void write(Entry e, Map<String, Object> extraFields) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", clock.instant().toString());
        fields.put("event", e.event());
        fields.put("source", e.source());
        e.dest().ifPresent(v -> fields.put("dest", v));
        e.dest2().ifPresent(v -> fields.put("dest2", v));
        e.size().ifPresent(v -> fields.put("size", v));
        e.algo().ifPresent(v -> fields.put("algo", v));
        e.hash().ifPresent(v -> fields.put("hash", v));
        e.error().ifPresent(v -> fields.put("error", v));
        fields.putAll(extraFields);
        try {
            writer.write(Json.object(fields));
            writer.write('\n');
        } catch (IOException ex) {
            throw cannotWrite(ex);
        }
    }

    public synchronized void flush() {
        try {
            writer.flush();
        } catch (IOException ex) {
            throw cannotWrite(ex);
        }
    }

    private AuditLogException cannotWrite(IOException ex) {
        String why = ex instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : String.valueOf(ex.getMessage());
        return new AuditLogException("cannot write the audit log " + path + ": " + why + " (free space on its disk, "
                + "or give another --log, and run again; files not yet recorded are copied again)", ex);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
