package dev.duplex.watch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code --health-listen HOST:PORT}: {@code GET /health} answers 200 with the watch's state while it is well, 503
 * with {@code status: error} and the reason while it is not (a root unreachable). The JDK's own HTTP server, one
 * thread; anything but {@code GET /health} is 404 (or 405 for another method).
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService thread;

    private HealthServer(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    static HealthServer start(InetSocketAddress at, WatchStatus status) throws IOException {
        HttpServer server = HttpServer.create(at, 16);
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "duplex-health");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/", exchange -> answer(exchange, status));
        server.start();
        return new HealthServer(server, thread);
    }

    /** The port bound (useful when 0 was asked for). */
    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, WatchStatus status) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/health")) {
                send(exchange, 404, "{\"error\":\"not found; try GET /health\"}");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                send(exchange, 405, "{\"error\":\"method not allowed\"}");
            } else {
                send(exchange, status.error().isPresent() ? 503 : 200, status.json());
            }
        }
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
