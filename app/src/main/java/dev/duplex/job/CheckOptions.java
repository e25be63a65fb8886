package dev.duplex.job;

import dev.duplex.remote.ClientOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;

/**
 * What {@code duplex check} was asked to do.
 *
 * @param destinations the destination roots given on the command line (empty when only --db was given: the db's
 *     own paths are used, and the roots are not checked for existence)
 * @param againstSource also re-read each source file and compare it with the db
 * @param bandwidthBytesPerSecond total read rate limit over every file read; 0 = unlimited
 * @param remote how endpoints are reached
 */
public record CheckOptions(Path dbPath, Optional<Location> source, List<Location> destinations, boolean againstSource,
                           long bandwidthBytesPerSecond, int blockSizeBytes, ClientOptions remote) {

    public CheckOptions {
        destinations = List.copyOf(destinations);
    }
}
