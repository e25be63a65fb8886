package dev.duplex.backlog;

import dev.duplex.tree.RelPath;

/**
 * A destination entry that mirror cleanup may delete: {@code path} in destination {@code destination}; the live
 * check looks at the same path in the source.
 *
 * @param excluded the filters exclude it ({@code --delete-excluded}); otherwise the source did not have it
 */
public record Extra(RelPath path, int destination, boolean isDirectory, boolean excluded) {}
