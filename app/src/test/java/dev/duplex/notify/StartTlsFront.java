package dev.duplex.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A STARTTLS front for a real SMTP server that has none (GreenMail): it speaks the opening of RFC 3207 itself
 * (greeting, EHLO offering STARTTLS, STARTTLS), refuses anything else before the upgrade, upgrades the connection
 * with its certificate, then joins the client's encrypted stream to the backend's plain one. Loopback only; every
 * socket and thread ends with {@link #close}.
 */
final class StartTlsFront implements AutoCloseable {
    private final ServerSocket server;
    private final int backendPort;
    private final SSLContext tls;
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    StartTlsFront(int backendPort, SSLContext tls) throws IOException {
        this.backendPort = backendPort;
        this.tls = tls;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "starttls-front");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                track(s);
                Thread t = new Thread(() -> serve(s), "starttls-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;                                    // closed
            }
        }
    }

    private synchronized void track(Socket s) {
        sockets.add(s);
    }

    private void serve(Socket client) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            reply(out, "220 front ESMTP");
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                if (verb.equals("EHLO")) {
                    reply(out, "250-front\r\n250 STARTTLS");
                } else if (verb.equals("STARTTLS")) {
                    reply(out, "220 Ready to start TLS");
                    break;
                } else if (verb.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "530 Must issue a STARTTLS command first");
                }
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client,
                    client.getInetAddress().getHostAddress(), client.getPort(), true);
            track(secure);
            secure.setUseClientMode(false);
            secure.startHandshake();
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
            track(backend);
            InputStream fromBackend = backend.getInputStream();
            skipLine(fromBackend);                          // the backend's own greeting: the client had ours
            Thread up = new Thread(() -> pipe(secure, backend), "starttls-up");
            up.setDaemon(true);
            up.start();
            pipe(fromBackend, secure.getOutputStream());
        } catch (IOException e) {
            // the client or the test went away
        } finally {
            close(client);
        }
    }

    private static void skipLine(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            // greeting text
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            pipe(from.getInputStream(), to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            close(to);
        }
    }

    private static void pipe(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        sockets.forEach(StartTlsFront::close);
    }
}
