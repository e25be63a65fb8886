package dev.duplex.bisync;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the files one side renamed or moved: a recorded file that is gone, and a new path on the same side holding
 * the same file (its file id) with the recorded size and mtime and, where the record has one, the recorded hash.
 */
final class RenameDetector {
    private RenameDetector() {
    }

    /**
     * The moves on {@code side}; where a candidate's hash is needed and not known, a {@link Action.NeedHash} goes to
     * {@code needs} instead.
     */
    static List<Move> detect(Side side, Map<RelPath, Recorded> records, Map<RelPath, Version> now, Survey survey,
                             List<Action> needs) {
        Map<String, RelPath> createdById = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        for (RelPath path : survey.created(side)) {
            String id = now.get(path).fileId().get();
            if (createdById.putIfAbsent(id, path) != null) {
                ambiguous.add(id);                    // hard links: not a rename we can tell apart
            }
        }
        ambiguous.forEach(createdById::remove);
        List<Move> moves = new ArrayList<>();
        for (RelPath from : survey.gone(side)) {
            Version was = records.get(from).on(side).get();
            RelPath to = createdById.get(was.fileId().get());
            if (to == null) {
                continue;
            }
            Version is = now.get(to);
            if (is.size() != was.size() || !is.modified().equals(was.modified())) {
                continue;
            }
            if (was.hash().isPresent()) {
                if (is.hash().isEmpty()) {
                    needs.add(new Action.NeedHash(side, to));
                    continue;
                }
                if (!is.hash().get().equals(was.hash().get())) {
                    continue;
                }
            }
            createdById.remove(was.fileId().get());
            moves.add(new Move(side, from, to));
        }
        return moves;
    }
}
