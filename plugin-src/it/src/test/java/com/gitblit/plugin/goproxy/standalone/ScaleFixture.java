package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.NginxServer;
import com.gitblit.plugin.goproxy.testing.StandaloneNode;

/**
 * What the scale-out tests share: the repositories (a small public module, a public one of a few MB of
 * incompressible files, a private one readable by alice only), the users and access files, and
 * {@code test-fixtures/scale/nginx.conf} made to point at the test's nodes, port and cache folder: the same file
 * docs/scale.md shows and test-fixtures/scale/run.sh uses.
 */
final class ScaleFixture {
    static final String PREFIX = "example.test";
    static final String HELLO = PREFIX + "/hello";
    static final String BIG = PREFIX + "/big";
    static final String SECRET = PREFIX + "/secret";
    static final String ALICE_PASSWORD = "alice-secret-password";
    static final Path NGINX_TEMPLATE = Paths.get("test-fixtures/scale/nginx.conf").toAbsolutePath();
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("( *)server 127\\.0\\.0\\.1:808[1-3] ([^;]*);\n");

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path repos;
    final Path users;
    final Path access;

    private ScaleFixture(Path repos, Path users, Path access) {
        this.repos = repos;
        this.users = users;
        this.access = access;
    }

    /** The repositories under {@code dir/repos}; {@code bigBytes} of random files in the big module. */
    static ScaleFixture create(Path dir, int bigBytes) throws Exception {
        Path repos = Files.createDirectories(dir.resolve("repos"));
        JGitRepo.bareModule(repos.resolve("hello.git"), HELLO, dir.resolve("work/hello"));
        JGitRepo.bareModule(repos.resolve("secret.git"), SECRET, dir.resolve("work/secret"));
        try (JGitRepo big = JGitRepo.init(dir.resolve("work/big"))) {
            Random random = new Random(22);
            int files = 4;
            for (int i = 0; i < files; i++) {
                byte[] noise = new byte[bigBytes / files];
                random.nextBytes(noise);
                big.write("data/blob" + i + ".bin", noise);
            }
            big.tag("v1.0.0", big.commit("go.mod", "module " + BIG + "\n\ngo 1.19\n", "big.go", "package big\n"));
            big.cloneBare(repos.resolve("big.git"));
        }
        Path users = dir.resolve("users");
        Files.writeString(users, hashPassword("alice", ALICE_PASSWORD));
        Path access = Files.writeString(dir.resolve("access"), "secret alice\n** anonymous\n");
        return new ScaleFixture(repos, users, access);
    }

    /** The flags every node of these tests runs with, after {@code --data}. */
    List<String> nodeFlags(Path data) {
        return List.of("--repos", repos.toString(), "--prefix", PREFIX, "--data", data.toString(), "--users",
                users.toString(), "--access", access.toString(), "--trusted-proxies", "127.0.0.1");
    }

    /** A users-file line made by the jar's own hash-password command. */
    private static String hashPassword(String user, String password) throws Exception {
        Process p = new ProcessBuilder(StandaloneNode.currentJdk().resolve("bin/java").toString(), "-jar",
                StandaloneNode.jar().toString(), "hash-password", user).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "hash-password did not finish");
        assertEquals(0, p.exitValue(), line);
        assertTrue(line.startsWith(user + ":pbkdf2-sha256:"), line);
        return line.endsWith("\n") ? line : line + "\n";
    }

    /**
     * The template with its three example nodes replaced by {@code nodes} (addresses), its port by {@code port}
     * and its cache folder by {@code cache}; {@code extra} lines go into the {@code location} block.
     */
    static String nginxConfig(List<String> nodes, int port, Path cache, String... extra) throws IOException {
        String template = Files.readString(NGINX_TEMPLATE);
        Matcher servers = UPSTREAM_SERVER.matcher(template);
        assertTrue(servers.find(), "no upstream server lines in " + NGINX_TEMPLATE);
        String indent = servers.group(1);
        String parameters = servers.group(2);
        String lines = nodes.stream().map(n -> indent + "server " + n + " " + parameters + ";\n").collect(Collectors.joining());
        String config = UPSTREAM_SERVER.matcher(template).replaceAll("");
        config = replaceOnce(config, "upstream goproxy_nodes {\n", "upstream goproxy_nodes {\n" + lines);
        config = replaceOnce(config, "listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";");
        config = replaceOnce(config, "/var/cache/nginx/goproxy", cache.toString());
        if (extra.length > 0) {
            config = replaceOnce(config, "        proxy_pass http://goproxy_nodes;\n", "        proxy_pass http://goproxy_nodes;\n"
                    + "        " + String.join("\n        ", extra) + "\n");
        }
        return config;
    }

    private static String replaceOnce(String text, String what, String with) {
        assertEquals(1, text.split(Pattern.quote(what), -1).length - 1, "the template should contain once: " + what);
        return text.replace(what, with);
    }

    /** Stops nginx (if it started) and then every node: the front first, so that it sends nothing to a stopping node. */
    static void stopAll(NginxServer nginx, List<StandaloneNode> nodes) throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (StandaloneNode node : nodes) {
            node.close();
        }
    }

    static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String basicAlice() {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("alice:" + ALICE_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }
}
