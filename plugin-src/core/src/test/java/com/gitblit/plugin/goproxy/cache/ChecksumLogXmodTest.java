package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.GoOracle;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * A random log of 100,000 records, checked file by file by a Go program built against Debian's
 * golang.org/x/mod/sumdb/tlog (test-fixtures/sumdb-check): every stored hash, the committed root, every hash
 * tile, and 200 random inclusion and consistency proofs made from our stored hashes.
 */
@RequiresGo
class ChecksumLogXmodTest {
    @TempDir
    Path dir;

    @Test
    void aLogOfOneHundredThousandRecordsIsXmodsTlog() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        try (ChecksumLog log = ChecksumLog.open(dir)) {
            int id = 0;
            while (id < 100_000) {
                List<String> batch = new ArrayList<>();
                for (int k = 1 + random.nextInt(2000); k > 0 && id < 100_000; k--, id++) {
                    String m = "git.example.com/p" + random.nextInt(1000) + "/m" + id;
                    batch.add(m + " v1." + random.nextInt(5) + "." + id + " h1:" + Long.toHexString(random.nextLong())
                            + "=\n" + m + " v1.0." + id + "/go.mod h1:" + Long.toHexString(random.nextLong()) + "=\n");
                }
                log.append(batch);
            }
        }
        GoOracle check = GoOracle.build("sumdb-check");
        Process p = new ProcessBuilder(check.binary().toString(), dir.toString(), Long.toString(seed))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out + " (seed " + seed + ")");
        assertEquals("ok 100000\n", out, "seed " + seed);
    }
}
