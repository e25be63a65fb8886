package dev.duplex.bisync;

/** One of a two-way job's peers. */
public enum Side {
    LEFT, RIGHT;

    /** The peer across. */
    public Side other() {
        return this == LEFT ? RIGHT : LEFT;
    }

    /** As the audit log and the messages name it: {@code left}, {@code right}. */
    public String label() {
        return this == LEFT ? "left" : "right";
    }
}
