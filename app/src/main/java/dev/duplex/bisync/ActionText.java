package dev.duplex.bisync;

/** How actions and their failures read in messages, the audit log and a dry run's listing. */
public final class ActionText {
    private ActionText() {
    }

    /** Why an action failed, for a person: a file-system error's message is often the bare path. */
    public static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String kind = switch (f.getClass().getSimpleName()) {
                case "NoSuchFileException" -> "no such file or directory";
                case "FileAlreadyExistsException" -> "something is already there";
                case "DirectoryNotEmptyException" -> "the directory is not empty";
                case "AccessDeniedException" -> "permission denied";
                case "NotDirectoryException" -> "not a directory";
                default -> f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
            };
            return f.getFile() + ": " + kind + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** One line for a message: what the action was. */
    public static String describe(Action a) {
        if (a instanceof Action.Copy c) {
            return "copy " + c.path() + " " + c.from().label() + " -> " + c.to().label();
        } else if (a instanceof Action.Rename r) {
            return "rename " + r.path() + " -> " + r.to() + " on " + r.on().label();
        } else if (a instanceof Action.Delete d) {
            return "delete " + d.path() + " on " + d.on().label();
        } else if (a instanceof Action.MakeDirectory m) {
            return "mkdir " + m.path() + " on " + m.on().label();
        } else if (a instanceof Action.SetTime s) {
            return "mtime " + s.path() + " on " + s.on().label() + " = " + s.modified();
        } else if (a instanceof Action.Conflict c) {
            return "conflict (" + c.rule().label() + ", " + c.mode().label() + ") " + c.path()
                    + c.clash().map(n -> ", older kept as " + n).orElse("")
                    + (c.rule() == ConflictRule.RENAMED ? ": left " + c.leftPath() + ", right " + c.rightPath() : "");
        } else if (a instanceof Action.Record r) {
            return "record " + r.path() + " (same on both sides)";
        } else if (a instanceof Action.Forget f) {
            return "forget " + f.path() + " (gone from both sides)";
        }
        return a.toString();
    }
}
