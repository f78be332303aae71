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
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
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
            commit = refs.branches.get(rev);
            if (commit == null && rev.equals("HEAD")) {
                commit = refs.head;
            }
            if (commit == null && rev.length() >= MIN_HASH_DIGITS && rev.length() <= 40 && isLowerHex(rev)) {
                commit = resolveHashPrefix(rev);
            }
            if (commit == null) {
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
        }
    }

    /** The commit HEAD names (cmd/go's Latest). */
    CommitInfo latest() throws IOException, SourceException {
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
                    } catch (IncorrectObjectTypeException | MissingObjectException e) {
                        continue;
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
    byte[] readFile(ObjectId commit, String path, long maxSize) throws IOException {
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
                ObjectLoader loader = repository.open(tw.getObjectId(0));
                if (loader.getSize() > maxSize) {
                    throw new IOException(path + " is larger than " + maxSize + " bytes");
                }
                return loader.getCachedBytes((int) maxSize);
            }
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

    ObjectId commitOf(String hex) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(ObjectId.fromString(hex)).copy();
        } catch (MissingObjectException | IncorrectObjectTypeException | IllegalArgumentException e) {
            return null;
        }
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
