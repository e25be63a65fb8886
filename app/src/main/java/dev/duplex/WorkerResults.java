package dev.duplex;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a worker thread's result, with what the worker threw surfacing as itself where it can. */
public final class WorkerResults {
    private WorkerResults() {}

    /**
     * The worker's result. What it threw is rethrown as is when unchecked (a cancellation, a bug, an out-of-memory);
     * a checked exception, which a worker's signature should not let out, is wrapped, naming {@code whichWorker}
     * ("a scan thread").
     */
    public static <T> T await(Future<T> worker, String whichWorker) throws InterruptedException {
        try {
            return worker.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(whichWorker + " failed: " + cause, cause);
        }
    }
}
