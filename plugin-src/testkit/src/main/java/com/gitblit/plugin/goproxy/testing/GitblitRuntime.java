package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where the files a real Gitblit needs come from: its runtime classpath per version (resolved by the build from
 * {@code test-fixtures/gitblit-runtime/pom.xml}), the test overrides, the plugin's id. All of it is named by
 * system properties the failsafe configuration in plugin-src/it/pom.xml sets, with defaults relative to the
 * checkout for a run from an IDE.
 */
final class GitblitRuntime {
    private GitblitRuntime() {
    }

    /** The Gitblit version this run starts (system property {@code gitblit.version}; 1.9.3 by default). */
    static String hostVersion() {
        return System.getProperty("gitblit.version", "1.9.3");
    }

    /**
     * The classpath of {@code version} (null: the default one): {@code gitblit.runtime.classpath.<version>}, else
     * {@code target/gitblit-runtime/classpath-<version>.txt} (where the build resolves every tested version), else
     * the default classpath if it runs that version.
     */
    static List<String> classpath(String version) throws IOException {
        Path file = classpathFile();
        if (version != null) {
            Path own = Paths.get(System.getProperty("gitblit.runtime.classpath." + version,
                    buildDirectory().resolve("gitblit-runtime").resolve("classpath-" + version + ".txt").toString()));
            if (Files.isRegularFile(own) || !Files.isRegularFile(file)
                    || !Files.readString(file).contains("gitblit-" + version + ".jar")) {
                file = own;
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Gitblit's runtime classpath is missing: " + file + ". `mvn verify` writes it"
                    + " before the integration tests (maven-invoker-plugin over test-fixtures/gitblit-runtime/pom.xml);"
                    + " by hand: mvn -f test-fixtures/gitblit-runtime/pom.xml dependency:build-classpath"
                    + " -Dgitblit.version=" + hostVersion() + " -Dmdep.outputFile=" + file.toAbsolutePath());
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        List<String> entries = new ArrayList<>();
        for (String entry : text.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                if (!Files.isRegularFile(Paths.get(entry))) {
                    throw new IllegalStateException("Gitblit runtime jar missing: " + entry + " (listed in " + file
                            + "; re-run `mvn verify`)");
                }
                entries.add(entry);
            }
        }
        return entries;
    }

    static Path classpathFile() {
        return Paths.get(System.getProperty("gitblit.runtime.classpath",
                buildDirectory().resolve("gitblit-runtime/classpath-" + hostVersion() + ".txt").toString()));
    }

    /** The checkout's target/, where instances keep their files. */
    static Path buildDirectory() {
        return Paths.get(System.getProperty("goproxy.build.directory", "target")).toAbsolutePath().normalize();
    }

    /** test-fixtures/gitblit-runtime: the test overrides of gitblit.properties. */
    static Path fixturesDirectory() {
        return Paths.get(System.getProperty("gitblit.fixtures", "test-fixtures/gitblit-runtime")).toAbsolutePath().normalize();
    }

    /** plugin.id from plugin.properties: the prefix of the plugin's settings. */
    static String pluginId() {
        Path file = Paths.get(System.getProperty("goproxy.plugin.properties", "plugin.properties")).toAbsolutePath().normalize();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String id = p.getProperty("plugin.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("no plugin.id in " + file);
        }
        return id.trim();
    }

    /** A system property the failsafe configuration must set. */
    static String required(String property, String what) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " (" + what + ") is not set; the failsafe"
                    + " configuration in plugin-src/it/pom.xml sets it");
        }
        return value;
    }

    static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
