package dev.duplex.remote;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one remote tree: a control connection for requests about names (stat, commits, deletes...),
 * one per thread that reads or writes files (a transfer lane streams on its own connection, so a large file does
 * not hold up another lane's), and short-lived ones for walks. A connection that fails is opened again, with the
 * backoff of {@code --retries} and {@code --retry-wait}; a refusal is never retried.
 */
final class Channels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Channels.class);

    private final Endpoint endpoint;
    private final ClientOptions options;
    private final boolean write;
    private final List<Connection> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Connection> perThread = new ThreadLocal<>();
    private Connection control;
    private volatile IOException unreachable;
    private volatile long unreachableUntil;

    Channels(Endpoint endpoint, ClientOptions options, boolean write) {
        this.endpoint = endpoint;
        this.options = options;
        this.write = write;
    }

    /** The control connection, opened (again) when needed. */
    synchronized Connection control() throws IOException {
        if (control == null || !control.isOpen()) {
            control = open();
        }
        return control;
    }

    /** This thread's connection for file content. */
    Connection forThisThread() throws IOException {
        Connection c = perThread.get();
        if (c == null || !c.isOpen()) {
            c = open();
            perThread.set(c);
        }
        return c;
    }

    /** Drops this thread's connection (a read given up half way: the daemon stops sending when it closes). */
    void dropThisThread() {
        Connection c = perThread.get();
        if (c != null) {
            perThread.remove();
            all.remove(c);
            c.close();
        }
    }

    /** Replaces this thread's connection with a new one (the old one broke). */
    Connection replaceThisThread() throws IOException {
        dropThisThread();
        return forThisThread();
    }

    /** A connection of its own (a walk). Close it when done. */
    Connection single() throws IOException {
        return open();
    }

    void release(Connection c) {
        all.remove(c);
        c.close();
    }

    /**
     * Opens a connection, retrying one that cannot be made (not one that is refused) with backoff. Once a daemon
     * could not be reached through all the retries, the connections asked for in the next while fail at once with
     * that reason (every lane would otherwise wait through the same backoff, file after file).
     */
    private Connection open() throws IOException {
        IOException down = unreachable;
        if (down != null && System.nanoTime() < unreachableUntil) {
            throw new IOException(down.getMessage() + " (a moment ago; not tried again yet)", down);
        }
        try {
            Connection c = openWithRetries();
            unreachable = null;
            return c;
        } catch (RefusedException e) {
            throw e;
        } catch (IOException e) {
            unreachableUntil = System.nanoTime() + options.retryWait().toNanos() * (1L << Math.min(options.retries(),
                    20));
            unreachable = e;
            throw e;
        }
    }

    private Connection openWithRetries() throws IOException {
        Duration wait = options.retryWait();
        for (int attempt = 0; ; attempt++) {
            try {
                Connection c = Connection.open(endpoint, options, write);
                all.add(c);
                return c;
            } catch (RefusedException e) {
                throw e;
            } catch (javax.net.ssl.SSLException e) {
                if (untrusted(e)) {
                    throw new RefusedException(endpoint, "its TLS certificate is not trusted: " + e.getMessage());
                }
                if (attempt >= options.retries()) {
                    throw new IOException("cannot connect to " + endpoint.server() + ": TLS handshake failed ("
                            + e.getMessage() + "; is it a daemon without TLS? then use duplex://)", e);
                }
                LOG.info("cannot connect to {} ({}); trying again in {}", endpoint.server(), e.getMessage(), wait);
                sleep(wait);
                wait = wait.multipliedBy(2);
            } catch (IOException e) {
                if (attempt >= options.retries()) {
                    throw new IOException("cannot connect to " + endpoint.server() + ": " + e.getMessage()
                            + (options.retries() > 0 ? " (after " + options.retries() + " retries)" : ""), e);
                }
                LOG.info("cannot connect to {} ({}); trying again in {}", endpoint.server(), e.getMessage(), wait);
                sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    private static boolean untrusted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Something to do on a daemon that a lost connection interrupts; it is done again from the start. */
    interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    /**
     * Does {@code attempt}, and again (after {@code --retry-wait}, doubled each time, at most {@code --retries}
     * times) when a connection is lost under it; any other failure is thrown at once.
     */
    <T> T withRetries(String what, Attempt<T> attempt) throws IOException, InterruptedException {
        Duration wait = options.retryWait();
        for (int n = 0; ; n++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                if (!ConnectionLostException.is(e) || n >= options.retries()) {
                    throw e;
                }
                LOG.info("{}: {}; trying again in {}", what, e.getMessage(), wait);
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
    }

    int receiveBufferBytes() {
        return options.receiveBufferBytes();
    }

    int retries() {
        return options.retries();
    }

    Duration retryWait() {
        return options.retryWait();
    }

    static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }

    @Override
    public synchronized void close() {
        all.forEach(Connection::close);
        all.clear();
        control = null;
    }
}
