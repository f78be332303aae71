package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.PostgresServer;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * Several standalone servers (nodes), each with its own data folder, over the same repositories and one real
 * PostgreSQL ledger: what one node pins, every node serves, byte for byte; the database decides who pinned first;
 * while it is away pinned versions are still served and new ones answer 503 with Retry-After.
 *
 * <p>Each commit has its own time, so the {@code Time} of a {@code .info} answer says which commit was served.
 */
@Tag("jgit")
@Tag("postgres")
class SharedLedgerNodesTest {
    private static final String MODULE = "example.test/team/lib";
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static final Pattern TIME = Pattern.compile("\"Time\":\"([^\"]+)\"");

    @TempDir
    Path tmp;
    private final PostgresServer postgres = PostgresServer.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<StandaloneServer> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String url;
    private Path repos;
    private Path bare;
    private JGitRepo work;

    @BeforeEach
    void repository() throws Exception {
        url = postgres.newDatabase();
        repos = tmp.resolve("repos");
        bare = repos.resolve("team/lib.git");
        work = JGitRepo.init(tmp.resolve("work")).clock(EPOCH, Duration.ofMinutes(1), TimeZone.getTimeZone("UTC"));
        work.tag("v0.1.0", work.commit("go.mod", "module " + MODULE + "\n\ngo 1.19\n", "lib.go", "package lib\n"));
        work.cloneBare(bare);
    }

    @AfterEach
    void stop() throws Exception {
        for (StandaloneServer n : nodes) {
            n.close();
        }
        work.close();
    }

