package com.gitblit.plugin.goproxy.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.standalone.TlsMaterial;

/**
 * The standalone host in-process on free ports, HTTP and HTTPS (certificate from {@link TestPki}), for
 * end-to-end tests. Users are written in the documented users-file format (hashed here independently of the
 * product's code, so a format drift fails); access lines are written as given.
 */
public final class StandaloneServer implements AutoCloseable {
    private final com.gitblit.plugin.goproxy.standalone.StandaloneServer server;
    private final TestPki pki;
    private final Path caPem;

    private StandaloneServer(com.gitblit.plugin.goproxy.standalone.StandaloneServer server, TestPki pki, Path caPem) {
        this.server = server;
        this.pki = pki;
        this.caPem = caPem;
    }

    public static Builder builder(Path repositories, Path work) {
        return new Builder(repositories, work);
    }

    /** {@code http://127.0.0.1:<port>/go/} */
    public String httpBase() {
        return "http://127.0.0.1:" + server.httpPort() + "/go/";
    }

    /** {@code https://127.0.0.1:<port>/go/} */
    public String httpsBase() {
        return "https://127.0.0.1:" + server.httpsPort() + "/go/";
    }

    public TestPki pki() {
        return pki;
    }

    /** The CA certificate as PEM, for {@code SSL_CERT_FILE}. */
    public Path caPem() {
        return caPem;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    public static final class Builder {
        private final Path repositories;
        private final Path work;
        private String prefix = "";
        private final Map<String, String> users = new LinkedHashMap<>();
        private final List<String> access = new ArrayList<>();
        private ProxySettings settings;
        private int maxDownloads;
        private int maxDownloadsPerClient;

        private Builder(Path repositories, Path work) {
            this.repositories = repositories;
            this.work = work;
        }

        public Builder prefix(String value) {
            this.prefix = value;
            return this;
        }

        /** Adding any user makes the server private by default (a users file is written). */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** One access-file line, {@code <repository glob> <reader>...}. */
        public Builder access(String line) {
            access.add(line);
            return this;
        }

        public Builder settings(ProxySettings value) {
            this.settings = value;
            return this;
        }

        /** The download limits (0: the server's defaults). */
        public Builder maxDownloads(int total, int perClient) {
            this.maxDownloads = total;
            this.maxDownloadsPerClient = perClient;
            return this;
        }

        public StandaloneServer start() throws Exception {
            Files.createDirectories(work);
            TestPki pki = TestPki.create();
            TlsMaterial tls = TlsMaterial.pem(pki.writeServerCertPem(work.resolve("server.pem")),
                    pki.writeServerKeyPem(work.resolve("server.key")));
            Path ca = pki.writeCaPem(work.resolve("ca.pem"));
            com.gitblit.plugin.goproxy.standalone.StandaloneServer.Config config =
                    new com.gitblit.plugin.goproxy.standalone.StandaloneServer.Config().repositories(repositories)
                            .prefix(prefix).http("127.0.0.1", 0).https("127.0.0.1", 0, tls);
            if (!users.isEmpty()) {
                List<String> lines = new ArrayList<>();
                users.forEach((name, password) -> lines.add(hashed(name, password)));
                Path usersFile = Files.write(work.resolve("users"), lines, StandardCharsets.UTF_8);
                Path accessFile = access.isEmpty() ? null : Files.write(work.resolve("access"), access, StandardCharsets.UTF_8);
                config.users(usersFile, accessFile);
            }
            if (maxDownloads > 0) {
                config.maxDownloads(maxDownloads, maxDownloadsPerClient);
            }
            config.settings(settings != null ? settings
                    : ProxySettings.builder().dataDirectory(work.resolve("data").toFile()).build());
            return new StandaloneServer(com.gitblit.plugin.goproxy.standalone.StandaloneServer.start(config), pki, ca);
        }
    }

    /** {@code name:pbkdf2-sha256:<iterations>:<salt>:<hash>} with few iterations: tests need no slow hashes. */
    static String hashed(String name, String password) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            int iterations = 1000;
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            return name + ":pbkdf2-sha256:" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                    + Base64.getEncoder().encodeToString(hash);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
