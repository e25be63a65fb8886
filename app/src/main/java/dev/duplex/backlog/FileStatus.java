package dev.duplex.backlog;

/** The {@code status} column of the {@code files} table, mapped to the contract's strings here only. */
public enum FileStatus {
    PENDING("pending"),
    SYNCED("synced");

    private final String dbValue;

    FileStatus(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }
}
