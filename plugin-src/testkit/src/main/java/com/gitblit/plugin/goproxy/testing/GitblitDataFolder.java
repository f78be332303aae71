package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * A Gitblit base folder ({@code --baseFolder}) written before start: Gitblit's own {@code defaults.properties}
 * (from the jar that runs, so they match its version), the test overrides of
 * {@code test-fixtures/gitblit-runtime/gitblit.properties}, then the instance's settings (ports, HTTPS store, the
 * builder's settings); the HTTPS key store with the {@link TestPki} server certificate and a trust store with its
 * CA; {@code users.conf} with {@code admin}/{@code admin} and the builder's users; the plugin zips in
 * {@code plugins/} (Gitblit collects plugin filters once, at start).
 */
final class GitblitDataFolder {
    /** The alias Gitblit reads the server certificate under ({@code server.certificateAlias}). */
    static final String KEYSTORE_ALIAS = "goproxy-test";

    private final Path base;

    GitblitDataFolder(Path base) {
        this.base = base;
    }

    Path base() {
        return base;
    }

    /** Writes everything; {@code ports} are HTTP, HTTPS (0: off). */
    void write(List<String> classpath, int httpPort, int httpsPort, Map<String, String> settings,
            Map<String, String> users, TestPki pki, List<Path> plugins) throws IOException {
        String storePassword = randomSecret();
        writeDefaults(classpath);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.httpPort", Integer.toString(httpPort));
        all.put("server.httpsPort", Integer.toString(httpsPort));
        all.put("server.storePassword", storePassword);
        all.put("server.certificateAlias", KEYSTORE_ALIAS);
        all.putAll(settings);
        writeSettings(all);
        pki.writeServerKeyStore(base.resolve("serverKeyStore.jks"), "JKS", KEYSTORE_ALIAS, storePassword);
        writeTrustStore(base.resolve("serverTrustStore.jks"), pki, storePassword);
        writeUsers(base.resolve("users.conf"), users);
        Path pluginsFolder = Files.createDirectories(base.resolve("plugins"));
        for (Path zip : plugins) {
            Files.copy(zip, pluginsFolder.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Gitblit's own defaults, unmodified, from the jar that runs (so they always match its version). */
    private void writeDefaults(List<String> classpath) throws IOException {
        Path gitblitJar = classpath.stream().map(Paths::get)
                .filter(p -> p.getFileName().toString().matches("gitblit-[0-9][^/]*\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no gitblit-<version>.jar in " + GitblitRuntime.classpathFile()));
        try (JarFile jar = new JarFile(gitblitJar.toFile())) {
            ZipEntry defaults = jar.getEntry("defaults.properties");
            if (defaults == null) {
                throw new IllegalStateException("no defaults.properties in " + gitblitJar);
            }
            try (InputStream in = jar.getInputStream(defaults)) {
                Files.copy(in, base.resolve("defaults.properties"));
            }
        }
    }

    private void writeSettings(Map<String, String> all) throws IOException {
        StringBuilder props = new StringBuilder();
        props.append(new String(Files.readAllBytes(GitblitRuntime.fixturesDirectory().resolve("gitblit.properties")),
                StandardCharsets.ISO_8859_1));
        props.append("\n# ---- written by GitblitInstance for this instance ----\n");
        for (String key : all.keySet()) {
            // Properties syntax, escaped by Properties itself (one entry at a time keeps our order).
            Properties one = new Properties();
            one.setProperty(key, all.get(key));
            StringWriter w = new StringWriter();
            one.store(w, null);
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> props.append(l).append('\n'));
        }
        Files.write(base.resolve("gitblit.properties"), props.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Gitblit's trust store (client certificates), with our CA so it does not import its own. */
    private static void writeTrustStore(Path file, TestPki pki, String password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("JKS");
            ks.load(null, null);
            ks.setCertificateEntry("goproxy-test-ca", pki.caCertificate());
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** users.conf is a git-config file: values quoted, so '#', ';' and spaces in passwords survive. */
    private static void writeUsers(Path file, Map<String, String> users) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("[user ").append(quoted(GitblitInstance.ADMIN)).append("]\n\tpassword = ")
                .append(quoted(GitblitInstance.ADMIN_PASSWORD))
                .append("\n\trole = \"#admin\"\n\trole = \"#notfederated\"\n");
        users.forEach((user, password) -> sb.append("[user ").append(quoted(user)).append("]\n\tpassword = ")
                .append(quoted(password)).append('\n'));
        Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("line break in a users.conf value");
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String randomSecret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
