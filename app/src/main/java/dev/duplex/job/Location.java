package dev.duplex.job;

import dev.duplex.remote.Endpoint;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a root of a job is, as the command line gave it: a directory of this machine, or an endpoint on a duplex
 * daemon ({@code duplex://HOST[:PORT]/MODULE[/PATH]}).
 */
public sealed interface Location permits Location.Local, Location.Remote {
    /** The root as the db, the audit log and messages name it. */
    String name();

    /** The last part of the name, for the default db's file name. */
    String lastName();

    /** The directory, for a local root. */
    default Optional<Path> localPath() {
        return Optional.empty();
    }

    /** A directory of this machine, absolute and normalized. */
    record Local(Path path) implements Location {
        public Local {
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public String lastName() {
            return path.getFileName() == null ? "root" : path.getFileName().toString();
        }

        @Override
        public Optional<Path> localPath() {
            return Optional.of(path);
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** A module of a daemon, or a path inside one. */
    record Remote(Endpoint endpoint) implements Location {
        @Override
        public String name() {
            return endpoint.toString();
        }

        @Override
        public String lastName() {
            return endpoint.path().isRoot() ? endpoint.module() : endpoint.path().name();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /**
     * A command-line root: an endpoint when it starts with {@code duplex://} or {@code duplexs://}, a local path
     * otherwise.
     *
     * @throws IllegalArgumentException for an endpoint that does not parse, naming what is wrong
     */
    static Location parse(String text) {
        if (Endpoint.isEndpoint(text)) {
            return new Remote(Endpoint.parse(text));
        }
        return new Local(Path.of(text));
    }
}
