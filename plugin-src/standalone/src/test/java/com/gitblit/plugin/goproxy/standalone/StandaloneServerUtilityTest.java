package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.StandaloneServer;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/** The test utility serves over HTTP and HTTPS, and its users file is accepted by the product. */
@Tag("jgit")
class StandaloneServerUtilityTest {
    @Test
    void servesBothSchemesWithItsUsers(@TempDir Path tmp) throws Exception {
        Path repos = tmp.resolve("repos");
        JGitRepo.bareModule(repos.resolve("team/lib.git"), "example.test/team/lib", tmp.resolve("w"));
        try (StandaloneServer s = StandaloneServer.builder(repos, tmp.resolve("server")).prefix("example.test")
                .user("ann", "pw").access("team/* ann").start()) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(s.pki().trustStore());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            String path = "example.test/team/lib/@v/list";
            HttpResponse<String> anon = client.send(HttpRequest.newBuilder(URI.create(s.httpBase() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anon.statusCode());
            assertTrue(anon.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
            assertTrue(anon.headers().firstValue("Server").isEmpty());
            String auth = "Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> ann = client.send(HttpRequest.newBuilder(URI.create(s.httpsBase() + path))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(ann.statusCode() != 401 && ann.statusCode() < 500, ann.statusCode() + " " + ann.body());
        }
    }
}
