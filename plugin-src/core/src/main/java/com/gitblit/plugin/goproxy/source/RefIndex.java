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
    /**
     * Refs (full names, and HEAD) whose objects cannot be read: the repository is damaged there. They are in no
     * other map; answers that need them fail with the fault, answers that do not need them are unaffected.
     */
    final Map<String, RepositoryFaultException> faults;
    /** Tags that name no commit (a tree, a blob, a symbolic ref leading nowhere), with the reason: no versions. */
    final Map<String, String> unusableTags;
    /** Answers derived from this ref state, keyed by what was asked. */
    final Map<String, Object> derived;
    /** A stat-only stamp of the ref state this index was checked against, or null (never trusted). */
    final RefStateStamp stamp;
    final java.util.Set<String> refDirectories;

    private RefIndex(byte[] fingerprint, Map<String, ObjectId> tags, Map<String, ObjectId> branches, ObjectId head,
            Map<String, RepositoryFaultException> faults, Map<String, String> unusableTags) {
        this(fingerprint, tags, branches, head, faults, unusableTags, null, null,
                new ConcurrentHashMap<String, Object>());
    }

    private RefIndex(byte[] fingerprint, Map<String, ObjectId> tags, Map<String, ObjectId> branches, ObjectId head,
            Map<String, RepositoryFaultException> faults, Map<String, String> unusableTags, RefStateStamp stamp,
            java.util.Set<String> refDirectories, Map<String, Object> derived) {
        this.fingerprint = fingerprint;
        this.tags = tags;
        this.branches = branches;
        this.head = head;
        this.faults = faults;
        this.unusableTags = unusableTags;
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
        return new RefIndex(fingerprint, tags, branches, head, faults, unusableTags, newStamp, dirs, derived);
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

    /** Every ref; refs that cannot be read or parsed (JGit throws unchecked exceptions for some) are a fault. */
    static Map<String, Ref> refs(Repository repository) throws IOException {
        try {
            return repository.getRefDatabase().getRefs(RefDatabase.ALL);
        } catch (IOException e) {
            throw RepositoryFaultException.of(e, "the refs");
        } catch (RuntimeException e) {
            throw RepositoryFaultException.of(new IOException(e.getMessage(), e), "the refs");
        }
    }

    static RefIndex build(Repository repository, Map<String, Ref> refs, byte[] fingerprint) throws IOException {
        Map<String, ObjectId> tags = new HashMap<>();
        Map<String, ObjectId> branches = new HashMap<>();
        Map<String, RepositoryFaultException> faults = new HashMap<>();
        Map<String, String> unusableTags = new HashMap<>();
        ObjectId head = null;
        try (RevWalk walk = new RevWalk(repository)) {
            for (Map.Entry<String, Ref> e : refs.entrySet()) {
                String name = e.getKey();
                boolean tag = name.startsWith(Constants.R_TAGS);
                if (!tag && !name.startsWith(Constants.R_HEADS) && !name.equals(Constants.HEAD)) {
                    continue;
                }
                ObjectId id = e.getValue().getObjectId();
                if (id == null) {
                    // A symbolic ref leading nowhere (or in a cycle): git for-each-ref skips it too.
                    if (tag) {
                        unusableTags.put(name.substring(Constants.R_TAGS.length()),
                                "the tag is a symbolic reference that leads to no object");
                    }
                    continue;
                }
                String[] why = new String[1];
                ObjectId commit;
                try {
                    commit = peelToCommit(walk, id, why);
                } catch (IOException failure) {
                    faults.put(name, RepositoryFaultException.of(failure, name));
                    continue;
                }
                if (tag) {
                    if (commit != null) {
                        tags.put(name.substring(Constants.R_TAGS.length()), commit);
                    } else {
                        unusableTags.put(name.substring(Constants.R_TAGS.length()), why[0]);
                    }
                } else if (commit != null && name.equals(Constants.HEAD)) {
                    head = commit;
                } else if (commit != null) {
                    branches.put(name.substring(Constants.R_HEADS.length()), commit);
                }
            }
        }
        return new RefIndex(fingerprint, tags, branches, head, faults, unusableTags);
    }

    /**
     * True when every ref that could not be read still cannot: a repaired repository (a pack put back, objects
     * fetched again) changes no ref, so the ref-state check alone would keep the faults for ever.
     */
    boolean faultsPersist(Repository repository) {
        if (faults.isEmpty()) {
            return true;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            for (String name : faults.keySet()) {
                Ref ref = repository.getRefDatabase().exactRef(name);
                if (ref == null || ref.getObjectId() == null) {
                    return false;
                }
                try {
                    peelToCommit(walk, ref.getObjectId(), new String[1]);
                    return false;
                } catch (IOException stillBroken) {
                    walk.reset();
                }
            }
        } catch (IOException e) {
            return true;
        }
        return true;
    }

    /** The commit {@code id} leads to through annotated tags, or null with the reason when it leads elsewhere. */
    private static ObjectId peelToCommit(RevWalk walk, ObjectId id, String[] why) throws IOException {
        RevObject o = walk.parseAny(id);
        while (o instanceof RevTag) {
            o = walk.parseAny(((RevTag) o).getObject());
        }
        if (o instanceof RevCommit) {
            return o.copy();
        }
        why[0] = "the tag points to a " + Constants.typeString(o.getType()) + ", not to a commit";
        return null;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
