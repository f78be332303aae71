package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TimeZone;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;

/**
 * Stored artifacts written asynchronously by the standalone server, over real sockets: the body is the one the
 * first (built while streaming) download gave, byte for byte; HEAD, ETag, 304 and an ignored Range behave as
 * for any download; a cached file damaged on disk is never completed — the client gets fewer bytes than the
 * Content-Length and a closed connection, and the next download is rebuilt from git.
 */
@Tag("jgit")
class AsyncStreamingTest {
    private static final String NS = "forge.test";
    private static final String MODULE = NS + "/public/mid";
    private static final String ZIP = MODULE + "/@v/v1.0.0.zip";
    private static final String MOD = MODULE + "/@v/v1.0.0.mod";

    @TempDir
    static Path tmp;

    private static Path data;
    private static StandaloneServer server;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        Path repos = tmp.resolve("repos");
        byte[] noise = new byte[3 << 20];
        new Random(11).nextBytes(noise);
        repository(repos.resolve("public/mid.git"), MODULE, noise);
        data = tmp.resolve("data");
        server = StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix(NS).http("127.0.0.1", 0)
                .maxThreads(24)
                .settings(ProxySettings.builder().dataDirectory(data.toFile()).build()));
        base = "http://127.0.0.1:" + server.httpPort() + "/go/";
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void storedDownloadsAreTheBytesOfTheFirstOneWithTheSameHeaders() throws Exception {
        HttpResponse<byte[]> first = get(ZIP);
        assertEquals(200, first.statusCode());
        for (String path : new String[] {ZIP, MOD}) {
            HttpResponse<byte[]> built = get(path);
            HttpResponse<byte[]> stored = get(path);
            assertEquals(200, stored.statusCode());
            assertArrayEquals(built.body(), stored.body(), path);
            String etag = stored.headers().firstValue("ETag").orElseThrow();
            assertTrue(etag.startsWith("\"h1:"), etag);
            assertEquals(Long.toString(stored.body().length), stored.headers().firstValue("Content-Length").orElseThrow());
            assertEquals(built.headers().firstValue("Content-Type"), stored.headers().firstValue("Content-Type"));
            assertEquals(built.headers().firstValue("Cache-Control"), stored.headers().firstValue("Cache-Control"));
            assertEquals(built.headers().firstValue("Last-Modified"), stored.headers().firstValue("Last-Modified"));
            assertEquals(304, get(path, "If-None-Match", etag).statusCode());
            // No ranges are offered (no Accept-Ranges): a Range request is answered whole, as before.
            HttpResponse<byte[]> ranged = get(path, "Range", "bytes=100-199");
            assertEquals(200, ranged.statusCode());
            assertArrayEquals(stored.body(), ranged.body());
            assertFalse(ranged.headers().firstValue("Accept-Ranges").isPresent());
        }
        assertArrayEquals(first.body(), get(ZIP).body(), "the zip served while it was built is the one stored");
    }

    @Test
    void headDescribesAStoredZipWithoutABody() throws Exception {
        byte[] body = get(ZIP).body();
        String[] head = rawExchange("HEAD /go/" + ZIP + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertTrue(head[0].startsWith("HTTP/1.1 200"), head[0]);
        assertTrue(head[0].toLowerCase(Locale.ROOT).contains("content-length: " + body.length), head[0]);
        assertEquals("", head[1], "no body after the head");
    }

    @Test
    void aStoredZipDamagedOnDiskIsCutOffBeforeItsEndAndRebuilt() throws Exception {
        byte[] good = get(ZIP).body();
        get(ZIP);
        Path stored = storedZip();
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            // Same size, one byte different in the middle: only the checksum at the end can tell.
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 10_000);
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET /go/" + ZIP + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, Math.min(200, text.length())));
            assertTrue(text.toLowerCase(Locale.ROOT).contains("content-length: " + good.length));
            assertTrue(all.length - bodyStart < good.length,
                    "the body stops short of its Content-Length: got " + (all.length - bodyStart) + " of " + good.length);
        }
        HttpResponse<byte[]> again = get(ZIP);
        assertEquals(200, again.statusCode());
        assertArrayEquals(good, again.body(), "the damaged file was discarded and the zip rebuilt");
        assertArrayEquals(good, get(ZIP).body());
    }

    /** The head (up to the blank line) and the body of one exchange on a new connection. */
    private static String[] rawExchange(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            return new String[] {text.substring(0, end), text.substring(end + 4)};
        }
    }

    /** The cached zip: the one artifact file with a sidecar that is larger than the go.mod. */
    private static Path storedZip() throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> zips = files.filter(p -> Files.exists(p.resolveSibling(p.getFileName() + ".meta")))
                    .filter(p -> {
                        try {
                            return Files.size(p) > 1_000_000;
                        } catch (IOException e) {
                            return false;
                        }
                    }).collect(Collectors.toList());
            assertEquals(1, zips.size(), zips.toString());
            return zips.get(0);
        }
    }

    private static void repository(Path bare, String modulePath, byte[] payload) throws Exception {
        Path work = tmp.resolve("work").resolve(modulePath);
        Files.createDirectories(work);
        try (Git git = Git.init().setDirectory(work.toFile()).call()) {
            Files.writeString(work.resolve("go.mod"), "module " + modulePath + "\n\ngo 1.19\n");
            Files.writeString(work.resolve("lib.go"), "package lib\n");
            Files.write(work.resolve("data.bin"), payload);
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("T", "t@example.com", Date.from(Instant.parse("2024-01-01T00:00:00Z")),
                    TimeZone.getTimeZone("UTC"));
            RevCommit c = git.commit().setMessage("c").setAuthor(who).setCommitter(who).call();
            git.tag().setName("v1.0.0").setObjectId(c).setAnnotated(false).call();
        }
        Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(bare.toFile()).call().close();
    }
}
