package com.gitblit.plugin.goproxy.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while a process appends to the log from several threads, again and again: every reopening finds a
 * consistent log (the open verifies every record against its hashes and the committed root) that still holds
 * every append the dead process saw committed.
 */
class ChecksumLogCrashTest {
    @TempDir
    Path dir;

    @Test
    void killedAtAnyMomentTheLogReopensConsistentWithEveryCommittedRecord() throws Exception {
        Random random = new Random();
        long seen = 0;
        for (int cycle = 0; cycle < 8; cycle++) {
            Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Appender.class.getName(), dir.toString(),
                    Integer.toString(cycle)).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("committed "), "the appender did not start: " + first);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150 + random.nextInt(400));
            long lastCommitted = Long.parseLong(first.substring("committed ".length()));
            while (System.nanoTime() < deadline) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                lastCommitted = Math.max(lastCommitted, Long.parseLong(line.substring("committed ".length())));
            }
            p.destroyForcibly().waitFor();
            try (ChecksumLog log = ChecksumLog.open(dir)) {
                long size = log.tree().size();
                assertTrue(size >= lastCommitted, "cycle " + cycle + ": " + size + " records after a commit of "
                        + lastCommitted + " was reported");
                assertTrue(size >= seen, "the log never shrinks");
                seen = size;
            }
        }
        assertTrue(seen > 0, "nothing was ever appended");
    }

    /** Appends from four threads until killed, printing each committed size it sees. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            ChecksumLog log = ChecksumLog.open(Paths.get(args[0]));
            System.out.println("committed " + log.tree().size());
            System.out.flush();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                Thread th = new Thread(() -> {
                    try {
                        for (long i = 0; ; i++) {
                            String m = "example.com/c" + args[1] + "/t" + thread + "/m" + i;
                            log.append(List.of(m + " v1.0.0 h1:z=\n" + m + " v1.0.0/go.mod h1:m=\n"));
                            synchronized (System.out) {
                                System.out.println("committed " + log.tree().size());
                                System.out.flush();
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                });
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
        }
    }
}
