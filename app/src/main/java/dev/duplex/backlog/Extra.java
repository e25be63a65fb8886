package dev.duplex.backlog;

import java.nio.file.Path;

/**
 * A destination entry that mirror cleanup may delete; {@code sourcePath} is where the live check looks.
 *
 * @param excluded the filters exclude it ({@code --delete-excluded}); otherwise the source did not have it
 */
public record Extra(Path destPath, Path sourcePath, boolean isDirectory, boolean excluded) {}
