package com.gitblit.plugin.goproxy.cache;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.gitblit.plugin.goproxy.sumdb.StoredHashes;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;
import com.gitblit.plugin.goproxy.sumdb.TreeHead;

/**
 * The log under the forge's checksum database: go.sum records in the order they were appended, their stored
 * hashes (x/mod's tlog layout, {@link StoredHashes}) and the committed tree. Append-only: a record, its id, its
 * time and every stored hash of a committed tree never change, and a module version is logged at most once.
 * {@link FileChecksumLog} keeps one node's log in files; the PostgreSQL one is shared by every node.
 */
public interface ChecksumLog extends Closeable {
    /** The file log in {@code dir} (see {@link FileChecksumLog#open}). */
    static ChecksumLog open(Path dir) throws IOException, SumdbException {
        return FileChecksumLog.open(dir);
    }

    /** The committed tree: its size and root. */
    TreeHead tree() throws IOException;

    /** The id of the record for {@code modulePath@version} (written, committed or not), or -1. */
    long find(String modulePath, String version) throws IOException;

    /**
     * Writes records (each the go.sum lines of one module version, ending in a newline); a record whose module
     * version is already logged keeps its id and is not written again. Returns the ids, in order. They enter the
     * tree at the next {@link #commit} at the latest.
     */
    long[] add(List<String> texts) throws IOException;

    /** {@link #add} of one record, saying whether this call wrote it (false: it was logged already). */
    Added add(String text) throws IOException;

    /** {@link #add}, then {@link #commit}. */
    long[] append(List<String> texts) throws IOException;

    /** Makes every record written so far part of the committed tree; cheap when there is none. */
    void commit() throws IOException;

    /** Records written, committed or not. */
    long size() throws IOException;

    /** Records {@code [from, from + count)} with their times; {@code from + count} must not pass {@link #size}. */
    List<Entry> entries(long from, int count) throws IOException;

    /** The stored hashes {@code [from, from + count)}, 32 bytes each, of the committed tree. */
    byte[] hashes(long from, int count) throws IOException;

    /** The text of record {@code id}. */
    String record(long id) throws IOException;

    /** The first committed record appended at or after {@code micros} (times only grow along the log). */
    long firstAtOrAfter(long micros) throws IOException;

    /** One record with its id and the time it was appended (microseconds since the epoch, unique, increasing). */
    final class Entry {
        public final long id;
        public final String text;
        public final long micros;

        public Entry(long id, String text, long micros) {
            this.id = id;
            this.text = text;
            this.micros = micros;
        }
    }

    /** A record's id, and whether the call that returned it appended it. */
    final class Added {
        public final long id;
        public final boolean appended;

        public Added(long id, boolean appended) {
            this.id = id;
            this.appended = appended;
        }
    }

    /** "path version" of a record's first line ({@code path version h1:...}). */
    static String key(String text) {
        int sp1 = text.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
        if (sp2 < 0) {
            throw new IllegalArgumentException("not a go.sum record: " + text);
        }
        return text.substring(0, sp2);
    }
}
