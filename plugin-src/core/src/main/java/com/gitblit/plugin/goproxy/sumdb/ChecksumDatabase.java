package com.gitblit.plugin.goproxy.sumdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;

/**
 * A verifying client of one checksum database: a lookup's go.sum lines are returned only once the signed tree
 * they come with verifies, the record is proven in it, and that tree is proven consistent with every tree this
 * client saw before (a database that showed two histories is refused for good: that is what the log is for).
 */
public final class ChecksumDatabase {
    /** The tile height sum.golang.org and cmd/go use. */
    public static final int TILE_HEIGHT = 8;

    /** Reads one path below the database's URL ({@code lookup/...}, {@code tile/...}); null when it answers 404. */
    public interface Reader {
        byte[] read(String path) throws IOException, SumdbException;
    }

    /**
     * Where the newest proven tree's signed note outlives a restart, so that a database showing another history
     * later is still caught (cmd/go keeps it in its cache for the same reason).
     */
    public interface TreeMemory {
        /** The saved signed note, or null. */
        byte[] load() throws IOException;

        void save(byte[] signedNote) throws IOException;
    }

    private static final TreeMemory FORGETFUL = new TreeMemory() {
        @Override
        public byte[] load() {
            return null;
        }

        @Override
        public void save(byte[] signedNote) {
        }
    };

    private final NoteVerifier key;
    private final Reader reader;
    private final TreeMemory memory;
    private TreeHead known;

    public ChecksumDatabase(NoteVerifier key, Reader reader) {
        this.key = key;
        this.reader = reader;
        this.memory = FORGETFUL;
    }

    /**
     * A client that starts from the tree {@code memory} holds (verified again with the key) and saves every newer
     * one it proves.
     *
     * @throws SumdbException when the saved note does not verify with the key
     */
    public ChecksumDatabase(NoteVerifier key, Reader reader, TreeMemory memory) throws IOException, SumdbException {
        this.key = key;
        this.reader = reader;
        this.memory = memory;
        byte[] saved = memory.load();
        if (saved != null) {
            known = TreeHead.parse(SignedNote.open(saved, key));
        }
    }

    public String name() {
        return key.name();
    }

    /**
     * The proven go.sum lines of {@code module@version} ({@code "m v h1:...\nm v/go.mod h1:...\n"}), or
     * {@code null} when the database has no such record.
     */
    public String lookup(String module, String version) throws IOException, SumdbException {
        String path;
        try {
            path = "lookup/" + ModuleEscaping.escapePath(module) + "@" + ModuleEscaping.escapeVersion(version);
        } catch (ModuleRuleException e) {
            throw new SumdbException(e.getMessage());
        }
        byte[] answer = reader.read(path);
        if (answer == null) {
            return null;
        }
        String all = new String(answer, StandardCharsets.UTF_8);
        int nl = all.indexOf('\n');
        int blank = nl < 0 ? -1 : all.indexOf("\n\n", nl + 1);
        if (nl < 0 || blank < 0) {
            throw new SumdbException(name() + ": malformed lookup answer for " + module + "@" + version);
        }
        long id;
        try {
            id = Long.parseLong(all.substring(0, nl));
        } catch (NumberFormatException e) {
            throw new SumdbException(name() + ": malformed record id for " + module + "@" + version);
        }
        String text = all.substring(nl + 1, blank + 1);
        byte[] note = all.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
        TreeHead tree = TreeHead.parse(SignedNote.open(note, key));
        if (id < 0 || id >= tree.size()) {
            throw new SumdbException(name() + ": record " + id + " is outside its signed tree of " + tree.size());
        }
        TileHashes tiles = tiles(tree.size());
        byte[] root = Tlog.rootWithRecord(tree.size(), id, Tlog.recordHash(text.getBytes(StandardCharsets.UTF_8)), tiles);
        if (!tree.sameRoot(root)) {
            throw new SumdbException(name() + ": the record of " + module + "@" + version
                    + " is not in the signed tree");
        }
        accept(tree, tiles, note);
        return text;
    }

    /** The go.sum line's hash for {@code module version[/go.mod]} in a lookup's text, or null. */
    public static String hashIn(String records, String module, String version) {
        String prefix = module + " " + version + " ";
        for (String line : records.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** The newest tree proven so far, or null. */
    public synchronized TreeHead latestKnown() {
        return known;
    }

    private synchronized void accept(TreeHead tree, TileHashes treeTiles, byte[] note)
            throws IOException, SumdbException {
        if (known == null) {
            known = tree;
            memory.save(note);
            return;
        }
        if (tree.size() == known.size()) {
            if (!tree.sameRoot(known.root())) {
                throw fork(tree);
            }
            return;
        }
        TreeHead older = tree.size() < known.size() ? tree : known;
        TreeHead newer = tree.size() < known.size() ? known : tree;
        TileHashes tiles = newer == tree ? treeTiles : tiles(newer.size());
        byte[][] roots = Tlog.consistentRoots(newer.size(), older.size(), tiles);
        if (!newer.sameRoot(roots[0]) || !older.sameRoot(roots[1])) {
            throw fork(tree);
        }
        if (newer == tree) {
            known = tree;
            memory.save(note);
        }
    }

    private SumdbException fork(TreeHead tree) {
        return new SumdbException(name() + ": the signed " + tree + " is inconsistent with the earlier " + known
                + ": the database shows two histories");
    }

    private TileHashes tiles(long size) {
        return new TileHashes(TILE_HEIGHT, size, path -> {
            byte[] data = reader.read(path);
            if (data == null) {
                throw new SumdbException(name() + ": tile " + path + " not found");
            }
            return data;
        });
    }

    @Override
    public String toString() {
        return key.toString();
    }

}
