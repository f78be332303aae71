package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proves which host library versions a test run really loads: the default run must see Gitblit 1.9.3's
 * (JGit 4.5.7, Gson 2.3.1, Guice 4.0), the module {@code plugin-src/host-1.10} Gitblit 1.10.0's
 * (JGit 4.11.9, Gson 2.10, Guice 5.1.0). Each run names its expectation in {@code expected.*.version}
 * system properties (the poms), so a classpath swap that silently fails makes this test fail.
 */
@Tag("jgit")
class HostLibraryVersionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "org.eclipse.jgit.lib.Repository, expected.jgit.version",
        "org.eclipse.jgit.junit.TestRepository, expected.jgit.version",
        "com.google.gson.Gson, expected.gson.version",
        "com.google.inject.Guice, expected.guice.version",
    })
    void loadedVersionIsTheExpectedOne(String className, String property) throws Exception {
        String expected = System.getProperty(property);
        assertNotNull(expected, "system property " + property + " must be set by the surefire execution");
        Class<?> type = Class.forName(className);
        Path jar = jarOf(type);
        String loaded = bundleVersion(jar);
        System.out.println(className + " " + loaded + " from " + jar);
        // OSGi bundle versions have three numeric parts: Gson "2.10" is bundle "2.10.0", Guice "4.0" is "4.0.0".
        assertEquals(osgi(expected), loaded, className + " from " + jar);
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String bundleVersion(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertNotNull(manifest, "no manifest in " + jar);
            String version = manifest.getMainAttributes().getValue("Bundle-Version");
            assertNotNull(version, "no Bundle-Version in " + jar);
            return version;
        }
    }

    private static String osgi(String mavenVersion) {
        String[] parts = mavenVersion.split("[.]", 4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(i == 0 ? "" : ".").append(i < parts.length ? parts[i] : "0");
        }
        return parts.length > 3 ? sb + "." + parts[3] : sb.toString();
    }
}
