package com.gitblit.plugin.goproxy.source;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The refs of a repository at one ref state, as cmd/go sees them through {@code git ls-remote}: tags and
 * branches peeled to commits, HEAD, and for each commit the tags on it. Built once per ref state (see
 * {@link #fingerprint}); also holds what was derived from that state (version lists per module path), which is
 * therefore thrown away with it when any ref moves.
 */
final class RefIndex {
    final byte[] fingerprint;
    /** Tag name (without refs/tags/) to the commit it points at, peeled; tags of non-commits are left out. */
    final Map<String, ObjectId> tags;
    final Map<String, ObjectId> branches;
    final ObjectId head;
    final Map<ObjectId, List<String>> tagsByCommit;
    /** Answers derived from this ref state, keyed by what was asked. */
    final Map<String, Object> derived;
    /** A stat-only stamp of the ref state this index was checked against, or null (never trusted). */
    final RefStateStamp stamp;
    final java.util.Set<String> refDirectories;

    private RefIndex(byte[] fingerprint, Map<String, ObjectId> tags, Map<String, ObjectId> branches, ObjectId head) {
        this(fingerprint, tags, branches, head, null, null, new ConcurrentHashMap<String, Object>());
    }

    private RefIndex(byte[] fingerprint, Map<String, ObjectId> tags, Map<String, ObjectId> branches, ObjectId head,
            RefStateStamp stamp, java.util.Set<String> refDirectories, Map<String, Object> derived) {
        this.fingerprint = fingerprint;
        this.tags = tags;
        this.branches = branches;
        this.head = head;
        this.stamp = stamp;
        this.refDirectories = refDirectories;
        this.derived = derived;
        Map<ObjectId, List<String>> byCommit = new HashMap<>();
        for (Map.Entry<String, ObjectId> e : tags.entrySet()) {
            byCommit.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
        }
        for (List<String> names : byCommit.values()) {
            Collections.sort(names);
        }
        this.tagsByCommit = byCommit;
    }

    /** The same refs and derived answers, checked against a new stamp. */
    RefIndex withStamp(RefStateStamp newStamp, java.util.Set<String> dirs) {
        return new RefIndex(fingerprint, tags, branches, head, newStamp, dirs, derived);
    }

    /**
     * A digest of every ref's name and target. Cheap next to what it guards (JGit caches packed-refs and
     * re-reads only what changed on disk), and exact: a push, a fetch, gc or pack-refs by any process shows.
     */
    static byte[] fingerprint(Map<String, Ref> refs) {
        MessageDigest md = sha1();
        for (Map.Entry<String, Ref> e : new TreeMap<>(refs).entrySet()) {
            md.update(Constants.encode(e.getKey()));
            ObjectId id = e.getValue().getObjectId();
            if (id != null) {
                byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
                id.copyRawTo(raw, 0);
                md.update(raw);
            }
            if (e.getValue().isSymbolic()) {
                md.update(Constants.encode("->" + e.getValue().getTarget().getName()));
            }
            md.update((byte) 0);
        }
        return md.digest();
    }

    static Map<String, Ref> refs(Repository repository) throws IOException {
        return repository.getRefDatabase().getRefs(RefDatabase.ALL);
    }

    static RefIndex build(Repository repository, Map<String, Ref> refs, byte[] fingerprint) throws IOException {
        Map<String, ObjectId> tags = new HashMap<>();
        Map<String, ObjectId> branches = new HashMap<>();
        ObjectId head = null;
        try (RevWalk walk = new RevWalk(repository)) {
            for (Map.Entry<String, Ref> e : refs.entrySet()) {
                String name = e.getKey();
                ObjectId id = e.getValue().getObjectId();
                if (id == null) {
                    continue;
                }
                if (name.startsWith(Constants.R_TAGS)) {
                    ObjectId commit = peelToCommit(walk, id);
                    if (commit != null) {
                        tags.put(name.substring(Constants.R_TAGS.length()), commit);
                    }
                } else if (name.startsWith(Constants.R_HEADS)) {
                    ObjectId commit = peelToCommit(walk, id);
                    if (commit != null) {
                        branches.put(name.substring(Constants.R_HEADS.length()), commit);
                    }
                } else if (name.equals(Constants.HEAD)) {
                    head = peelToCommit(walk, id);
                }
            }
        }
        return new RefIndex(fingerprint, tags, branches, head);
    }

    private static ObjectId peelToCommit(RevWalk walk, ObjectId id) throws IOException {
        try {
            RevObject o = walk.parseAny(id);
            while (o instanceof RevTag) {
                o = walk.parseAny(((RevTag) o).getObject());
            }
            return o instanceof RevCommit ? o.copy() : null;
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            return null;
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
