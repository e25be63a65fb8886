package dev.duplex.bisync;

/** Whether two versions hold the same content, as far as what is known tells. */
enum Contents {
    SAME, DIFFERENT, UNKNOWN;

    /**
     * Same type and: for files, equal size and equal hashes (or, with a hash missing, equal size and mtime, the
     * sync's own rule for "already there"); for symlinks, the same target text; directories are always the same.
     */
    static Contents compare(Version a, Version b) {
        if (a.kind() != b.kind()) {
            return DIFFERENT;
        }
        switch (a.kind()) {
            case DIRECTORY:
                return SAME;
            case SYMLINK:
                return a.linkTarget().equals(b.linkTarget()) ? SAME : DIFFERENT;
            default:
                if (a.size() != b.size()) {
                    return DIFFERENT;
                }
                if (a.hash().isPresent() && b.hash().isPresent()) {
                    return a.hash().get().equals(b.hash().get()) ? SAME : DIFFERENT;
                }
                return a.modified().equals(b.modified()) ? SAME : UNKNOWN;
        }
    }
}
