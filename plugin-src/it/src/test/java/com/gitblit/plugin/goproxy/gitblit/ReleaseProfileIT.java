package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn -B -Prelease package} on a copy of this build whose plugin.properties says another version: the
 * release folder holds exactly the plugin zip, the standalone jar and SHA256SUMS, named and stamped with that
 * version, and {@code sha256sum -c} accepts the sums. Offline, from the local repository the outer build filled;
 * unit tests skipped (the outer build ran them).
 */
class ReleaseProfileIT {
    private static final String VERSION = "9.8.7";

    @Test
    void theReleaseProfileWritesVersionedFilesAndTheirSums() throws Exception {
        Path basedir = Paths.get("").toAbsolutePath();
        Path copy = Paths.get(System.getProperty("goproxy.build.directory", "target")).toAbsolutePath().normalize()
                .resolve("release-it/project");
        deleteTree(copy.getParent());
        for (String path : List.of("pom.xml", "plugin.properties")) {
            Files.createDirectories(copy);
            Files.copy(basedir.resolve(path), copy.resolve(path));
        }
        copyTree(basedir.resolve("plugin-src"), copy.resolve("plugin-src"));
        copyTree(basedir.resolve("test-fixtures/release"), copy.resolve("test-fixtures/release"));
        String properties = Files.readString(copy.resolve("plugin.properties"));
        assertTrue(properties.contains("\nplugin.version="), properties);
        Files.writeString(copy.resolve("plugin.properties"),
                properties.replaceFirst("\nplugin\\.version=[^\n]*", "\nplugin.version=" + VERSION));

        List<String> command = new ArrayList<>(List.of(maven(), "-B", "-o", "-q", "-Dstyle.color=never", "-Prelease",
                "-DskipTests", "package"));
        String repoLocal = System.getProperty("goproxy.maven.repo.local");
        if (repoLocal != null && !repoLocal.isBlank()) {
            command.add("-Dmaven.repo.local=" + repoLocal);
        }
        String gitblitRepository = System.getProperty("gitblit.maven.url");
        if (gitblitRepository != null && !gitblitRepository.isBlank()) {
            command.add("-Dgitblit.maven.url=" + gitblitRepository);
        }
        Path log = copy.getParent().resolve("mvn.log");
        Process mvn = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(mvn.waitFor(600, TimeUnit.SECONDS), "mvn -Prelease package did not finish in 10 minutes");
        assertEquals(0, mvn.exitValue(), String.join(" ", command) + "\n" + Files.readString(log));

        Path release = copy.resolve("target/release");
        String registry = Files.readString(copy.resolve("target/plugins.json"));
        assertTrue(registry.contains("\"" + VERSION + "\""), "the registry entry names the release: " + registry);
        try (Stream<Path> files = Files.list(release)) {
            assertEquals(List.of("SHA256SUMS", "goproxy-" + VERSION + ".zip", "goproxy-standalone-" + VERSION + ".jar"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (ZipFile zip = new ZipFile(release.resolve("goproxy-" + VERSION + ".zip").toFile());
                InputStream in = zip.getInputStream(zip.getEntry("classes/META-INF/MANIFEST.MF"))) {
            assertEquals(VERSION, new Manifest(in).getMainAttributes().getValue("Plugin-Version"));
        }
        try (JarFile jar = new JarFile(release.resolve("goproxy-standalone-" + VERSION + ".jar").toFile())) {
            assertEquals(VERSION, jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
        }
        List<String> sums = Files.readAllLines(release.resolve("SHA256SUMS"), StandardCharsets.US_ASCII);
        assertEquals(2, sums.size(), sums.toString());
        for (String line : sums) {
            assertTrue(line.matches("[0-9a-f]{64} \\*goproxy-(standalone-)?" + VERSION.replace(".", "\\.") + "\\.(zip|jar)"),
                    line);
        }
        Process check = new ProcessBuilder("sha256sum", "-c", "SHA256SUMS").directory(release.toFile())
                .redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), out);
    }

    /** The mvn of the build that runs this test (failsafe passes maven.home), else the one on the PATH. */
    private static String maven() {
        String home = System.getProperty("goproxy.maven.home");
        if (home != null && Files.isExecutable(Paths.get(home, "bin", "mvn"))) {
            return Paths.get(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static boolean isBuildOutput(Path relative) {
        for (Path element : relative) {
            if (element.toString().equals("target")) {
                return true;
            }
        }
        return false;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path relative = from.relativize(p);
                if (isBuildOutput(relative)) {
                    continue; // the copy builds its own
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
