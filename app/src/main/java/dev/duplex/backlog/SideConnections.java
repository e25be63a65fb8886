package dev.duplex.backlog;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a store's readers get their own connections (a read-only SQLite one, or one of the pool). */
interface SideConnections {
    Connection open() throws SQLException;
}
