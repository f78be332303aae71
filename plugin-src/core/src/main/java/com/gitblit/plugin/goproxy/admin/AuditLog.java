package com.gitblit.plugin.goproxy.admin;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;

/**
 * The administrators' acts on the proxy, one line each, in {@code audit.log} of the data folder (or, for nodes
 * sharing a PostgreSQL database, in that database: {@link #inDatabase}). Rules:
 * <ul>
 *   <li>append-only: the file is opened for appending, never truncated or rewritten; a line is forced to disk
 *       before the act is reported done;</li>
 *   <li>one act, one line: {@code <UTC time>\t<who>\t<action>\t<target>\t<outcome>}; a tab, line break or other
 *       control character inside a field (a module path cannot hold one, a user name might) is written as a
 *       space, so that nobody can forge a second line;</li>
 *   <li>written after the act, with its outcome (done, or refused and why), so the log says what happened,
 *       not what was attempted.</li>
 * </ul>
 */
public final class AuditLog {
    static final String FILE = "audit.log";
    /** How much of the file's end {@link #recent} reads: far more than the lines a page shows. */
    private static final int TAIL_BYTES = 64 * 1024;

    private final Path file;
    private final Clock clock;
    /** Where the lines go when they do not go to {@link #file}: the shared database of several nodes. */
    private final Store store;

    /** Lines kept elsewhere than in the data folder, in the order they were appended. */
    interface Store {
        void append(String[] fields) throws IOException;

        /** The last {@code max} lines, newest first. */
        List<Line> recent(int max) throws IOException;
    }

    /** One line read back. */
    public static final class Line {
        private final String time;
        private final String who;
        private final String action;
        private final String target;
        private final String outcome;

        Line(String[] fields) {
            this.time = fields[0];
            this.who = fields[1];
            this.action = fields[2];
            this.target = fields[3];
            this.outcome = fields[4];
        }

        public String time() {
            return time;
        }

        public String who() {
            return who;
        }

        public String action() {
            return action;
        }

        public String target() {
            return target;
        }

        public String outcome() {
            return outcome;
        }
    }

    public AuditLog(Path dataFolder) {
        this(dataFolder, Clock.systemUTC());
    }

    AuditLog(Path dataFolder, Clock clock) {
        this.file = dataFolder.resolve(FILE);
        this.clock = clock;
        this.store = null;
    }

    AuditLog(Store store, Clock clock) {
        this.file = null;
        this.clock = clock;
        this.store = store;
    }

    /**
     * The audit log of several nodes in their shared database: the same lines, in the order they were appended
     * on whichever node.
     */
    public static AuditLog inDatabase(PostgresDatabase database) {
        return new AuditLog(new PostgresAuditStore(database), Clock.systemUTC());
    }

    /**
     * The audit log a node writes: in the database the nodes share when there is one (so every node's acts are in
     * one place, in order), else {@code <dataFolder>/audit.log}.
     */
    public static AuditLog of(Path dataFolder, PostgresDatabase shared) {
        return shared != null ? inDatabase(shared) : new AuditLog(dataFolder);
    }

    /**
     * Copies the lines of {@code <dataFolder>/audit.log} into the shared database, in their order, for {@code ledger
     * migrate}. Re-runnable: a line the database already holds (as many times as the file does) is not copied again.
     * Returns the number of lines copied.
     */
    public static int copyInto(Path dataFolder, PostgresDatabase shared) throws IOException {
        Path file = dataFolder.resolve(FILE);
        if (!Files.exists(file)) {
            return 0;
        }
        List<String[]> lines = new ArrayList<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split("\t", -1);
            if (fields.length == 5) {
                lines.add(fields);
            }
        }
        return PostgresAuditStore.copy(lines, shared);
    }

    /** The file, or null when the lines are kept in the shared database. */
    public Path file() {
        return file;
    }

    /** Appends one line and forces it to disk (or commits it to the shared database). */
    public synchronized void append(String who, String action, String target, String outcome) throws IOException {
        String time = DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
        if (store != null) {
            store.append(new String[] {time, field(who), field(action), field(target), field(outcome)});
            return;
        }
        String line = time + '\t' + field(who) + '\t'
                + field(action) + '\t' + field(target) + '\t' + field(outcome) + '\n';
        Files.createDirectories(file.getParent());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
    }

    /** The last {@code max} lines, newest first; lines that are not five fields (damaged by hand) are skipped. */
    public synchronized List<Line> recent(int max) throws IOException {
        if (store != null) {
            return store.recent(max);
        }
        if (!Files.exists(file)) {
            return Collections.emptyList();
        }
        byte[] tail;
        boolean cut;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - TAIL_BYTES);
            cut = from > 0;
            tail = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(tail);
        }
        String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
        List<Line> out = new ArrayList<>();
        for (int i = lines.length - 1; i >= (cut ? 1 : 0) && out.size() < max; i--) {
            String[] fields = lines[i].split("\t", -1);
            if (fields.length == 5) {
                out.add(new Line(fields));
            }
        }
        return out;
    }

    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return b.toString();
    }
}
