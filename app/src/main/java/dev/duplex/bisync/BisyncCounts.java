package dev.duplex.bisync;

import java.util.EnumMap;
import java.util.Map;

/** What a two-way run did, for its summary, its runs row and its e-mail. Job thread only. */
public final class BisyncCounts {
    private final Map<Side, long[]> copied = new EnumMap<>(Side.class);   // to the side: files, bytes
    private long renames;
    private long deletes;
    private long trashed;
    private long mtimes;
    private long directories;
    private long failed;
    private final Map<ConflictRule, Long> conflicts = new EnumMap<>(ConflictRule.class);
    private long unresolved;
    private long mailsSent;
    private long mailsFailed;

    public BisyncCounts() {
        copied.put(Side.LEFT, new long[2]);
        copied.put(Side.RIGHT, new long[2]);
    }

    void copied(Side to, long bytes) {
        copied.get(to)[0]++;
        copied.get(to)[1] += bytes;
    }

    void renamed() {
        renames++;
    }

    void deleted(boolean toTrash) {
        if (toTrash) {
            trashed++;
        } else {
            deletes++;
        }
    }

    void mtime() {
        mtimes++;
    }

    void directory() {
        directories++;
    }

    void fail() {
        failed++;
    }

    void conflict(ConflictRule rule, ConflictMode mode) {
        conflicts.merge(rule, 1L, Long::sum);
        if (mode == ConflictMode.SKIP) {
            unresolved++;
        }
    }

    /** Adds what one pass of a watch did to the watch's totals. */
    public void add(BisyncCounts pass) {
        for (Side side : Side.values()) {
            copied.get(side)[0] += pass.copied.get(side)[0];
            copied.get(side)[1] += pass.copied.get(side)[1];
        }
        renames += pass.renames;
        deletes += pass.deletes;
        trashed += pass.trashed;
        mtimes += pass.mtimes;
        directories += pass.directories;
        failed += pass.failed;
        pass.conflicts.forEach((rule, n) -> conflicts.merge(rule, n, Long::sum));
        unresolved += pass.unresolved;
        mailsSent += pass.mailsSent;
        mailsFailed += pass.mailsFailed;
    }

    /** Whether the pass did anything a user would see (copies, renames, deletes, mtimes, conflicts, failures). */
    public boolean changedAnything() {
        return copiedTo(Side.LEFT) + copiedTo(Side.RIGHT) + renames + deletes + trashed + mtimes + directories
                + failed + conflicts() > 0;
    }

    /** E-mails sent and not sent (the run's result does not depend on them). */
    public void mailsSent(long sent, long failed) {
        mailsSent += sent;
        mailsFailed += failed;
    }

    public long mailsSent() {
        return mailsSent;
    }

    public long mailsFailed() {
        return mailsFailed;
    }

    /** Files copied onto {@code to} (from the other side). */
    public long copiedTo(Side to) {
        return copied.get(to)[0];
    }

    public long bytesTo(Side to) {
        return copied.get(to)[1];
    }

    public long renames() {
        return renames;
    }

    /** Permanent deletes. */
    public long deletes() {
        return deletes;
    }

    /** Deletes into the trash (and overwritten versions put there). */
    public long trashed() {
        return trashed;
    }

    public long mtimes() {
        return mtimes;
    }

    public long directories() {
        return directories;
    }

    public long failed() {
        return failed;
    }

    public long conflicts(ConflictRule rule) {
        return conflicts.getOrDefault(rule, 0L);
    }

    public long conflicts() {
        return conflicts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long unresolved() {
        return unresolved;
    }

    /** The summary line of a run. */
    public String summary() {
        return String.format("copied %d left->right (%s), %d right->left (%s); renamed %d; deleted %d (+%d to the "
                        + "trash); mtimes %d; directories %d; conflicts %d (changed %d, created %d, renamed %d), "
                        + "unresolved %d; failed %d%s",
                copiedTo(Side.RIGHT), dev.duplex.report.HumanUnits.bytes(bytesTo(Side.RIGHT)), copiedTo(Side.LEFT),
                dev.duplex.report.HumanUnits.bytes(bytesTo(Side.LEFT)), renames, deletes, trashed, mtimes,
                directories, conflicts(), conflicts(ConflictRule.CHANGED), conflicts(ConflictRule.CREATED),
                conflicts(ConflictRule.RENAMED), unresolved, failed,
                mailsSent + mailsFailed == 0 ? "" : "; e-mails sent " + mailsSent + ", not sent " + mailsFailed);
    }
}
