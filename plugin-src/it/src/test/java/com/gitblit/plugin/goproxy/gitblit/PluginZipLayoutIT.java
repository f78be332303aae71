package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ro.fortsoft.pf4j.Extension;

/**
 * The built plugin zip ({@code target/goproxy-<version>.zip}) has exactly the layout pf4j 0.9.0 inside
 * Gitblit loads: {@code classes/} with our classes (not the standalone host), the descriptor in
 * {@code classes/META-INF/MANIFEST.MF} equal to plugin.properties, {@code classes/META-INF/extensions.idx}
 * naming exactly the {@code @Extension} classes, Java 8 bytecode, and no host library anywhere (pf4j's
 * class loader is child-first: a bundled JGit or servlet API would break every call across the host).
 */
class PluginZipLayoutIT {
    /** Jars allowed in lib/ (file names): libraries Gitblit lacks. None today; see plugin-src/gitblit/src/assembly/plugin-zip.xml. */
    static final Set<String> ALLOWED_LIB_JARS = Set.of();

    /** Host packages that must never be inside the zip, as classes or inside a jar. */
    private static final List<String> FORBIDDEN_PACKAGES = List.of(
            "org/eclipse/jgit/", "javax/servlet/", "org/eclipse/jetty/", "com/google/", "org/slf4j/",
            "javax/inject/", "ro/fortsoft/", "com/gitblit/models/", "com/gitblit/extensions/", "org/apache/log4j/",
            "org/apache/wicket/", "com/gitblit/wicket/",
            // Gitblit ships its own (1.57); child-first loading would put ours in place of it.
            "org/bouncycastle/",
            // bundled, but only relocated (see relocatesThePrometheusClient)
            "io/prometheus/",
            // the PostgreSQL ledger's driver and pool: bundled, but only relocated
            "org/postgresql/", "com/zaxxer/");

    private static Path zip;
    private static Properties descriptor;
    private static List<String> entries;

