package dev.duplex.scan;

import java.nio.file.Path;
import java.util.List;

/**
 * What a scan found.
 *
 * @param clean every source directory was read (mirror cleanup and dropping vanished rows need it)
 * @param staleTemps duplex temp files found in the destinations, left by an interrupted run
 */
public record ScanOutcome(long sourceFiles, long sourceBytes, long pendingFiles, long pendingBytes,
                          long upToDateFiles, long skippedSpecial, long symlinks, long extras, List<Path> staleTemps,
                          boolean clean) {}
