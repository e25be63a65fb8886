package dev.duplex.cli;

import dev.duplex.filter.Shard;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --shard K/N}: one of N runs that split a job's files between them (no shared database). */
public final class ShardOption {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Take only the files whose path hashes to part K of N (1 <= K <= N); N runs with 1/N .. "
                    + "N/N, on one machine or many, copy every file exactly once. Folders are made by every part. "
                    + "Each part has its own db (the default db name ends in -shard-K-of-N). With --delete-extras a "
                    + "part deletes only the extras of its own slot. Local paths only (no duplex://), and not with "
                    + "--delete-excluded.")
    private String shard;

    /** @throws ParameterException (exit 2) for a malformed K/N */
    Optional<Shard> shard() {
        if (shard == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Shard.parse(shard));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
