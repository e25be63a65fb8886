package dev.duplex.remote.server;

import dev.duplex.tree.RelPath;

/**
 * A session's view of its module: the client's root is the module's directory or a path inside it, and every path
 * of a request is taken relative to that root. Paths that come in have been checked ({@link RelPath} holds no
 * {@code ..}, no absolute path, no NUL); the module's tree refuses what lies behind a symlink.
 */
record ModuleView(Module module, RelPath base) {
    RelPath inModule(RelPath clientPath) {
        return base.resolve(clientPath);
    }

    /** A module path (from a walk) as the client names it. */
    RelPath forClient(RelPath modulePath) {
        if (base.isRoot()) {
            return modulePath;
        }
        String b = base.toString();
        String p = modulePath.toString();
        return p.equals(b) ? RelPath.ROOT : RelPath.of(p.substring(b.length() + 1));
    }
}
