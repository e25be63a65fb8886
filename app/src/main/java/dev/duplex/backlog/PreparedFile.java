package dev.duplex.backlog;

/** A file recorded as prepared: its row (targets, size), and the algorithm and hash its temp files must have. */
public record PreparedFile(FileRow row, String algo, String hash) {}