    @BeforeAll
    static void open() throws IOException {
        Path props = Paths.get(System.getProperty("goproxy.plugin.properties", "plugin.properties")).toAbsolutePath().normalize();
        descriptor = new Properties();
        try (InputStream in = Files.newInputStream(props)) {
            descriptor.load(in);
        }
        zip = Paths.get(System.getProperty("goproxy.plugin.zip", "target/" + descriptor.getProperty("plugin.id") + "-"
                + descriptor.getProperty("plugin.version") + ".zip"));
        assertTrue(Files.isRegularFile(zip), "no plugin zip at " + zip + " (mvn package builds it)");
        entries = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                entries.add(e.nextElement().getName());
            }
        }
    }

    /** The metrics library is inside, under our package, and our classes reach it there. */
    @Test
    void relocatesThePrometheusClient() throws IOException {
        String shaded = "classes/com/gitblit/plugin/goproxy/bundled/prometheus/";
        for (String needed : List.of("metrics/core/metrics/Counter.class",
                "metrics/expositionformats/PrometheusTextFormatWriter.class",
                "metrics/model/registry/PrometheusRegistry.class")) {
            assertTrue(entries.contains(shaded + needed), "missing " + shaded + needed);
        }
        try (ZipFile z = new ZipFile(zip.toFile());
                InputStream in = z.getInputStream(z.getEntry(
                        "classes/com/gitblit/plugin/goproxy/metrics/PrometheusMetrics.class"))) {
            String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(constants.contains("com/gitblit/plugin/goproxy/bundled/prometheus/metrics/core/metrics/Counter"),
                    "PrometheusMetrics does not use the relocated client");
            assertFalse(constants.contains("io/prometheus/"), "PrometheusMetrics still names io/prometheus/");
        }
    }

    @Test
    void fileNameCarriesPluginIdAndVersion() {
        assertEquals(descriptor.getProperty("plugin.id") + "-" + descriptor.getProperty("plugin.version") + ".zip",
                zip.getFileName().toString());
    }

    @Test
    void onlyClassesAndLibAtTheTop() {
        for (String name : entries) {
            assertTrue(name.startsWith("classes/") || name.startsWith("lib/"), "unexpected top-level entry " + name);
        }
        assertTrue(entries.contains("classes/META-INF/MANIFEST.MF"), "no classes/META-INF/MANIFEST.MF");
        assertTrue(entries.contains("classes/META-INF/extensions.idx"), "no classes/META-INF/extensions.idx");
        assertTrue(entries.contains("classes/" + classFile(descriptor.getProperty("plugin.class"))),
                "the Plugin-Class is not in classes/");
    }

    @Test
    void manifestIsPluginProperties() throws IOException {
        Attributes main;
        try (ZipFile z = new ZipFile(zip.toFile());
                InputStream in = z.getInputStream(z.getEntry("classes/META-INF/MANIFEST.MF"))) {
            main = new Manifest(in).getMainAttributes();
        }
        Map<String, String> expected = Map.of(
                "Plugin-Id", "plugin.id",
                "Plugin-Class", "plugin.class",
                "Plugin-Version", "plugin.version",
                "Plugin-Requires", "plugin.requires",
                "Plugin-Provider", "plugin.provider",
                "Plugin-Description", "plugin.description",
                "Plugin-Dependencies", "plugin.dependencies");
        expected.forEach((attribute, property) -> {
            String want = descriptor.getProperty(property);
            assertNotNull(want, property + " missing from plugin.properties");
            assertEquals(want.trim(), nullToEmpty(main.getValue(attribute)).trim(), attribute);
        });
        // pf4j 0.9.0 needs these three; an empty one disables the plugin.
        for (String required : List.of("Plugin-Id", "Plugin-Class", "Plugin-Version")) {
            assertFalse(nullToEmpty(main.getValue(required)).isBlank(), required + " is empty");
        }
    }

    @Test
    void manifestLinesKeepTheJarLimit() throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile());
                InputStream in = z.getInputStream(z.getEntry("classes/META-INF/MANIFEST.MF"))) {
            byte[] bytes = in.readAllBytes();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
                assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 72, "manifest line over 72 bytes: " + line);
            }
        }
    }

    @Test
    void extensionsIndexListsExactlyTheExtensionClasses(@TempDir Path dir) throws Exception {
        Path classes = unzipClasses(dir);
        Set<String> indexed = new TreeSet<>();
        for (String line : Files.readAllLines(classes.resolve("META-INF/extensions.idx"), StandardCharsets.UTF_8)) {
            // pf4j 0.9.0 takes every line as a class name: no blank lines, no comments.
            assertFalse(line.isBlank() || line.startsWith("#"), "extensions.idx line pf4j 0.9.0 cannot read: '" + line + "'");
            indexed.add(line);
        }
        Set<String> annotated = new TreeSet<>();
        try (URLClassLoader loader = new ChildFirstLoader(classes)) {
            for (String name : classNames(classes)) {
                Class<?> type = Class.forName(name, false, loader);
                assertEquals(loader, type.getClassLoader(), name + " did not come from the zip");
                if (type.isAnnotationPresent(Extension.class)) {
                    annotated.add(name);
                }
            }
        }
        assertFalse(annotated.isEmpty(), "no @Extension class in the zip: Gitblit would never call the plugin");
        assertTrue(annotated.contains(GoProxyFilter.class.getName()), "GoProxyFilter is not an extension");
        assertEquals(annotated, indexed);
    }

    @Test
    void classesAreJava8Bytecode() throws IOException {
        int count = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (String name : entries) {
                if (name.endsWith(".class")) {
                    try (InputStream in = z.getInputStream(z.getEntry(name))) {
                        byte[] head = in.readNBytes(8);
                        assertEquals(0xCAFEBABE, ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16)
                                | ((head[2] & 0xff) << 8) | (head[3] & 0xff), name);
                        int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                        assertEquals(52, major, name + " is not Java 8 bytecode");
                        count++;
                    }
                }
            }
        }
        assertTrue(count > 0, "no classes in the zip");
    }

    @Test
    void noStandaloneHostAndNoHostLibraries() throws IOException {
        for (String name : entries) {
            assertFalse(name.startsWith("classes/com/gitblit/plugin/goproxy/standalone/"),
                    "the standalone host (needs Jetty) is in the zip: " + name);
            assertForbiddenFree(name.startsWith("classes/") ? name.substring("classes/".length()) : name, zip + "!" + name);
            if (name.startsWith("lib/") && !name.equals("lib/")) {
                String jar = name.substring("lib/".length());
                assertTrue(ALLOWED_LIB_JARS.contains(jar), "lib/" + jar + " is not on the allowlist");
            }
        }
        // Even an allowlisted jar must not carry host classes.
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (String name : entries) {
                if (name.endsWith(".jar")) {
                    try (ZipInputStream jar = new ZipInputStream(z.getInputStream(z.getEntry(name)))) {
                        for (ZipEntry e = jar.getNextEntry(); e != null; e = jar.getNextEntry()) {
                            assertForbiddenFree(e.getName(), name + "!" + e.getName());
                        }
                    }
                }
            }
        }
    }

    @Test
    void bouncyCastleTravelsRelocatedAndVerifiesFromTheZip(@TempDir Path dir) throws Exception {
        assertTrue(entries.contains("classes/com/gitblit/plugin/goproxy/bundled/bouncycastle/math/ec/rfc8032/Ed25519.class"),
                "no relocated BouncyCastle Ed25519 in the zip");
        Path classes = unzipClasses(dir);
        try (URLClassLoader loader = new ChildFirstLoader(classes)) {
            Class<?> ed25519 = Class.forName("com.gitblit.plugin.goproxy.sumdb.Ed25519", true, loader);
            java.lang.reflect.Method verify = ed25519.getMethod("verify", byte[].class, byte[].class, byte[].class);
            // RFC 8032 section 7.1, test 2: the checksum database's signature check, run from the zip's classes.
            byte[] key = hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
            byte[] signature = hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                    + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
            assertEquals(Boolean.TRUE, verify.invoke(null, key, new byte[] {0x72}, signature));
            assertEquals(Boolean.FALSE, verify.invoke(null, key, new byte[] {0x73}, signature));
        }
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static void assertForbiddenFree(String path, String where) {
        for (String forbidden : FORBIDDEN_PACKAGES) {
            if (path.startsWith(forbidden)) {
                fail("host library class in the plugin zip: " + where);
            }
        }
    }

    private static Path unzipClasses(Path dir) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (String name : entries) {
                if (name.startsWith("classes/") && !name.endsWith("/")) {
                    Path target = dir.resolve(name).normalize();
                    assertTrue(target.startsWith(dir), "entry escapes the folder: " + name);
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(z.getEntry(name))) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return dir.resolve("classes");
    }

    private static List<String> classNames(Path classes) throws IOException {
        List<String> names = new ArrayList<>();
        try (var walk = Files.walk(classes)) {
            walk.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String rel = classes.relativize(p).toString().replace('\\', '/');
                names.add(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'));
            });
        }
        return names;
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Loads our package from the unzipped classes first, as pf4j's PluginClassLoader does. */
    private static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(Path classes) throws IOException {
            super(new URL[] {classes.toUri().toURL()}, PluginZipLayoutIT.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("com.gitblit.plugin.goproxy.")) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = findClass(name);
                    }
                    return c;
                }
                return super.loadClass(name, resolve);
            }
        }
    }
}