    @Test
    void concurrentFirstDownloadsThroughTwoNodesPinOnceAndServeIdenticalBytes() throws Exception {
        RevCommit c = work.commit("lib.go", "package lib\n\nconst V = 1\n");
        work.tag("v1.0.0", c);
        publish();
        StandaloneServer a = node("a");
        StandaloneServer b = node("b");
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Map<String, byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            StandaloneServer n = i % 2 == 0 ? a : b;
            answers.add(pool.submit((Callable<Map<String, byte[]>>) () -> {
                start.await();
                Map<String, byte[]> got = new HashMap<>();
                for (String kind : List.of("info", "mod", "zip")) {
                    HttpResponse<byte[]> r = get(n, MODULE + "/@v/v1.0.0." + kind);
                    assertEquals(200, r.statusCode(), kind + ": " + new String(r.body(), StandardCharsets.UTF_8));
                    got.put(kind, r.body());
                }
                return got;
            }));
        }
        start.countDown();
        Map<String, byte[]> first = answers.get(0).get();
        for (Future<Map<String, byte[]>> f : answers) {
            Map<String, byte[]> got = f.get();
            for (String kind : first.keySet()) {
                assertArrayEquals(first.get(kind), got.get(kind), kind + " differs between requests or nodes");
            }
        }
        pool.shutdown();
        assertEquals("1|" + c.name(), sql("SELECT count(*), max(commit_hex) FROM goproxy_ledger WHERE version = 'v1.0.0'"));
        assertTrue(sql("SELECT zip_h1 FROM goproxy_ledger WHERE version = 'v1.0.0'").startsWith("h1:"));
    }

    @RequiresGo
    @Test
    void theGoCommandGetsTheSameSumsThroughEitherNode() throws Exception {
        work.tag("v1.0.0", work.commit("lib.go", "package lib\n\nconst V = 1\n"));
        publish();
        List<String> sums = new ArrayList<>();
        for (StandaloneServer n : List.of(node("a"), node("b"))) {
            GoCommand go = GoCommand.in(tmp.resolve("go-" + n.httpPort())).with("GOSUMDB", "off")
                    .with("GOFLAGS", "-modcacherw").proxy(base(n));
            GoCommand.Result r = go.ok(tmp, "mod", "download", "-json", MODULE + "@v1.0.0");
            Matcher sum = Pattern.compile("\"Sum\": \"(h1:[^\"]+)\"[\\s\\S]*\"GoModSum\": \"(h1:[^\"]+)\"").matcher(r.stdout());
            assertTrue(sum.find(), r.toString());
            sums.add(sum.group(1) + " " + sum.group(2));
        }
        assertEquals(sums.get(0), sums.get(1));
        assertEquals(sums.get(0).split(" ")[0], sql("SELECT zip_h1 FROM goproxy_ledger WHERE version = 'v1.0.0'"));
    }

    @Test
    void aTagMovedBetweenTwoNodesRequestsServesWhatTheFirstPinned() throws Exception {
        RevCommit pinned = work.commit("lib.go", "package lib\n\nconst V = 1\n");
        work.tag("v1.0.0", pinned);
        publish();
        StandaloneServer a = node("a");
        Map<String, byte[]> fromA = download(a, "v1.0.0");

        RevCommit moved = work.commit("lib.go", "package lib\n\nconst V = 2\n");
        work.moveTag("v1.0.0", moved);
        publish();
        StandaloneServer b = node("b");
        Map<String, byte[]> fromB = download(b, "v1.0.0");
        for (String kind : fromA.keySet()) {
            assertArrayEquals(fromA.get(kind), fromB.get(kind), kind + ": node B must serve node A's pin");
        }
        assertEquals(time(pinned), time(fromB.get("info")));
        assertEquals(pinned.name(), sql("SELECT commit_hex FROM goproxy_ledger WHERE version = 'v1.0.0'"));
    }

    @Test
    void twoNodesRacingAThousandPinsAgreeOnEveryOne() throws Exception {
        int versions = 1000;
        List<RevCommit> commits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            commits.add(work.commit("lib.go", "package lib\n\nconst V = " + i + "\n"));
        }
        Map<String, String> expectedTime = new HashMap<>();
        for (int i = 0; i < versions; i++) {
            RevCommit c = commits.get(i % commits.size());
            work.tag("v1.0." + i, c);
            expectedTime.put("v1.0." + i, time(c));
        }
        publish();
        StandaloneServer[] both = {node("a"), node("b")};
        int threadsPerNode = 4;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
        CountDownLatch start = new CountDownLatch(1);
        Map<String, Set<String>> answered = new ConcurrentHashMap<>();
        List<Future<?>> done = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < threadsPerNode; t++) {
                StandaloneServer node = both[n];
                int offset = t * versions / threadsPerNode;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    // Every thread asks for every version, each starting elsewhere: every version is raced.
                    for (int k = 0; k < versions; k++) {
                        String v = "v1.0." + ((offset + k) % versions);
                        HttpResponse<byte[]> r = get(node, MODULE + "/@v/" + v + ".info");
                        assertEquals(200, r.statusCode(), v + ": " + new String(r.body(), StandardCharsets.UTF_8));
                        answered.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(time(r.body()));
                    }
                    return null;
                }));
            }
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(Integer.toString(versions), sql("SELECT count(*) FROM goproxy_ledger"));
        Map<String, String> ledger = ledgerCommits();
        Map<String, String> timeOfCommit = new HashMap<>();
        for (RevCommit c : commits) {
            timeOfCommit.put(c.name(), time(c));
        }
        for (Map.Entry<String, Set<String>> e : answered.entrySet()) {
            assertEquals(Collections.singleton(timeOfCommit.get(ledger.get(e.getKey()))), e.getValue(), e.getKey());
            assertEquals(expectedTime.get(e.getKey()), timeOfCommit.get(ledger.get(e.getKey())), e.getKey());
        }
        assertEquals(versions, answered.size());
    }

    @Test
    void postgresStoppedAndStartedUnderLoad() throws Exception {
        List<RevCommit> commits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RevCommit c = work.commit("lib.go", "package lib\n\nconst V = " + i + "\n");
            commits.add(c);
            work.tag("v1.0." + i, c);
            work.tag("v1.1." + i, c);
            work.tag("v1.2." + i, c);
        }
        work.tag("v1.3.0", commits.get(0));
        publish();
        StandaloneServer a = node("a");
        StandaloneServer b = node("b");
        List<String> pinned = new ArrayList<>();
        Map<String, Set<String>> answered = new ConcurrentHashMap<>();
        Map<String, Map<String, byte[]>> served = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            pinned.add("v1.0." + i);
            served.put("v1.0." + i, download(a, "v1.0." + i));
            download(b, "v1.0." + i);
        }
        // Pinned through node a, but neither its go.mod nor its zip served yet: no hashes on record.
        HttpResponse<byte[]> onlyInfo = get(a, MODULE + "/@v/v1.3.0.info");
        assertEquals(200, onlyInfo.statusCode());
        answered.computeIfAbsent("v1.3.0", x -> ConcurrentHashMap.newKeySet()).add(time(onlyInfo.body()));
        // Load on both nodes all along: pinned versions, and v1.1.x, which get pinned whenever the database lets them.
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> loaders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            loaders.add(load.submit((Callable<Void>) () -> {
                while (loading.get()) {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    StandaloneServer n = nodes.get(r.nextInt(nodes.size()));
                    String v = (r.nextBoolean() ? "v1.0." : "v1.1.") + r.nextInt(5);
                    HttpResponse<byte[]> got;
                    try {
                        got = get(n, MODULE + "/@v/" + v + ".info");
                    } catch (java.io.IOException e) {
                        continue; // a node being restarted below
                    }
                    if (got.statusCode() == 200) {
                        answered.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(time(got.body()));
                    } else if (nodes.contains(n)) {
                        // (A node being closed below answers Jetty's own 503 while it stops: not the proxy's.)
                        assertEquals(503, got.statusCode(), v + ": " + new String(got.body(), StandardCharsets.UTF_8));
                        assertTrue(got.headers().firstValue("Retry-After").isPresent(),
                                v + ": " + new String(got.body(), StandardCharsets.UTF_8));
                    }
                }
                return null;
            }));
        }
        Thread.sleep(500);
        postgres.stop();
        try {
            // A pinned version's tag moved while the database is away: still the pinned commit.
            work.moveTag("v1.0.0", work.commit("lib.go", "package lib\n\nconst V = 99\n"));
            publish();
            // Node b restarts during the outage with its cache gone: its copy of the ledger is all it has.
            nodes.remove(b);
            b.close();
            deleteTree(tmp.resolve("node-b").resolve("artifacts"));
            b = node("b");
            for (StandaloneServer n : List.of(a, b)) {
                for (String v : pinned) {
                    Map<String, byte[]> got = download(n, v);
                    for (String kind : got.keySet()) {
                        assertArrayEquals(served.get(v).get(kind), got.get(kind), v + " " + kind + " while the database is down");
                    }
                }
                if (n == a) {
                    // Its first hashes cannot go on record: try again, never bytes without a record.
                    assertEquals(200, get(n, MODULE + "/@v/v1.3.0.info").statusCode());
                    for (String kind : List.of("mod", "zip")) {
                        HttpResponse<byte[]> r = get(n, MODULE + "/@v/v1.3.0." + kind);
                        assertEquals(503, r.statusCode(), kind + ": " + new String(r.body(), StandardCharsets.UTF_8));
                        assertTrue(r.headers().firstValue("Retry-After").isPresent());
                    }
                }
                for (int i = 0; i < 5; i++) {
                    HttpResponse<byte[]> r = get(n, MODULE + "/@v/v1.2." + i + ".info");
                    assertEquals(503, r.statusCode(), "a new version cannot be pinned while the database is down");
                    assertTrue(r.headers().firstValue("Retry-After").isPresent());
                    assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("ledger database"),
                            new String(r.body(), StandardCharsets.UTF_8));
                }
                // Still serving (a load balancer keeps it), but an operator sees why new versions fail.
                HttpResponse<byte[]> health = get(n, "-/health");
                assertEquals(200, health.statusCode());
                assertEquals("degraded: ledger database unreachable (pinned versions only)",
                        new String(health.body(), StandardCharsets.UTF_8).trim());
            }
        } finally {
            postgres.startAgain();
        }
        for (StandaloneServer n : List.of(a, b)) {
            for (int i = 0; i < 5; i++) {
                String v = "v1.2." + i;
                HttpResponse<byte[]> r = eventually200(n, MODULE + "/@v/" + v + ".info");
                answered.computeIfAbsent(v, x -> ConcurrentHashMap.newKeySet()).add(time(r.body()));
            }
        }
        eventually200(a, MODULE + "/@v/v1.3.0.mod");
        eventually200(b, MODULE + "/@v/v1.3.0.zip");
        for (StandaloneServer n : List.of(a, b)) {
            assertEquals("ok", new String(get(n, "-/health").body(), StandardCharsets.UTF_8).trim());
        }
        Thread.sleep(500);
        loading.set(false);
        for (Future<?> f : loaders) {
            f.get();
        }
        load.shutdown();
        Map<String, String> ledger = ledgerCommits();
        Map<String, String> timeOfCommit = new HashMap<>();
        for (RevCommit c : commits) {
            timeOfCommit.put(c.name(), time(c));
        }
        assertTrue(answered.keySet().containsAll(pinned), answered.keySet().toString());
        for (Map.Entry<String, Set<String>> e : answered.entrySet()) {
            assertEquals(Collections.singleton(timeOfCommit.get(ledger.get(e.getKey()))), e.getValue(),
                    e.getKey() + ": every answer must be the ledger's commit");
        }
        assertEquals(time(commits.get(0)), timeOfCommit.get(ledger.get("v1.0.0")));
    }

    private HttpResponse<byte[]> eventually200(StandaloneServer n, String path) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (true) {
            HttpResponse<byte[]> r = get(n, path);
            if (r.statusCode() == 200 || System.currentTimeMillis() > end) {
                assertEquals(200, r.statusCode(), path + " after the database came back: "
                        + new String(r.body(), StandardCharsets.UTF_8));
                return r;
            }
            Thread.sleep(250);
        }
    }

    private Map<String, byte[]> download(StandaloneServer n, String version) throws Exception {
        Map<String, byte[]> got = new HashMap<>();
        for (String kind : List.of("info", "mod", "zip")) {
            HttpResponse<byte[]> r = get(n, MODULE + "/@v/" + version + "." + kind);
            assertEquals(200, r.statusCode(), version + "." + kind + ": " + new String(r.body(), StandardCharsets.UTF_8));
            got.put(kind, r.body());
        }
        return got;
    }

    /** The bare repository gets the work repository's branches and tags, moved tags included. */
    private void publish() throws Exception {
        work.git().push().setRemote(bare.toUri().toString())
                .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*")).call();
    }

    private StandaloneServer node(String name) throws Exception {
        StandaloneServer n = StandaloneServer.start(new StandaloneServer.Config().repositories(repos)
                .prefix("example.test").http("127.0.0.1", 0).settings(ProxySettings.builder()
                        .dataDirectory(tmp.resolve("node-" + name).toFile())
                        .ledger(url, postgres.passwordFile().toFile()).build()));
        nodes.add(n);
        return n;
    }

    private static String base(StandaloneServer n) {
        return "http://127.0.0.1:" + n.httpPort() + StandaloneServer.BASE;
    }

    private HttpResponse<byte[]> get(StandaloneServer n, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(n) + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private String sql(String statement) {
        return postgres.sql(url.substring(url.lastIndexOf('/') + 1, url.indexOf('?')), statement);
    }

    private Map<String, String> ledgerCommits() {
        Map<String, String> out = new HashMap<>();
        for (String line : sql("SELECT version, commit_hex FROM goproxy_ledger").split("\n")) {
            String[] f = line.split("\\|");
            if (out.put(f[0], f[1]) != null) {
                throw new AssertionError("pinned twice: " + f[0]);
            }
        }
        return out;
    }

    private static String time(RevCommit c) {
        return Instant.ofEpochSecond(c.getCommitTime()).toString();
    }

    private static String time(byte[] info) {
        Matcher m = TIME.matcher(new String(info, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("no Time in " + new String(info, StandardCharsets.UTF_8));
        }
        return m.group(1);
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
