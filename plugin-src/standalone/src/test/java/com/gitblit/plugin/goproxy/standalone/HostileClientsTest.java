package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.service.ProxySettings;

import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * The standalone server against hostile clients, over real sockets: clients reading module zips slowly on
 * purpose, a client trickling its request headers, a flood of wrong passwords, and credentials sent over
 * plain HTTP. Functional checks with generous bounds; the load figures are benchmark rows.
 */
@Tag("jgit")
class HostileClientsTest {
    private static final String NS = "forge.test";
    private static final String ZIP = NS + "/public/big/@v/v1.0.0.zip";
    private static final String INFO = NS + "/public/big/@v/v1.0.0.info";

    @TempDir
    static Path tmp;

    private static Path repos;
    private static Path users;
    private static Path access;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void repositories() throws Exception {
        repos = tmp.resolve("repos");
        byte[] noise = new byte[32 << 20];
        new Random(7).nextBytes(noise);
        repository(repos.resolve("public/big.git"), NS + "/public/big", noise);
        repository(repos.resolve("private/lib.git"), NS + "/private/lib", new byte[0]);
        users = tmp.resolve("users");
        // The real iteration count: each wrong password costs a real PBKDF2 run.
        Files.write(users, List.of(UsersFile.line("alice", "wonderland".toCharArray())));
        access = tmp.resolve("access");
        Files.write(access, List.of("public/* anonymous", "private/* alice"));
    }

    private static StandaloneServer start(String host, Consumer<StandaloneServer.Config> tune) throws Exception {
        return start(host, Files.createTempDirectory(tmp, "data"), tune);
    }

    private static StandaloneServer start(String host, Path data, Consumer<StandaloneServer.Config> tune) throws Exception {
        StandaloneServer.Config config = new StandaloneServer.Config().repositories(repos).prefix(NS).http(host, 0)
                .users(users, access).settings(ProxySettings.builder().dataDirectory(data.toFile()).build());
        tune.accept(config);
        return StandaloneServer.start(config);
    }

