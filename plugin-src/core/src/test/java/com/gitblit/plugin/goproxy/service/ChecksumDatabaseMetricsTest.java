package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.metrics.PrometheusMetrics;

/**
 * {@code goproxy_checksum_database_appends_total} of a service made by {@link ModuleServices#create}: a lookup of a
 * version not in the log appends it (counted once), a second lookup and a repeated add append nothing, and the
 * dependency proxy's path ({@link ForgeChecksumDatabase#add}) counts like a lookup.
 */
@Tag("jgit")
class ChecksumDatabaseMetricsTest {
    private static final String ROOT = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    @Test
    void eachRecordAppendedToTheLogIsCountedOnce() throws Exception {
        Path work = tmp.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).call()) {
            Files.write(work.resolve("go.mod"), ("module " + ROOT + "\n").getBytes(StandardCharsets.UTF_8));
            Files.write(work.resolve("lib.go"), "package lib\n".getBytes(StandardCharsets.UTF_8));
            git.add().addFilepattern(".").call();
            RevCommit c = git.commit().setMessage("c").setAuthor("T", "t@example.com")
                    .setCommitter("T", "t@example.com").call();
            git.tag().setName("v1.0.0").setObjectId(c).setAnnotated(false).call();
        }
        GitDirRepository hosted = new GitDirRepository("team/lib.git", ROOT, work.resolve(".git").toFile());
        PrometheusMetrics metrics = new PrometheusMetrics();
        try (ModuleService service = ModuleServices.create(
                ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build(), "git.example.com", metrics)) {
            ForgeChecksumDatabase db = service.checksumDatabase();
            assertNotNull(db, "the service has a checksum database");
            assertEquals(0, appends(metrics));

            db.lookup(hosted, ROOT, "v1.0.0");
            assertEquals(1, appends(metrics), "the first lookup appends the version");
            db.lookup(hosted, ROOT, "v1.0.0");
            assertEquals(1, appends(metrics), "a version in the log is not appended again");

            String zip = "h1:" + "B".repeat(43) + "=";
            String mod = "h1:" + "C".repeat(43) + "=";
            db.add("example.org/dep", "v0.1.0", zip, mod);
            db.add("example.org/dep", "v0.1.0", zip, mod);
            assertEquals(2, appends(metrics));
            assertTrue(db.contains(ROOT, "v1.0.0") && db.contains("example.org/dep", "v0.1.0"));
        }
    }

    private static long appends(PrometheusMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        String text = out.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^goproxy_checksum_database_appends_total (\\S+)$").matcher(text);
        assertTrue(m.find(), text);
        return (long) Double.parseDouble(m.group(1));
    }
}
