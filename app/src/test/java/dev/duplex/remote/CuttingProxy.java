package dev.duplex.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between clients and a daemon on 127.0.0.1 that counts the bytes each way and can cut every
 * connection once, exactly when a given number of bytes has passed one way: a network drop at a known point.
 * Clients may connect again afterwards; the relay goes on.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final AtomicLong upstream = new AtomicLong();
    private final AtomicLong downstream = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile long cutUpAt = Long.MAX_VALUE;
    private volatile long cutDownAt = Long.MAX_VALUE;
    private volatile boolean goneAfterCut;

    CuttingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Cuts every connection when the client has sent {@code bytes} in total. */
    void cutUpstreamAt(long bytes) {
        cutUpAt = bytes;
    }

    /** Cuts every connection when the daemon has sent {@code bytes} in total. */
    void cutDownstreamAt(long bytes) {
        cutDownAt = bytes;
    }

    /** At the cut, also stop listening: the daemon is gone for good, as far as clients can tell. */
    void goneAfterCut() {
        goneAfterCut = true;
    }

    boolean hasCut() {
        return cut.get();
    }

    long upstreamBytes() {
        return upstream.get();
    }

    long downstreamBytes() {
        return downstream.get();
    }

    private void start(Runnable r) {
        Thread t = new Thread(r, "cutting-proxy");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket("127.0.0.1", target);
                open.add(client);
                open.add(server);
                start(() -> pump(client, server, upstream, true));
                start(() -> pump(server, client, downstream, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter, boolean up) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    to.shutdownOutput();
                    return;
                }
                long limit = up ? cutUpAt : cutDownAt;
                long before = counter.getAndAdd(n);
                if (!cut.get() && before + n >= limit && cut.compareAndSet(false, true)) {
                    int allowed = (int) Math.max(0, limit - before);
                    out.write(buffer, 0, allowed);
                    out.flush();
                    if (goneAfterCut) {
                        listener.close();
                    }
                    cutAll();
                    return;
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Closes every connection there is now (with a reset, as a dropped link ends it). */
    void cutAll() {
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // closing anyway
            }
            closeQuietly(s);
        }
        open.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