    private static HttpResponse<String> get(String base, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (user != null) {
            b.header("Authorization", basic(user, password));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAccessLogIsOptionalAndWrittenInTheBackground() throws Exception {
        Path log = tmp.resolve("access-" + System.nanoTime() + ".log");
        try (StandaloneServer server = start("127.0.0.1", c -> c.accessLog(log))) {
            assertEquals(200, get(local(server), INFO, null, null).statusCode());
            // Written by Jetty's background writer, a moment after the response.
            String line = Eventually.within(Duration.ofSeconds(10))
                    .value("the request in the access log " + log, () -> Files.exists(log) && Files.readString(log).contains("/@v/")
                            ? Files.readString(log) : null);
            assertTrue(line.contains("\"GET /go/" + INFO + " HTTP/1.1\" 200 "), line);
        }
    }

    private static String local(StandaloneServer s) {
        return "http://127.0.0.1:" + s.httpPort() + "/go/";
    }

    /** A client that asks for the big zip and then reads almost nothing. */
    private static Socket slowReader(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(1024);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.getOutputStream().write(("GET /go/" + ZIP + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static String statusLine(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.write(c);
        }
        return line.toString(StandardCharsets.US_ASCII).trim();
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Test
    void slowReadersOfZipsLeaveThreadsForEveryoneElse() throws Exception {
        try (StandaloneServer server = start("127.0.0.1", c -> c.maxThreads(40).maxDownloads(150, 8))) {
            assertEquals(200, get(local(server), ZIP, null, null).statusCode(), "warm: the zip is built and cached");
            List<Socket> readers = new ArrayList<>();
            try {
                int ok = 0;
                int refused = 0;
                for (int i = 0; i < 60; i++) {
                    Socket s = slowReader(server.httpPort());
                    readers.add(s);
                    String status = statusLine(s);
                    if (status.startsWith("HTTP/1.1 200")) {
                        ok++;
                    } else if (status.startsWith("HTTP/1.1 429")) {
                        refused++;
                    }
                }
                assertEquals(8, ok, "slots per client address");
                assertEquals(52, refused, "the others are refused at once, with 429");
                long start = System.nanoTime();
                HttpResponse<String> info = get(local(server), INFO, null, null);
                assertEquals(200, info.statusCode());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "an .info answers meanwhile");
                HttpResponse<String> busy = get(local(server), ZIP, null, null);
                assertEquals(429, busy.statusCode());
                assertEquals("5", busy.headers().firstValue("Retry-After").orElse(null));
                assertTrue(busy.body().startsWith("too many downloads at once from this address"), busy.body());
            } finally {
                closeAll(readers);
            }
        }
    }

    /**
     * Slow readers of a cached zip hold no worker thread: the stored file is written asynchronously, a chunk
     * whenever the client has taken the last one. Without download limits and without a write timeout, 80
     * readers that read nothing on a server of 40 threads still leave an .info its answer (with blocking writes
     * they took every thread and the .info got none).
     */
    @Test
    void slowReadersOfACachedZipHoldNoThread() throws Exception {
        try (StandaloneServer server = start("127.0.0.1",
                c -> c.maxThreads(40).maxDownloads(10_000, 10_000).writeTimeout(0))) {
            assertEquals(200, get(local(server), ZIP, null, null).statusCode(), "warm: the zip is built and cached");
            List<Socket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < 80; i++) {
                    Socket s = slowReader(server.httpPort());
                    readers.add(s);
                    assertEquals("HTTP/1.1 200 OK", statusLine(s), "every reader is streaming");
                }
                // A new client: a connection of its own, as a new CI job would open. The timeout is a hang guard.
                HttpRequest info = HttpRequest.newBuilder(URI.create(local(server) + INFO)).timeout(Duration.ofSeconds(60)).build();
                assertEquals(200, HttpClient.newHttpClient().send(info, HttpResponse.BodyHandlers.ofString()).statusCode());
            } finally {
                closeAll(readers);
            }
        }
    }

    /**
     * The write timeout frees the threads of clients that stopped reading even without download slots: after
     * it, an .info answers again.
     */
    @Test
    void clientsThatStopReadingAreCutOffAtTheWriteTimeout() throws Exception {
        try (StandaloneServer server = start("127.0.0.1",
                c -> c.maxThreads(40).maxDownloads(10_000, 10_000).writeTimeout(2000))) {
            assertEquals(200, get(local(server), ZIP, null, null).statusCode());
            List<Socket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < 80; i++) {
                    readers.add(slowReader(server.httpPort()));
                }
                HttpRequest info = HttpRequest.newBuilder(URI.create(local(server) + INFO)).timeout(Duration.ofSeconds(30)).build();
                long start = System.nanoTime();
                assertEquals(200, HttpClient.newHttpClient().send(info, HttpResponse.BodyHandlers.ofString()).statusCode());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
            } finally {
                closeAll(readers);
            }
        }
    }

