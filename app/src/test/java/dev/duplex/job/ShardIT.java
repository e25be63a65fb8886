package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.duplex.filter.Shard;
import dev.duplex.testing.Audit;
import dev.duplex.testing.Duplex;
import dev.duplex.testing.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --shard K/N}: N runs split one job with no database between them. */
class ShardIT {
    @TempDir
    Path tmp;

    private Duplex.Result part(int k, String... extra) {
        List<String> args = new ArrayList<>(List.of("--db", tmp.resolve("state/part" + k + ".db").toString(),
                "--shard", k + "/3"));
        args.addAll(List.of(extra));
        args.add(tmp.resolve("src").toString());
        args.add(tmp.resolve("dst").toString());
        return Duplex.run(tmp.resolve("home"), args.toArray(String[]::new));
    }

    @Test
    void threePartsCopyEveryFileExactlyOnceAndEachDeletesOnlyItsOwnExtras() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 300; i++) {
            Path f = src.resolve("d" + (i % 10) + "/f" + i + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "file " + i);
        }
        Files.createDirectories(src.resolve("empty/dir"));
        for (int k = 1; k <= 3; k++) {
            Duplex.Result r = part(k);
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        Tree.assertSameTree(src, tmp.resolve("dst"));
        Set<String> copied = new HashSet<>();
        int lines = 0;
        for (int k = 1; k <= 3; k++) {
            for (Map<String, String> line : Audit.lines(tmp.resolve("state/part" + k + ".audit.jsonl"))) {
                if ("synced".equals(line.get("event"))) {
                    lines++;
                    copied.add(line.get("source"));
                    assertThat(new Shard(k, 3).holds(src.relativize(Path.of(line.get("source"))).toString()
                            .replace('\\', '/'))).as("part " + k + " copied only its own files").isTrue();
                }
            }
        }
        assertThat(lines).as("each file copied by exactly one part").isEqualTo(300).isEqualTo(copied.size());

        List<String> gone = new ArrayList<>();
        for (int i = 0; i < 300; i += 10) {
            Files.delete(src.resolve("d" + (i % 10) + "/f" + i + ".txt"));
            gone.add("d" + (i % 10) + "/f" + i + ".txt");
        }
        Files.createDirectories(tmp.resolve("dst/extra"));
        Files.writeString(tmp.resolve("dst/extra/x.txt"), "only on the destination");
        Duplex.Result first = part(1, "--delete-extras");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        for (String p : gone) {
            assertThat(Files.exists(tmp.resolve("dst").resolve(p)))
                    .as(p + ": deleted by part 1 only if it is part 1's").isEqualTo(!new Shard(1, 3).holds(p));
        }
        for (int k = 2; k <= 3; k++) {
            Duplex.Result r = part(k, "--delete-extras");
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        if (Files.exists(tmp.resolve("dst/extra"))) {       // kept while another part's file was in it
            try (Stream<Path> s = Files.list(tmp.resolve("dst/extra"))) {
                assertThat(s.count()).as("an extra folder is kept only while it is not empty").isZero();
            }
            assertThat(part(1, "--delete-extras").exitCode()).isZero();
        }
        Tree.assertSameTree(src, tmp.resolve("dst"));
    }

    @Test
    void aPartSweepsOnlyItsOwnLeftoverTempsNeverAnotherPartsInFlightOne() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        String mine = null;
        String theirs = null;
        for (int i = 0; mine == null || theirs == null; i++) {
            String name = "f" + i + ".bin";
            if (new Shard(1, 3).holds(name)) {
                mine = mine == null ? name : mine;
            } else {
                theirs = theirs == null ? name : theirs;
            }
        }
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Path myTemp = dst.resolve(dev.duplex.tree.TempName.forFinal(Path.of(mine)).getFileName().toString());
        Path theirTemp = dst.resolve(dev.duplex.tree.TempName.forFinal(Path.of(theirs)).getFileName().toString());
        Files.writeString(myTemp, "left by an interrupted run of part 1");
        Files.writeString(theirTemp, "being written by part 2 right now");
        Duplex.Result r = part(1);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(myTemp).doesNotExist();
        assertThat(theirTemp).as("another part's temp is not this part's to remove").exists();
    }

    @Test
    void aPartsStatusIsFoundBySourceDestAndShard() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        Files.writeString(tmp.resolve("src/a.txt"), "a");
        Path home = tmp.resolve("home");
        String s = tmp.resolve("src").toString();
        String d = tmp.resolve("dst").toString();
        assertThat(Duplex.run(home, "--shard", "3/3", s, d).exitCode()).isZero();
        Duplex.Result status = Duplex.run(home, "status", "--shard", "3/3", s, d);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("--shard 3/3");
    }

    @Test
    void thePartSaysTheOtherPartsFilesAreTheirsNotTheFilters() throws Exception {
        for (int i = 0; i < 30; i++) {
            Files.createDirectories(tmp.resolve("src"));
            Files.writeString(tmp.resolve("src/f" + i), "x");
        }
        Duplex.Result r = Duplex.run(tmp.resolve("home"), "--shard", "1/3", tmp.resolve("src").toString(),
                tmp.resolve("dst").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("left out by --shard 1/3 (the other parts copy them): ")
                .doesNotContain("left out by the filters");
    }

    @Test
    void eachPartHasItsOwnDefaultDbAndStatusShowsThePart() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        Files.writeString(tmp.resolve("src/a.txt"), "a");
        Path home = tmp.resolve("home");
        Duplex.Result r = Duplex.run(home, "--shard", "2/3", tmp.resolve("src").toString(),
                tmp.resolve("dst").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (Stream<Path> s = Files.walk(home)) {
            List<Path> dbs = s.filter(p -> p.toString().endsWith(".db")).toList();
            assertThat(dbs).singleElement().asString().endsWith("-shard-2-of-3.db");
            Duplex.Result status = Duplex.run(home, "status", "--db", dbs.get(0).toString());
            assertThat(status.out()).contains("--shard 2/3");
        }
    }

    @Test
    void shardsThatCannotWorkAreRefused() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        String s = tmp.resolve("src").toString();
        String d = tmp.resolve("dst").toString();
        assertThat(Duplex.run(tmp, "--shard", "4/3", s, d).exitCode()).isEqualTo(2);
        Duplex.Result both = Duplex.run(tmp, "--shard", "1/3", "--delete-extras", "--delete-excluded", s, d);
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("other parts' files");
        Duplex.Result marker = Duplex.run(tmp, "--shard", "1/3", "--success-marker", "_SUCCESS", s, d);
        assertThat(marker.exitCode()).isEqualTo(2);
        assertThat(marker.err()).contains("whole job done when one part is");
        Duplex.Result remote = Duplex.run(tmp, "--shard", "1/3", s, "duplex://127.0.0.1:9/m");
        assertThat(remote.exitCode()).isEqualTo(2);
        assertThat(remote.err()).contains("duplex://");
    }
}
