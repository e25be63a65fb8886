package dev.duplex.backlog;

import java.nio.file.Path;

/** A destination entry absent from the source at scan time; {@code sourcePath} is where the live check looks. */
public record Extra(Path destPath, Path sourcePath, boolean isDirectory) {}
