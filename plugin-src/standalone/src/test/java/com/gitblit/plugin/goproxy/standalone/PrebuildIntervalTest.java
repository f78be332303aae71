package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * {@code --prebuild-interval}: a version tag pushed to a served bare repository after the start is noticed and its
 * zip built into the artifact store before anyone asks, pinning nothing; the first download is that stored zip, with
 * the bytes of a cold build. Tags there at the start are not rebuilt, and with the flag off nothing is built.
 */
@Tag("jgit")
class PrebuildIntervalTest {
    private static final String MODULE = "example.test/team/lib";

    @TempDir
    Path tmp;
    private Path repos;
    private Path bare;
    private JGitRepo work;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void repository() throws Exception {
        repos = tmp.resolve("repos");
        bare = repos.resolve("team/lib.git");
        work = JGitRepo.init(tmp.resolve("work"));
        work.tag("v1.0.0", work.commit("go.mod", "module " + MODULE + "\n\ngo 1.19\n", "lib.go", "package lib\n"));
        work.cloneBare(bare);
    }

    @AfterEach
    void close() {
        work.close();
    }

    @Test
    void aTagPushedAfterTheStartIsPrebuiltWithoutPinningAndServedFromTheStore() throws Exception {
        try (StandaloneServer server = start(tmp.resolve("server/data"), 1)) {
            // The first look only records v1.0.0; the new tag must come after it.
            Eventually.within(Duration.ofSeconds(30)).until("the first look", () -> server.prebuildLooks() >= 1);
            push("v1.1.0", work.commit("lib.go", "package lib\n// " + "x".repeat(5000) + "\n"));

            Path stored = Eventually.within(Duration.ofSeconds(30)).describing(this::listing)
                    .value("the zip of v1.1.0 pre-built into the artifact store", () -> {
                        List<Path> zips = zips();
                        return zips.size() == 1 ? zips.get(0) : null;
                    });
            assertEquals(List.of(), ledgerEntries(), "a pre-build must not pin");

            HttpResponse<byte[]> first = get(base(server) + MODULE + "/@v/v1.1.0.zip");
            assertEquals(200, first.statusCode());
            assertEquals(List.of(stored), zips(), "the download is the stored zip, no second build; v1.0.0 not built");
            assertArrayEquals(Files.readAllBytes(stored), first.body(), "served from the pre-built zip");
            assertEquals(1, ledgerEntries().size(), "the download pins, as always");

            assertArrayEquals(coldZip("v1.1.0"), first.body(), "the pre-built zip has the bytes of a cold build");
        }
    }

    @Test
    void withTheFlagOffNothingIsPrebuilt() throws Exception {
        try (StandaloneServer server = start(tmp.resolve("server/data"), 0)) {
            assertEquals(-1, server.prebuildLooks());
            push("v1.1.0", work.commit("lib.go", "package lib\n// later\n"));
            Thread.sleep(3000); // three looks' worth at the interval of the other test
            assertEquals(List.of(), zips());
            // Where the watcher would have put it, a download does: the check above looks in the right place.
            assertEquals(200, get(base(server) + MODULE + "/@v/v1.1.0.zip").statusCode());
            assertEquals(1, zips().size());
        }
    }

    /** The zip from a server without a data folder: built from git at the request. */
    private byte[] coldZip(String version) throws Exception {
        try (StandaloneServer cold = start(null, 0)) {
            HttpResponse<byte[]> r = get(base(cold) + MODULE + "/@v/" + version + ".zip");
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    /** The real server on a free port, as Main would start it with {@code --data data --prebuild-interval seconds}. */
    private StandaloneServer start(Path data, int seconds) throws Exception {
        ProxySettings.Builder settings = ProxySettings.builder();
        if (data != null) {
            settings.dataDirectory(data.toFile());
        }
        return StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix("example.test")
                .http("127.0.0.1", 0).prebuildInterval(seconds).settings(settings.build()));
    }

    private static String base(StandaloneServer server) {
        return "http://127.0.0.1:" + server.httpPort() + StandaloneServer.BASE;
    }

    /** Pushes the branch and a new tag on {@code at} to the served bare repository, as a release would. */
    private void push(String tag, RevCommit at) throws Exception {
        work.tag(tag, at);
        work.git().push().setRemote(bare.toUri().toString())
                .setRefSpecs(new RefSpec("refs/heads/master:refs/heads/master"),
                        new RefSpec("refs/tags/" + tag + ":refs/tags/" + tag))
                .call();
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<Path> zips() throws IOException {
        return files(tmp.resolve("server/data/artifacts"), ".zip");
    }

    private List<Path> ledgerEntries() throws IOException {
        return files(tmp.resolve("server/data/version-ledger"), ".properties");
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private String listing() {
        try {
            return "artifacts: " + files(tmp.resolve("server/data/artifacts"), "");
        } catch (IOException e) {
            return e.toString();
        }
    }
}
