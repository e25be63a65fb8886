package dev.duplex.bisync;

import dev.duplex.backlog.BisyncTable;
import dev.duplex.backlog.ConflictRow;
import dev.duplex.backlog.PairRow;
import dev.duplex.tree.RelPath;
import dev.duplex.tree.Tree;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Carries out a {@link Plan} on the two trees, in its order, and records each path's new state as soon as its
 * action succeeded (an action that fails leaves the old record, so the next run decides that path again). Every
 * action first re-checks live that what it replaces or removes is still the version the plan saw.
 */
public final class Executor {
    private final Tree left;
    private final Tree right;
    private final BisyncTable state;
    private final BisyncAudit audit;
    private final Copier copier;
    private final Trash trash;
    private final BisyncCounts counts;
    private final Set<Side> incomplete;
    private final Consumer<String> warnings;
    private final Clock clock;
    private final List<ConflictRow> unresolved = new ArrayList<>();
    private final List<Action.Conflict> conflicts = new ArrayList<>();
    private final List<RelPath> failed = new ArrayList<>();
    private Consumer<String> done = line -> { };
    private Runnable afterEach = () -> { };

    /** @param incomplete sides whose walk could not read everything: nothing is deleted because of an absence there */
    public Executor(Tree left, Tree right, BisyncTable state, BisyncAudit audit, Copier copier, Trash trash,
                    BisyncCounts counts, Set<Side> incomplete, Consumer<String> warnings, Clock clock) {
        this.left = left;
        this.right = right;
        this.state = state;
        this.audit = audit;
        this.copier = copier;
        this.trash = trash;
        this.counts = counts;
        this.incomplete = incomplete;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** Where each action that was carried out is told ({@code -v}); by default nowhere. */
    public void tellEachAction(Consumer<String> to) {
        this.done = to;
    }

    /** Run after each action (a watch commits there: its other db connection must not wait for the whole pass). */
    public void afterEachAction(Runnable r) {
        this.afterEach = r;
    }

    /** The conflicts the run met, in plan order (for the e-mail). */
    public List<Action.Conflict> conflicts() {
        return conflicts;
    }

    /** The paths whose action failed (each is decided again by the next pass). */
    public List<RelPath> failedPaths() {
        return failed;
    }

    /** The conflicts left unresolved ({@code skip}), for the db. */
    public List<ConflictRow> unresolved() {
        return unresolved;
    }

    public void run(Plan plan, Map<RelPath, Version> leftNow, Map<RelPath, Version> rightNow)
            throws InterruptedException {
        Set<RelPath> clashNames = new HashSet<>();
        plan.all(Action.Conflict.class).forEach(c -> c.clash().ifPresent(clashNames::add));
        for (Action a : plan.actions()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            try {
                perform(a, clashNames, leftNow, rightNow);
                afterEach.run();
                if (!(a instanceof Action.Record) && !(a instanceof Action.Forget)) {
                    done.accept(ActionText.describe(a));
                }
            } catch (IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw new InterruptedException("stopped during " + ActionText.describe(a));   // not a failure
                }
                counts.fail();
                failed.add(a.path());
                String why = ActionText.reason(e);
                audit.failed(a, why);
                warnings.accept("failed: " + ActionText.describe(a) + ": " + why);
            }
        }
    }

    private void perform(Action a, Set<RelPath> clashNames, Map<RelPath, Version> leftNow,
                         Map<RelPath, Version> rightNow) throws IOException, InterruptedException {
        if (a instanceof Action.Copy c) {
            copy(c);
        } else if (a instanceof Action.Rename r) {
            rename(r, clashNames.contains(r.to()), leftNow, rightNow);
        } else if (a instanceof Action.Delete d) {
            delete(d);
        } else if (a instanceof Action.MakeDirectory m) {
            makeDirectory(m);
        } else if (a instanceof Action.SetTime s) {
            setTime(s, s.on() == Side.LEFT ? rightNow : leftNow, s.on() == Side.LEFT ? leftNow : rightNow);
        } else if (a instanceof Action.Record r) {
            state.put(new PairRow(r.path(), Optional.of(Versions.row(r.left())), Optional.of(Versions.row(r.right())),
                    "record"));
        } else if (a instanceof Action.Forget f) {
            state.forget(f.path(), clock.instant());
        } else if (a instanceof Action.Conflict c) {
            conflict(c);
        }
    }

