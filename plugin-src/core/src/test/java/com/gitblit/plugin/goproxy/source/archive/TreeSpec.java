package com.gitblit.plugin.goproxy.source.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * A commit tree described as raw paths with modes and contents, written with an {@link ObjectInserter} so
 * that any name (invalid UTF-8, names git itself would refuse) and any mode can be tested. Trees are sorted
 * in git's order (a tree's name compares as if it ended with '/').
 */
final class TreeSpec {
    static final int FILE = 0100644;
    static final int EXEC = 0100755;
    static final int LINK = 0120000;
    static final int GITLINK = 0160000;

    private record Leaf(int mode, byte[] content, ObjectId id) {
    }

    private final Map<String, Leaf> leaves = new LinkedHashMap<>();
    private final List<String> emptyTrees = new ArrayList<>();

    static String key(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    TreeSpec file(String path, String content) {
        return put(path.getBytes(StandardCharsets.UTF_8), FILE, content.getBytes(StandardCharsets.UTF_8));
    }

    TreeSpec file(String path, byte[] content) {
        return put(path.getBytes(StandardCharsets.UTF_8), FILE, content);
    }

    TreeSpec put(byte[] path, int mode, byte[] content) {
        leaves.put(key(path), new Leaf(mode, content, null));
        return this;
    }

    /** An entry pointing at an existing object id (gitlinks, or blobs inserted elsewhere). */
    TreeSpec putId(byte[] path, int mode, ObjectId id) {
        leaves.put(key(path), new Leaf(mode, null, id));
        return this;
    }

    TreeSpec symlink(String path, String target) {
        return put(path.getBytes(StandardCharsets.UTF_8), LINK, target.getBytes(StandardCharsets.UTF_8));
    }

    TreeSpec gitlink(String path, String hex) {
        return putId(path.getBytes(StandardCharsets.UTF_8), GITLINK, ObjectId.fromString(hex));
    }

    TreeSpec emptyTree(String path) {
        emptyTrees.add(path);
        return this;
    }

    /** Writes blobs and trees; returns the root tree id. */
    ObjectId write(ObjectInserter ins) throws IOException {
        Node root = new Node();
        for (Map.Entry<String, Leaf> e : leaves.entrySet()) {
            byte[] path = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            Leaf leaf = e.getValue();
            ObjectId id = leaf.id != null ? leaf.id : ins.insert(Constants.OBJ_BLOB, leaf.content);
            root.add(path, 0, leaf.mode, id);
        }
        for (String p : emptyTrees) {
            root.addTree(p.getBytes(StandardCharsets.UTF_8), 0);
        }
        return root.write(ins);
    }

    private static final class Node {
        final Map<String, Object> children = new LinkedHashMap<>(); // name → Node or long[]{mode} + id

        void add(byte[] path, int from, int mode, ObjectId id) {
            int slash = indexOf(path, from);
            if (slash < 0) {
                children.put(key(Arrays.copyOfRange(path, from, path.length)), new Object[] {mode, id});
                return;
            }
            String name = key(Arrays.copyOfRange(path, from, slash));
            Node child = (Node) children.computeIfAbsent(name, k -> new Node());
            child.add(path, slash + 1, mode, id);
        }

        void addTree(byte[] path, int from) {
            int slash = indexOf(path, from);
            String name = key(Arrays.copyOfRange(path, from, slash < 0 ? path.length : slash));
            Node child = (Node) children.computeIfAbsent(name, k -> new Node());
            if (slash >= 0) {
                child.addTree(path, slash + 1);
            }
        }

        ObjectId write(ObjectInserter ins) throws IOException {
            List<Map.Entry<String, Object>> sorted = new ArrayList<>(children.entrySet());
            sorted.sort((a, b) -> compare(sortKey(a), sortKey(b)));
            TreeFormatter f = new TreeFormatter();
            for (Map.Entry<String, Object> e : sorted) {
                byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                if (e.getValue() instanceof Node n) {
                    f.append(name, FileMode.TREE, n.write(ins));
                } else {
                    Object[] leaf = (Object[]) e.getValue();
                    f.append(name, FileMode.fromBits((Integer) leaf[0]), (ObjectId) leaf[1]);
                }
            }
            return ins.insert(f);
        }

        private static byte[] sortKey(Map.Entry<String, Object> e) {
            String k = e.getKey();
            if (e.getValue() instanceof Node) {
                k = k + "/";
            }
            return k.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static int compare(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }

        private static int indexOf(byte[] p, int from) {
            for (int i = from; i < p.length; i++) {
                if (p[i] == '/') {
                    return i;
                }
            }
            return -1;
        }
    }
}
