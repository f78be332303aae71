package com.gitblit.plugin.goproxy.source;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import com.gitblit.plugin.goproxy.module.SemVer;

/**
 * What cmd/go's git code host does with a clone, done on the bare repository itself: resolve a revision
 * (tag, then branch, then HEAD, then a hash prefix of at least 7 digits), read one file at a commit
 * ({@code git cat-file blob}: any blob, a symlink's target text included; anything else does not exist), list
 * tags, find the highest allowed tag reachable from a commit, and test ancestry.
 */
final class GitCode {
    private static final int MIN_HASH_DIGITS = 7;

    private final Repository repository;
    private final RefIndex refs;

    GitCode(Repository repository, RefIndex refs) {
        this.repository = repository;
        this.refs = refs;
    }

    RefIndex refs() {
        return refs;
    }

    /** Resolves {@code rev} as cmd/go's git Stat; throws "unknown revision" as cmd/go words it. */
    CommitInfo stat(String rev) throws IOException, SourceException {
        ObjectId commit = refs.tags.get(rev);
        String version = rev;
        if (commit == null) {
            requireReadable(Constants.R_TAGS + rev);
            String unusable = refs.unusableTags.get(rev);
            if (unusable != null) {
                throw new SourceException("tag " + rev + " is no version: " + unusable);
            }
            commit = refs.branches.get(rev);
            if (commit == null) {
                requireReadable(Constants.R_HEADS + rev);
            }
            if (commit == null && rev.equals("HEAD")) {
                requireReadable(Constants.HEAD);
                commit = refs.head;
            }
            boolean hash = rev.length() >= MIN_HASH_DIGITS && rev.length() <= 40 && isLowerHex(rev);
            if (commit == null && hash) {
                commit = resolveHashPrefix(rev);
            }
            if (commit == null) {
                if (hash && !refs.faults.isEmpty()) {
                    // The commit may be one that only the unreadable refs lead to: "unknown" would be a guess.
                    throw refs.faults.values().iterator().next();
                }
                throw new SourceException("unknown revision " + rev);
            }
            version = commit.name();
        }
        return info(commit, version);
    }