    private Tree tree(Side side) {
        return side == Side.LEFT ? left : right;
    }

    /** The version at {@code path} on {@code side} now (with its file identity); empty when nothing is there. */
    private Optional<Version> live(Side side, RelPath path) throws IOException {
        return tree(side).stat(path, Tree.Detail.BASIC).flatMap(Versions::of);
    }

    private void copy(Action.Copy c) throws IOException, InterruptedException {
        Side to = c.to();
        expectTarget(c, live(to, c.path()));
        Optional<RelPath>[] trashed = new Optional[] {Optional.empty()};
        Version written = copier.copy(tree(c.from()), c.path(), c.version(), tree(to), c.path(), () -> {
            // again right before the rename: the target may have been edited while the copy ran
            Optional<Version> now = live(to, c.path());
            expectTarget(c, now);
            if (now.isPresent()) {
                try {
                    trashed[0] = trash.remove(tree(to), c.path(), now.get(), c.alwaysTrash());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        });
        if (c.replaced().isPresent()) {
            counts.deleted(trashed[0].isPresent());
            audit.removed(to, c.path(), c.replaced().get(), trashed[0]);
        }
        // what was written, with its file id; an edit made right after the rename is not recorded as synced
        Version target = withHash(live(to, c.path()).filter(v -> v.storedAs(written)).orElse(written), written);
        Version source = withHash(c.version(), written);
        record(c.path(), c.from(), source, target, "copy " + c.from().label() + "->" + to.label());
        if (written.isDirectory()) {
            counts.directory();
        } else {
            counts.copied(to, written.size());
        }
        audit.copied(c.from(), c.path(), written);
    }

    /** The copy's target is still what the plan saw (nothing, or the version it replaces); else it is left alone. */
    private void expectTarget(Action.Copy c, Optional<Version> there) throws IOException {
        boolean expected = c.replaced().isEmpty() ? there.isEmpty()
                : there.isPresent() && there.get().unchangedSince(c.replaced().get());
        if (!expected) {
            throw new IOException(tree(c.to()).nameOf(c.path()) + " changed during the run; left for the next run");
        }
    }

    private static Version withHash(Version v, Version from) {
        return from.hash().isPresent() ? v.withHash(from.hash().get()) : v;
    }

    private void record(RelPath path, Side side, Version onSide, Version across, String what) {
        Version l = side == Side.LEFT ? onSide : across;
        Version r = side == Side.LEFT ? across : onSide;
        state.put(new PairRow(path, Optional.of(Versions.row(l)), Optional.of(Versions.row(r)), what));
    }

    private void rename(Action.Rename r, boolean clash, Map<RelPath, Version> leftNow,
                        Map<RelPath, Version> rightNow) throws IOException, InterruptedException {
        Tree tree = tree(r.on());
        Optional<Version> was = live(r.on(), r.path());
        Version planned = (r.on() == Side.LEFT ? leftNow : rightNow).get(r.path());
        if (was.isEmpty() || planned == null || !was.get().unchangedSince(planned)) {
            throw new IOException(tree.nameOf(r.path()) + " changed during the run; left for the next run");
        }
        if (tree.renamer().isPresent()) {
            tree.renamer().get().rename(r.path(), r.to());
        } else {
            copier.copy(tree, r.path(), was.get(), tree, r.to(), () -> {
                if (live(r.on(), r.to()).isPresent()) {
                    throw new java.nio.file.FileAlreadyExistsException(tree.nameOf(r.to()));
                }
            });
            tree.delete(r.path());
        }
        if (clash) {
            audit.renamed(r.on(), r.on(), r.path(), r.to());   // the older version, to its clash name
            return;                                  // the conflict's copies record both names
        }
        Map<RelPath, Version> across = r.on() == Side.LEFT ? rightNow : leftNow;
        Version there = across.get(r.to());
        Version here = live(r.on(), r.to()).orElseThrow(() -> new IOException(tree.nameOf(r.to()) + " vanished"));
        if (there != null && there.hash().isPresent()) {
            here = here.withHash(there.hash().get());
        }
        record(r.to(), r.on(), here, there == null ? here : there, "rename");
        state.forget(r.path(), clock.instant());
        counts.renamed();
        audit.renamed(r.on().other(), r.on(), r.path(), r.to());
    }

    private void delete(Action.Delete d) throws IOException, InterruptedException {
        if (incomplete.contains(d.on().other())) {
            warnings.accept("not deleting " + tree(d.on()).nameOf(d.path()) + ": the " + d.on().other().label()
                    + " side could not be read completely, so its absence there is not certain");
            return;
        }
        Optional<Version> now = live(d.on(), d.path());
        if (now.isEmpty()) {
            state.forget(d.path(), clock.instant());
            return;
        }
        if (!now.get().unchangedSince(d.version())) {
            throw new IOException(tree(d.on()).nameOf(d.path()) + " changed during the run; not deleted");
        }
        Optional<RelPath> place;
        try {
            place = trash.remove(tree(d.on()), d.path(), now.get(), false);
        } catch (DirectoryNotEmptyException e) {
            warnings.accept("not deleting " + tree(d.on()).nameOf(d.path()) + ": something new is in it");
            return;
        }
        state.forget(d.path(), clock.instant());
        if (!d.version().isDirectory()) {
            counts.deleted(place.isPresent());
        }
        audit.removed(d.on(), d.path(), d.version(), place);
    }

    private void makeDirectory(Action.MakeDirectory m) throws IOException, InterruptedException {
        Optional<Version> there = live(m.on(), m.path());
        if (m.replaced().isPresent()) {
            if (there.isEmpty() || !there.get().unchangedSince(m.replaced().get())) {
                throw new IOException(tree(m.on()).nameOf(m.path()) + " changed during the run; left for the next run");
            }
            Optional<RelPath> place = trash.remove(tree(m.on()), m.path(), there.get(), false);
            counts.deleted(place.isPresent());
            audit.removed(m.on(), m.path(), there.get(), place);
        }
        tree(m.on()).makeDirectories(m.path());
        Version made = live(m.on(), m.path()).orElseThrow(() -> new IOException("cannot create "
                + tree(m.on()).nameOf(m.path())));
        Optional<Version> other = live(m.on().other(), m.path());
        record(m.path(), m.on(), made, other.orElse(made), "mkdir " + m.on().label());
        counts.directory();
    }

    private void setTime(Action.SetTime s, Map<RelPath, Version> sourceNow, Map<RelPath, Version> targetNow)
            throws IOException {
        Version source = sourceNow.get(s.path());
        Version planned = targetNow.get(s.path());
        Optional<Version> there = live(s.on(), s.path());
        if (source == null || planned == null || there.isEmpty() || !there.get().unchangedSince(planned)
                || there.get().size() != source.size()) {
            throw new IOException(tree(s.on()).nameOf(s.path()) + " changed during the run; left for the next run");
        }
        tree(s.on()).setTimes(s.path(), s.modified(), clock.instant());
        Version stamped = live(s.on(), s.path()).orElseThrow();
        record(s.path(), s.on().other(), source, withHash(stamped, source), "mtime " + s.on().label());
        counts.mtime();
        audit.mtime(s.on(), s.path(), s.modified());
    }

    private void conflict(Action.Conflict c) {
        conflicts.add(c);
        counts.conflict(c.rule(), c.mode());
        audit.conflict(c);
        if (c.mode() != ConflictMode.SKIP) {
            return;
        }
        unresolved.addAll(UnresolvedRows.of(c, clock.instant()));
    }
}