    /**
     * A reader of a stored zip that keeps taking a little (never silent, so the idle timeout never fires) but
     * takes longer than the write timeout for each 32 KiB is cut off before the end of the body, although its
     * response is written without a thread.
     */
    @Test
    void aStoredDownloadReadTooSlowlyIsCutOffAtTheWriteTimeout() throws Exception {
        try (StandaloneServer server = start("127.0.0.1", c -> c.writeTimeout(1000))) {
            assertEquals(200, get(local(server), ZIP, null, null).statusCode(), "warm: the zip is built and cached");
            try (Socket s = slowReader(server.httpPort())) {
                assertEquals("HTTP/1.1 200 OK", statusLine(s));
                InputStream in = s.getInputStream();
                byte[] sip = new byte[1024];
                long got = 0;
                // About 10 KB/s for 8 s: some 3 s for each 32 KiB, three times the write timeout.
                for (int i = 0; i < 80; i++) {
                    Thread.sleep(100);
                    got += Math.max(0, in.read(sip));
                }
                // Then as fast as it can: whatever the kernel still buffers, and the rest of the body if not cut.
                byte[] gulp = new byte[1 << 16];
                try {
                    for (int n = in.read(gulp); n >= 0; n = in.read(gulp)) {
                        got += n;
                    }
                } catch (IOException e) {
                    // reset: cut off as well
                }
                assertTrue(got < (32 << 20), "cut off before the end of the body, after " + got + " bytes");
            }
        }
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffAtTheHeaderDeadline() throws Exception {
        try (StandaloneServer server = start("127.0.0.1", c -> c.headerTimeout(1000));
                Socket s = new Socket("127.0.0.1", server.httpPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /go/" + INFO + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            boolean cut = false;
            try {
                // One byte every 200 ms: never idle, never done.
                for (int i = 0; i < 100 && !cut; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                    s.setSoTimeout(1);
                    try {
                        cut = s.getInputStream().read() < 0;
                    } catch (SocketTimeoutException e) {
                        // still open
                    }
                }
            } catch (IOException e) {
                cut = true;
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(cut, "the connection was closed");
            assertTrue(seconds < 10, "within the deadline and a sweep, not after " + seconds + " s");
            assertEquals(200, get(local(server), INFO, null, null).statusCode(), "prompt clients are served");
        }
    }

    @Test
    void aFloodOfWrongPasswordsIsRefusedWithoutStoppingAnonymousDownloads() throws Exception {
        try (StandaloneServer server = start("127.0.0.1",
                c -> c.passwordChecks(new PasswordGuard.Settings().maxConcurrentChecks(1)))) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                List<Future<HttpResponse<String>>> flood = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    String user = "user" + i;
                    flood.add(pool.submit(() -> get(local(server), NS + "/private/lib/@v/list", user, "guess")));
                }
                assertEquals(200, get(local(server), INFO, null, null).statusCode(), "anonymous during the flood");
                int refused = 0;
                for (Future<HttpResponse<String>> f : flood) {
                    HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                    if (r.statusCode() == 429) {
                        refused++;
                        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
                        assertEquals("too many sign-ins being checked at once: try again shortly\n", r.body());
                    } else {
                        assertEquals(401, r.statusCode(), r.body());
                    }
                }
                assertTrue(refused > 0, "one check at a time: most of 64 at once are refused");
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(200, get(local(server), INFO, "alice", "stale-password").statusCode(),
                        "a public module with wrong credentials is served");
            }
            for (int i = 0; i < 5; i++) {
                get(local(server), NS + "/private/lib/@v/list", "alice", "guess" + i);
            }
            HttpResponse<String> locked = get(local(server), NS + "/private/lib/@v/list", "alice", "guess5");
            assertEquals(429, locked.statusCode());
            assertTrue(locked.body().startsWith("too many failed sign-ins for alice from this address"), locked.body());
        }
    }

    @Test
    void credentialsOnAPlainHttpListenerOtherHostsCanReachAreRefused() throws Exception {
        // Bound to every address: other hosts can reach it, so credentials on it may cross a network in clear.
        // The requests themselves go over loopback; the listener, not the connection, decides.
        try (StandaloneServer server = start("0.0.0.0", c -> c.trustedProxies(ClientAddresses.trusting("127.0.0.1")))) {
            HttpResponse<String> refused = get(local(server), INFO, "alice", "wonderland");
            assertEquals(403, refused.statusCode());
            assertEquals("credentials over plain HTTP are refused here: use this proxy's https:// address"
                    + " (the password crossed the network in clear)\n", refused.body());
            assertEquals(200, get(local(server), INFO, null, null).statusCode(), "anonymous requests are served");
            HttpRequest viaProxy = HttpRequest.newBuilder(URI.create(local(server) + NS + "/private/lib/@v/list"))
                    .header("Authorization", basic("alice", "wonderland")).header("X-Forwarded-Proto", "https").build();
            assertEquals(200, HTTP.send(viaProxy, HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "behind a trusted proxy that terminated TLS");
        }
        try (StandaloneServer server = start("0.0.0.0", c -> c.allowHttpCredentials(true))) {
            assertEquals(200, get(local(server), NS + "/private/lib/@v/list", "alice", "wonderland").statusCode(),
                    "--allow-http-credentials");
        }
        try (StandaloneServer server = start("127.0.0.1", c -> { })) {
            assertEquals(200, get(local(server), NS + "/private/lib/@v/list", "alice", "wonderland").statusCode(),
                    "a loopback listener: nothing crosses a network");
        }
    }

    static void repository(Path bare, String modulePath, byte[] data) throws Exception {
        try (JGitRepo repo = JGitRepo.init(tmp.resolve("work").resolve(modulePath))) {
            if (data.length > 0) {
                repo.write("data.bin", data);
            }
            repo.tag("v1.0.0", repo.commit("go.mod", "module " + modulePath + "\n\ngo 1.19\n", "lib.go", "package lib\n"));
            repo.cloneBare(bare);
        }
    }
}