    CommitInfo info(ObjectId commit, String version) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit c = walk.parseCommit(commit);
            List<String> tags = refs.tagsByCommit.get(c);
            return new CommitInfo(c.copy(), Instant.ofEpochSecond(c.getCommitTime()), version,
                    tags == null ? Collections.<String>emptyList() : tags);
        } catch (IOException e) {
            throw RepositoryFaultException.of(e, "commit " + commit.name());
        }
    }

    /** Fails with the fault when {@code refName} is a ref whose objects cannot be read. */
    void requireReadable(String refName) throws RepositoryFaultException {
        RepositoryFaultException fault = refs.faults.get(refName);
        if (fault != null) {
            throw fault;
        }
    }

    /** The commit HEAD names (cmd/go's Latest). */
    CommitInfo latest() throws IOException, SourceException {
        requireReadable(Constants.HEAD);
        if (refs.head == null) {
            throw new SourceException("no commits");
        }
        return info(refs.head, refs.head.name());
    }

    private ObjectId resolveHashPrefix(String prefix) throws IOException, SourceException {
        ObjectId found = null;
        for (Collection<ObjectId> ids : java.util.Arrays.asList(refs.tags.values(), refs.branches.values())) {
            for (ObjectId id : ids) {
                if (id.name().startsWith(prefix)) {
                    if (found != null && !found.equals(id)) {
                        throw new SourceException("ambiguous revision " + prefix);
                    }
                    found = id;
                }
            }
        }
        if (found != null) {
            return found;
        }
        try (ObjectReader reader = repository.newObjectReader()) {
            Collection<ObjectId> candidates = reader.resolve(AbbreviatedObjectId.fromString(prefix));
            ObjectId commit = null;
            try (RevWalk walk = new RevWalk(reader)) {
                for (ObjectId id : candidates) {
                    try {
                        walk.parseCommit(id);
                    } catch (IncorrectObjectTypeException e) {
                        continue;
                    } catch (IOException e) {
                        // The object store lists it but cannot read it.
                        throw RepositoryFaultException.of(e, "revision " + prefix);
                    }
                    if (commit != null) {
                        throw new SourceException("ambiguous revision " + prefix);
                    }
                    commit = id;
                }
            }
            return commit;
        } catch (AmbiguousObjectException e) {
            throw new SourceException("ambiguous revision " + prefix);
        }
    }

    /** The blob at {@code path} in the commit's tree, or {@code null} where git cat-file blob would fail. */
    byte[] readFile(ObjectId commit, String path, long maxSize) throws IOException, SourceException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit c = walk.parseCommit(commit);
            try (TreeWalk tw = TreeWalk.forPath(repository, path, c.getTree())) {
                if (tw == null) {
                    return null;
                }
                int mode = tw.getRawMode(0);
                if ((mode & FileMode.TYPE_MASK) != FileMode.TYPE_FILE && (mode & FileMode.TYPE_MASK) != FileMode.TYPE_SYMLINK) {
                    return null;
                }
                try (ObjectReader reader = repository.newObjectReader()) {
                    // The size from the object's header: a loose object is not inflated whole to learn it.
                    long size = reader.getObjectSize(tw.getObjectId(0), ObjectReader.OBJ_ANY);
                    if (size > maxSize) {
                        throw new FileTooLargeException(path + " at revision " + commit.name() + " is larger than "
                                + maxSize + " bytes (" + size + ")");
                    }
                    return reader.open(tw.getObjectId(0)).getCachedBytes((int) maxSize);
                }
            }
        } catch (IncorrectObjectTypeException e) {
            // A tree entry whose object has another type: content git refuses too, not damaged storage.
            throw new SourceException("the tree at revision " + commit.name() + " is malformed: " + e.getMessage());
        } catch (IOException e) {
            throw RepositoryFaultException.of(e, path + " at revision " + commit.name());
        }
    }

    /** Tag names starting with {@code prefix}, sorted. */
    List<String> tags(String prefix) {
        List<String> out = new ArrayList<>();
        for (String t : refs.tags.keySet()) {
            if (t.startsWith(prefix)) {
                out.add(t);
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * cmd/go's RecentTag: among tags with {@code prefix} that {@code allowed} accepts and that are reachable
     * from {@code commit} (the commit itself included), the one with the highest version.
     */
    String recentTag(ObjectId commit, String prefix, Predicate<String> allowed) throws IOException {
        List<String> candidates = new ArrayList<>();
        for (String t : tags(prefix)) {
            if (allowed.test(t)) {
                candidates.add(t);
            }
        }
        // Highest version first: the first one reachable is the answer, usually found at once.
        Collections.sort(candidates, (a, b) -> {
            int c = SemVer.compare(b.substring(prefix.length()), a.substring(prefix.length()));
            return c != 0 ? c : b.compareTo(a);
        });
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit tip = walk.parseCommit(commit);
            for (String t : candidates) {
                walk.reset();
                RevCommit tagged = walk.parseCommit(refs.tags.get(t));
                if (walk.isMergedInto(tagged, tip)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** True when the tag's commit is {@code commit} or one of its ancestors. */
    boolean descendsFrom(ObjectId commit, String tag) throws IOException {
        ObjectId tagged = refs.tags.get(tag);
        if (tagged == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.isMergedInto(walk.parseCommit(tagged), walk.parseCommit(commit));
        }
    }

    /**
     * The commit {@code hex} names, or null when the repository does not have it: a pinned version whose commit
     * left with a history rewrite and gc. A commit that is absent although the live refs still reach it is
     * damage, not absence, and so is any doubt (refs that cannot be read, a history walk that breaks off).
     */
    ObjectId commitOf(String hex) throws IOException {
        ObjectId id;
        try {
            id = ObjectId.fromString(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id).copy();
        } catch (IncorrectObjectTypeException e) {
            return null;
        } catch (MissingObjectException e) {
            requireAbsentFromHistory(id);
            return null;
        } catch (IOException e) {
            throw RepositoryFaultException.of(e, "commit " + hex);
        }
    }

    /**
     * Walks the whole history of every branch and tag (rare: only for a pinned commit that is gone) and fails
     * with a fault if the walk needs an object it cannot read, which includes {@code id} itself. The verdict holds
     * for this ref state.
     */
    private void requireAbsentFromHistory(ObjectId id) throws IOException {
        if (!refs.faults.isEmpty()) {
            throw refs.faults.values().iterator().next();
        }
        String key = "absent\u0000" + id.name();
        if (refs.derived.containsKey(key)) {
            return;
        }
        try (RevWalk walk = new RevWalk(repository)) {
            walk.setRetainBody(false);
            List<ObjectId> tips = new ArrayList<>(refs.tags.values());
            tips.addAll(refs.branches.values());
            if (refs.head != null) {
                tips.add(refs.head);
            }
            for (ObjectId tip : tips) {
                walk.markStart(walk.parseCommit(tip));
            }
            while (walk.next() != null) {
                // Parsing each parent is the check: a missing one throws.
            }
        } catch (IOException e) {
            throw RepositoryFaultException.of(e, "history of the live branches and tags, looking for commit "
                    + id.name());
        }
        refs.derived.put(key, Boolean.TRUE);
    }

    Repository repository() {
        return repository;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
