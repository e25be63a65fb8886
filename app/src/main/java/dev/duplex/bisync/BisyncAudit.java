package dev.duplex.bisync;

import dev.duplex.report.AuditLog;
import dev.duplex.tree.RelPath;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A two-way run's audit lines (contract: Output, audit): {@code copy}, {@code rename}, {@code delete},
 * {@code trash}, {@code conflict}, {@code failed}, and {@code mtime} for an mtime applied without copying.
 */
public final class BisyncAudit {
    private final AuditLog log;

    public BisyncAudit(AuditLog log) {
        this.log = log;
    }

    void copied(Side from, RelPath path, Version v) {
        Map<String, Object> f = line("copy", path);
        f.put("from", from.label());
        f.put("to", from.other().label());
        if (v.isFile()) {
            f.put("size", v.size());
            v.hash().ifPresent(h -> {
                int colon = h.indexOf(':');
                f.put("algo", h.substring(0, colon));
                f.put("hash", h.substring(colon + 1));
            });
        } else {
            f.put("kind", v.kind().name().toLowerCase(java.util.Locale.ROOT));
            v.linkTarget().ifPresent(t -> f.put("symlink", t));
        }
        log.record(f);
    }

    void renamed(Side from, Side to, RelPath path, RelPath toPath) {
        Map<String, Object> f = line("rename", path);
        f.put("from", from.label());
        f.put("to", to.label());
        f.put("to_path", toPath.toString());
        log.record(f);
    }

    void removed(Side side, RelPath path, Version v, Optional<RelPath> trashedTo) {
        Map<String, Object> f = line(trashedTo.isPresent() ? "trash" : "delete", path);
        f.put("side", side.label());
        if (v.isFile()) {
            f.put("size", v.size());
        }
        trashedTo.ifPresent(t -> f.put("trash_path", t.toString()));
        log.record(f);
    }

    void mtime(Side side, RelPath path, Instant modified) {
        Map<String, Object> f = line("mtime", path);
        f.put("side", side.label());
        f.put("mtime", modified.toString());
        log.record(f);
    }

    void conflict(Action.Conflict c) {
        Map<String, Object> f = line("conflict", c.path());
        f.put("rule", c.rule().label());
        f.put("mode", c.mode().label());
        f.put("newer", c.newer().label());
        c.clash().ifPresent(n -> f.put("clash", n.toString()));
        if (c.rule() == ConflictRule.RENAMED) {
            f.put("left_path", c.leftPath().toString());
            f.put("right_path", c.rightPath().toString());
        }
        log.record(f);
    }

    void failed(Action a, String error) {
        Map<String, Object> f = line("failed", a.path());
        f.put("action", ActionText.describe(a));
        f.put("error", error);
        log.record(f);
    }

    private static Map<String, Object> line(String event, RelPath path) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("event", event);
        f.put("path", path.toString());
        return f;
    }

    public void flush() {
        log.flush();
    }
}
