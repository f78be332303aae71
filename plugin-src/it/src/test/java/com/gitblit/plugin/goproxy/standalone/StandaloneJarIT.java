package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code target/goproxy-standalone.jar} runs with {@code java -jar}: it names {@code standalone.Main},
 * carries our classes with JGit, Jetty, the servlet API and slf4j-simple, leaves out what only Gitblit
 * provides (Gitblit, pf4j, javax.inject, and our Gitblit host classes), and has no stale signature
 * files (a shaded signed jar with JGit's .SF would fail to load with a SecurityException).
 */
class StandaloneJarIT {
    private static Path jar;
    private static List<String> entries;

    @BeforeAll
    static void open() throws IOException {
        jar = Paths.get(System.getProperty("goproxy.standalone.jar", "target/goproxy-standalone.jar")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "no standalone jar at " + jar + " (mvn package builds it)");
        entries = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().map(ZipEntry::getName).forEach(entries::add);
        }
    }

    @Test
    void mainClassIsTheStandaloneHost() throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            assertNotNull(m);
            assertEquals(Main.class.getName(), m.getMainAttributes().getValue("Main-Class"));
        }
        assertTrue(entries.contains("com/gitblit/plugin/goproxy/standalone/Main.class"));
    }

    @Test
    void bundlesWhatTheStandaloneHostNeeds() {
        for (String needed : List.of("org/eclipse/jgit/lib/Repository.class", "org/eclipse/jetty/server/Server.class",
                "org/eclipse/jetty/servlet/ServletContextHandler.class", "javax/servlet/http/HttpServlet.class",
                "org/slf4j/LoggerFactory.class", "org/slf4j/impl/SimpleLoggerFactory.class",
                "com/gitblit/plugin/goproxy/bundled/bouncycastle/math/ec/rfc8032/Ed25519.class")) {
            assertTrue(entries.contains(needed), "missing " + needed);
        }
    }

    @Test
    void carriesThePrometheusClientRelocated() {
        assertTrue(entries.contains("com/gitblit/plugin/goproxy/bundled/prometheus/metrics/core/metrics/Counter.class"),
                "no relocated Prometheus client");
        for (String name : entries) {
            assertFalse(name.startsWith("io/prometheus/"), "Prometheus client not relocated: " + name);
        }
    }

    @Test
    void carriesBouncyCastleOnlyRelocatedAndOnlyOnce() {
        for (String name : entries) {
            assertFalse(name.startsWith("org/bouncycastle/"), "unrelocated BouncyCastle in the standalone jar: " + name);
        }
    }

    @Test
    void carriesThePostgresDriverAndPoolOnlyRelocated() {
        for (String name : entries) {
            assertFalse(name.startsWith("org/postgresql/") || name.startsWith("com/zaxxer/"),
                    "unrelocated PostgreSQL driver or pool in the standalone jar: " + name);
        }
        assertTrue(entries.contains("com/gitblit/plugin/goproxy/bundled/postgresql/ds/PGSimpleDataSource.class"));
        assertTrue(entries.contains("com/gitblit/plugin/goproxy/bundled/hikari/HikariDataSource.class"));
    }

    @Test
    void leavesOutWhatOnlyGitblitProvides() {
        for (String name : entries) {
            if (name.endsWith("/")) {
                continue; // folders such as com/gitblit/ lead to our own classes
            }
            assertFalse(name.startsWith("com/gitblit/") && !name.startsWith("com/gitblit/plugin/goproxy/"),
                    "Gitblit class in the standalone jar: " + name);
            assertFalse(name.startsWith("com/gitblit/plugin/goproxy/gitblit/"), "Gitblit host class: " + name);
            assertFalse(name.startsWith("ro/fortsoft/") || name.startsWith("javax/inject/"), "provided class: " + name);
            assertFalse(name.equals("META-INF/extensions.idx"), "pf4j index in the standalone jar");
        }
    }

    @Test
    void hasNoSignatureFiles() {
        for (String name : entries) {
            if (name.startsWith("META-INF/") && name.indexOf('/', "META-INF/".length()) < 0) {
                String upper = name.toUpperCase(Locale.ROOT);
                assertFalse(upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                        || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-"), "signature file " + name);
            }
        }
    }

    @Test
    void runsWithJavaDashJar() throws Exception {
        Path javaExe = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaExe.toString(), "-Xmx64m", "-jar", jar.toString(), "--help")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -jar did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "java -jar " + jar + " --help:\n" + text);
        assertTrue(text.toLowerCase(Locale.ROOT).contains("usage"), "no usage text:\n" + text);
    }
}
