package dev.duplex.notify;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.bisync.ConflictMode;
import dev.duplex.bisync.Side;
import dev.duplex.bisync.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The e-mails of a two-way run (contract: E-mail): one per conflict, or one summary. */
public final class BisyncMail {
    private BisyncMail() {
    }

    /** What to send for a run between {@code left} and {@code right}, as {@code notify} asks; may be none. */
    public static List<Mailer.Mail> of(MailSettings.Notify notify, String left, String right,
                                       List<Action.Conflict> conflicts, BisyncCounts counts) {
        List<Mailer.Mail> mails = new ArrayList<>();
        if (notify == MailSettings.Notify.PER_CONFLICT) {
            for (Action.Conflict c : conflicts) {
                mails.add(new Mailer.Mail("conflict: " + c.path(), conflict(left, right, c)));
            }
        } else if (!conflicts.isEmpty() || counts.failed() > 0) {
            StringBuilder body = new StringBuilder();
            body.append("Two-way sync between\n  left:  ").append(left).append("\n  right: ").append(right)
                    .append("\n\n").append(counts.summary().replace("; ", "\n")).append("\n");
            if (!conflicts.isEmpty()) {
                body.append("\nConflicts:\n");
                conflicts.forEach(c -> body.append("\n").append(conflict(left, right, c)));
            }
            mails.add(new Mailer.Mail("bisync: " + conflicts.size() + " conflict" + (conflicts.size() == 1 ? "" : "s")
                    + ", " + counts.failed() + " failed", body.toString()));
        }
        return mails;
    }

    static String conflict(String left, String right, Action.Conflict c) {
        StringBuilder b = new StringBuilder();
        b.append("Path:    ").append(c.path()).append('\n');
        b.append("Rule:    ").append(c.rule().label()).append(" (").append(ruleText(c)).append(")\n");
        b.append("Newer:   ").append(c.newer().label()).append('\n');
        b.append("Left:    ").append(left).append('/').append(c.leftPath()).append(": ").append(version(c.left()))
                .append('\n');
        b.append("Right:   ").append(right).append('/').append(c.rightPath()).append(": ").append(version(c.right()))
                .append('\n');
        b.append("Action:  ").append(action(c)).append('\n');
        return b.toString();
    }

    private static String ruleText(Action.Conflict c) {
        return switch (c.rule()) {
            case CHANGED -> "changed on both sides since the last run";
            case CREATED -> "created on both sides with different content";
            case RENAMED -> "renamed differently on each side";
        };
    }

    private static String version(Optional<Version> v) {
        if (v.isEmpty()) {
            return "absent";
        }
        Version x = v.get();
        return x.isDirectory() ? "a directory" : x.size() + " bytes, modified " + x.modified();
    }

    private static String action(Action.Conflict c) {
        Side older = c.newer().other();
        if (c.mode() == ConflictMode.SKIP) {
            return "none (skip): both sides left as they are; listed by 'duplex conflicts' until they agree";
        }
        if (c.mode() == ConflictMode.NEWER) {
            return "the " + c.newer().label() + " (newer) version replaced the " + older.label()
                    + " one, which went to the trash if it was within --soft-delete-max (else it was deleted)";
        }
        return c.clash().map(n -> "both kept on both sides: the newer (" + c.newer().label() + ") as " + c.path()
                + ", the older (" + older.label() + ") as " + n)
                .orElse("both names kept on both sides: " + c.leftPath() + " and " + c.rightPath());
    }
}
