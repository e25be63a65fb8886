package dev.duplex.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.duplex.backlog.BacklogStore;
import dev.duplex.backlog.BacklogStores;
import dev.duplex.backlog.PathNames;
import dev.duplex.tree.LocalTree;
import dev.duplex.tree.Roots;
import dev.duplex.tree.Tree;
import dev.duplex.tree.RootFileSystem;
import dev.duplex.report.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount guard's decisions, with the file systems given by a test probe (real mounts: MountGuardIT). */
class MountGuardTest {
    static final RootFileSystem NAS = new RootFileSystem("nas:/export", "nfs4", "/mnt/share");
    static final RootFileSystem LOCAL = new RootFileSystem("/dev/vda1", "ext4", "/");
    static final RootFileSystem USB = new RootFileSystem("/dev/sdb1", "ext4", "/mnt/backup");

    @TempDir
    Path tmp;

    final Map<String, RootFileSystem> mounts = new HashMap<>();
    final List<String> notices = new ArrayList<>();
    final TransferListener listener = new TransferListener() {
        @Override
        public void notice(String message) {
            notices.add(message);
        }

        @Override
        public void warning(String message) {
            notices.add("warning: " + message);
        }
    };

    private MountGuard guard() {
        return new MountGuard(root -> {
            RootFileSystem fs = mounts.get(root.root());
            if (fs == null) {
                throw new IOException("no probe answer for " + root.root());
            }
            return fs;
        });
    }

    /** The job's first run: the share and the backup disk mounted, and recorded. */
    private void firstRun(BacklogStore store) {
        mounts.put("/mnt/share", NAS);
        mounts.put("/mnt/backup/share", USB);
        guard().check(roots(), store.settings(), false, true, listener);
    }

    private Map<String, Tree> roots() {
        Map<String, Tree> roots = new LinkedHashMap<>();
        roots.put("source", LocalTree.at(Path.of("/mnt/share")));
        roots.put("dest", LocalTree.at(Path.of("/mnt/backup/share")));
        return roots;
    }

    private BacklogStore store() {
        return BacklogStores.open(tmp.resolve("job.db"), PathNames.of(new Roots(LocalTree.at(tmp.resolve("src")),
                List.of(LocalTree.at(tmp.resolve("dst"))))));
    }

    @Test
    void theFirstRunRecordsEachRootsFileSystemAndTheSameOnesPass() {
        try (BacklogStore store = store()) {
            firstRun(store);
            assertThat(store.settings().fileSystem("source")).contains(NAS);
            assertThat(store.settings().fileSystem("dest")).contains(USB);
            guard().check(roots(), store.settings(), false, true, listener);
            assertThat(notices).isEmpty();
        }
    }

    @Test
    void anUnmountedSourceOrDestinationStopsTheRunNamingTheRootAndBothFileSystems() {
        try (BacklogStore store = store()) {
            firstRun(store);
            mounts.put("/mnt/share", LOCAL);
            mounts.put("/mnt/backup/share", LOCAL);
            assertThatThrownBy(() -> guard().check(roots(), store.settings(), false, true, listener))
                    .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.kind()).isEqualTo(JobFailure.Kind.FATAL))
                    .hasMessageContaining("SOURCE /mnt/share is on /dev/vda1 (ext4) mounted at /, but this job "
                            + "recorded nas:/export (nfs4) mounted at /mnt/share")
                    .hasMessageContaining("DEST /mnt/backup/share is on /dev/vda1 (ext4) mounted at /, but this job "
                            + "recorded /dev/sdb1 (ext4) mounted at /mnt/backup")
                    .hasMessageContaining("--allow-fs-change");
            assertThat(store.settings().fileSystem("source")).contains(NAS); // nothing recorded
        }
    }

    @Test
    void allowingTheChangeRecordsTheNewFileSystem() {
        try (BacklogStore store = store()) {
            firstRun(store);
            RootFileSystem newDisk = new RootFileSystem("/dev/sdc1", "xfs", "/mnt/backup");
            mounts.put("/mnt/backup/share", newDisk);
            guard().check(roots(), store.settings(), true, true, listener);
            assertThat(store.settings().fileSystem("dest")).contains(newDisk);
            assertThat(notices).anyMatch(n -> n.contains("--allow-fs-change: recording the new file system"));
            guard().check(roots(), store.settings(), false, true, listener);
        }
    }

    @Test
    void aDryRunComparesButRecordsNothing() {
        try (BacklogStore store = store()) {
            mounts.put("/mnt/share", NAS);
            mounts.put("/mnt/backup/share", USB);
            guard().check(roots(), store.settings(), false, false, listener);
            assertThat(store.settings().fileSystem("source")).isEmpty();
        }
    }

    @Test
    void aRootWhoseFileSystemCannotBeReadIsNotCheckedAndSaysSo() {
        try (BacklogStore store = store()) {
            mounts.put("/mnt/share", NAS);
            guard().check(roots(), store.settings(), false, true, listener);
            assertThat(notices).singleElement().asString().contains("cannot tell which file system /mnt/backup/share");
            assertThat(store.settings().fileSystem("source")).contains(NAS);
        }
    }

    @Test
    void theRealProbeFindsTheMountPointAboveAPathAndTheParentOfAMissingOne() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("x/y"));
        RootFileSystem existing = LocalTree.at(dir).fileSystem();
        RootFileSystem missing = LocalTree.at(tmp.resolve("x/y/not/yet")).fileSystem();
        assertThat(missing).isEqualTo(existing);
        assertThat(dir.toRealPath().startsWith(Path.of(existing.mountPoint()))).isTrue();
        assertThat(existing.type()).isNotBlank();
    }
}
