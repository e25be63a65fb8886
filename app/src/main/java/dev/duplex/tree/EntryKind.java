package dev.duplex.tree;

/** What a walk found at a path. Symlinks are never followed; TEMP is a duplex temp file (any job's). */
public enum EntryKind { FILE, DIRECTORY, SYMLINK, OTHER, TEMP }
