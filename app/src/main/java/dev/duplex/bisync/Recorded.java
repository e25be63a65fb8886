package dev.duplex.bisync;

import java.util.Optional;

/** What the job's db recorded for one path at the end of the last run, per side. */
public record Recorded(Optional<Version> left, Optional<Version> right) {
    public static Recorded both(Version left, Version right) {
        return new Recorded(Optional.of(left), Optional.of(right));
    }

    public Optional<Version> on(Side side) {
        return side == Side.LEFT ? left : right;
    }
}
