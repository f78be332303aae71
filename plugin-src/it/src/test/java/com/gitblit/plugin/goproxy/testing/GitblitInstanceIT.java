package com.gitblit.plugin.goproxy.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Enumeration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself: a plugin that breaks Gitblit's web application (a zip without
 * {@code META-INF/extensions.idx}, which makes pf4j 0.9.0 fail on the first extension lookup) is
 * reported at once with Gitblit's 503 and log, instead of a readiness wait running into its timeout,
 * and the broken Gitblit is stopped.
 */
class GitblitInstanceIT {

    @Test
    void aGitblitAnswering503FailsFastAndIsStopped(@TempDir Path dir) throws IOException {
        Path broken = withoutExtensionsIndex(Paths.get(System.getProperty("goproxy.plugin.zip")).toAbsolutePath().normalize(),
                dir.resolve("goproxy-broken.zip"));
        long t0 = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GitblitInstance.builder("broken-plugin-it").plugin(broken).start().close());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("broken plugin reported after " + took.toMillis() + " ms");
        assertTrue(e.getMessage().contains("answered 503"), e.getMessage());
        assertTrue(e.getMessage().contains("Failed startup of context") || e.getMessage().contains("extensions"),
                "the message should carry Gitblit's log: " + e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "not fast: " + took);

        Matcher port = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(e.getMessage());
        assertTrue(port.find(), e.getMessage());
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class,
                    () -> s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port.group(1))), 2000),
                    "the failed Gitblit is still listening");
        }
    }

    private static Path withoutExtensionsIndex(Path zip, Path target) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile()); OutputStream os = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements();) {
                ZipEntry entry = en.nextElement();
                if (entry.getName().equals("classes/META-INF/extensions.idx")) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return target;
    }
}
