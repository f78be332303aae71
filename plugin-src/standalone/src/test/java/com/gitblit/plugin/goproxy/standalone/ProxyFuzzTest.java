package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.FixtureRepos;

/**
 * Bad input never gets a 5xx or a stack trace: thousands of generated request paths (fixed seed) — broken
 * escapes, invalid UTF-8, bad versions, junk after {@code @v}, uppercase, traversal, methods — against a server
 * over the fixture repositories. Every answer is a 2xx/3xx/4xx whose body holds no Java class names.
 */
@Tag("jgit")
class ProxyFuzzTest {
    @TempDir
    static Path tmp;

    private static StandaloneServer server;

    @BeforeAll
    static void start() throws Exception {
        FixtureRepos fixtures = FixtureRepos.build(tmp.resolve("repos"));
        server = StandaloneServer.start(new StandaloneServer.Config().repositories(fixtures.folder()).prefix("")
                .http("127.0.0.1", 0).settings(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static final String[] MODULES = {"github.com/acme/lib", "github.com/acme/mono/tools", "github.com/acme/major/v2",
        "github.com/acme/legacy", "github.com/!acme/lib", "github.com/acme/LIB", "github.com/acme/lib/v1",
        "github.com/acme/lib/v0", "github.com/acme/nope", "example.com/x", "", "github.com", "github.com/acme",
        "github.com/acme/lib/../lib", "github.com/acme/lib%2Fsub", "%ff%fe", "github.com/acme/lib%00", "!!", "a/b/c/d/e/f"};
    private static final String[] TAILS = {"/@v/list", "/@latest", "/@v/v1.0.0.info", "/@v/v1.0.0.mod", "/@v/v1.0.0.zip",
        "/@v/v1.1.0.zip", "/@v/main.info", "/@v/main.zip", "/@v/v1.0.0", "/@v/.info", "/@v/v1.0.info", "/@v/v1.0.mod",
        "/@v/!v1.0.0.info", "/@v/v1.0.0+incompatible.zip", "/@v/v2.0.0+incompatible.mod", "/@v/latest.info",
        "/@v/v0.0.0-20240101000000-000000000000.zip", "/@v/v1.2.4-0.20240101000000-abcdefabcdef.mod",
        "/@v/%ff.info", "/@v/v1.0.0%2F..%2F.zip", "/@v/list/extra", "/@v/", "/@v", "/@latest/x", "/@v/v1.0.0.zip.zip",
        "/@v/" + "v1.".repeat(300) + "0.info", "", "/"};

    @Test
    void noBadInputGets5xx() throws Exception {
        Random r = new Random(4242);
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < 1500; i++) {
            String path = MODULES[r.nextInt(MODULES.length)] + TAILS[r.nextInt(TAILS.length)];
            if (r.nextInt(10) == 0) {
                path = mutate(path, r);
            }
            String method = r.nextInt(12) == 0 ? (r.nextBoolean() ? "POST" : "DELETE") : r.nextInt(8) == 0 ? "HEAD" : "GET";
            int status = request(method, "/go/" + path, failures);
            n++;
            if (status >= 500 || status < 200) {
                failures.add(method + " /go/" + path + " -> " + status);
            }
        }
        // Raw requests an HTTP client library would refuse to send.
        for (String raw : new String[] {"/go/github.com/acme/lib/@v/%zz.info", "/go/%c0%af", "/go/github.com/acme/lib/@v/list?x=%",
            "/go/../../../etc/passwd", "/go/github.com/acme/lib/@v/v1.0.0.info#frag"}) {
            int status = rawRequest(raw);
            if (status >= 500 || status < 200) {
                failures.add("raw " + raw + " -> " + status);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers of " + n + ":\n" + String.join("\n", failures));
    }

    private static String mutate(String path, Random r) {
        StringBuilder sb = new StringBuilder(path);
        int k = r.nextInt(sb.length() + 1);
        String[] inserts = {"%", "%2", "%e2%82", "!", "@", "..", "/", "//", "\u00e9", "%0a", "+", " ", "%20", "~"};
        sb.insert(k, inserts[r.nextInt(inserts.length)]);
        return sb.toString().replace(" ", "%20").replace("\u00e9", "%c3%a9");
    }

    private static int request(String method, String path, List<String> failures) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + server.httpPort() + path).openConnection();
        c.setRequestMethod(method);
        int status = c.getResponseCode();
        InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (body != null) {
            String text = new String(body.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (status >= 400 && (text.contains("Exception") || text.contains("at com.") || text.contains("at org."))) {
                failures.add(method + " " + path + " leaked internals: " + text);
            }
            body.close();
        }
        return status;
    }

    private static int rawRequest(String target) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.substring(9, 12));
        }
    }
}
