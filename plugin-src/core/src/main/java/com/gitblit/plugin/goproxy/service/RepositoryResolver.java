package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the repository that holds a module path, for one caller, the same way for every host:
 * <ol>
 *   <li>the path must lie inside the host's namespace ({@code git.example.com}, or everything when empty);</li>
 *   <li>below it, the repository whose root (its name without {@code .git}) is the longest path prefix of the
 *       rest, among those the host admits for this caller: a repository the caller may not read, or with Go
 *       off, does not exist for the caller, and a shorter prefix is tried instead;</li>
 *   <li>names match exactly (module paths are case-sensitive), and {@code x.git} wins over a non-bare {@code x}.</li>
 * </ol>
 * It works on an in-memory view of the host's repository names, refreshed when the host says something
 * changed ({@link #invalidate()}), when it is older than a few seconds, and, rate-limited, on a miss (so a
 * repository created a moment ago is found): a request costs map look-ups, not file-system probes per
 * path level, however deep or absent the path.
 */
public final class RepositoryResolver {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryResolver.class);
    /** Beyond this age the view is refreshed before it is used. */
    private static final long MAX_AGE_NANOS = 10_000_000_000L;
    /** A miss refreshes a view at least this old. */
    private static final long MISS_REFRESH_NANOS = 250_000_000L;

    private final RepositoryDirectory directory;
    private final Object refreshing = new Object();
    private volatile View view;

    /** The repository names at one moment, by root path. */
    private static final class View {
        final Map<String, String> nameByRoot;
        final NavigableSet<String> roots;
        final long takenAt;

        View(Map<String, String> nameByRoot, long takenAt) {
            this.nameByRoot = nameByRoot;
            this.roots = new TreeSet<>(nameByRoot.keySet());
            this.takenAt = takenAt;
        }
    }

    public RepositoryResolver(RepositoryDirectory directory) {
        this.directory = directory;
    }

    /**
     * The repositories as the proxy sees them now (the same view, as old as it lets it be), by root path in path
     * order: for pages that list what the proxy serves, without a walk of their own per view.
     */
    public java.util.SortedMap<String, String> namesByRoot() {
        return new java.util.TreeMap<>(current(false).nameByRoot);
    }

    /** The host's repositories changed (created, deleted, renamed): the next request reads them afresh. */
    public void invalidate() {
        view = null;
    }

    /**
     * The repository for {@code modulePath}, or {@code null} when there is none this caller may use.
     */
    public HostedRepository resolve(Caller caller, String namespace, String modulePath, RepositoryAdmission admission) {
        String relative = relativePath(namespace, modulePath);
        if (relative == null || relative.isEmpty()) {
            return null;
        }
        View v = current(false);
        HostedRepository found = longestAdmitted(v, caller, namespace, relative, admission);
        if (found == null && System.nanoTime() - v.takenAt > MISS_REFRESH_NANOS) {
            View fresh = current(true);
            if (fresh != v) {
                found = longestAdmitted(fresh, caller, namespace, relative, admission);
            }
        }
        return found;
    }

    /**
     * True when {@code modulePath} is a proper path prefix of the root of a repository this caller may use
     * (go-proxy-rules 19.8): such a path answers 404 rather than 401, whatever exists at it, so that the go
     * command, which also asks parent paths, reports the module's own error.
     */
    public boolean isParentOfAdmitted(Caller caller, String namespace, String modulePath, RepositoryAdmission admission) {
        String relative = relativePath(namespace, modulePath);
        if (relative == null) {
            return false;
        }
        View v = current(false);
        String from = relative.isEmpty() ? "" : relative + "/";
        String to = relative.isEmpty() ? "\uffff" : relative + "0"; // '0' follows '/'
        int checked = 0;
        for (String root : v.roots.subSet(from, true, to, false)) {
            if (admission.admit(caller, v.nameByRoot.get(root), join(namespace, root)) != null) {
                return true;
            }
            if (++checked >= 64) {
                break; // bounded work per request; a caller with rights this deep is found among the first
            }
        }
        return false;
    }

    private HostedRepository longestAdmitted(View v, Caller caller, String namespace, String relative,
            RepositoryAdmission admission) {
        String candidate = relative;
        while (!candidate.isEmpty()) {
            String name = v.nameByRoot.get(candidate);
            if (name != null) {
                HostedRepository repository = admission.admit(caller, name, join(namespace, candidate));
                if (repository != null) {
                    return repository;
                }
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
        }
        return null;
    }

    private View current(boolean forceRefresh) {
        View v = view;
        long now = System.nanoTime();
        if (v != null && !forceRefresh && now - v.takenAt < MAX_AGE_NANOS) {
            return v;
        }
        synchronized (refreshing) {
            View again = view;
            if (again != null && again != v && again.takenAt >= now) {
                return again; // another request refreshed it meanwhile
            }
            View fresh = load();
            view = fresh;
            return fresh;
        }
    }

    private View load() {
        long takenAt = System.nanoTime();
        Collection<String> names;
        try {
            names = directory.repositoryNames();
        } catch (IOException | RuntimeException e) {
            LOG.error("goproxy: cannot list the repositories: {}", e.toString());
            View old = view;
            return old != null ? old : new View(new HashMap<String, String>(), takenAt);
        }
        Map<String, String> byRoot = new HashMap<>(names.size() * 2);
        for (String name : names) {
            String root = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
            if (root.isEmpty()) {
                continue;
            }
            String existing = byRoot.get(root);
            if (existing == null || name.endsWith(".git") && !existing.endsWith(".git")) {
                byRoot.put(root, name);
            }
        }
        return new View(byRoot, takenAt);
    }

    private static String join(String namespace, String relative) {
        return namespace.isEmpty() ? relative : namespace + "/" + relative;
    }

    /**
     * The part of {@code modulePath} below the namespace; {@code null} outside it or when it is no clean path
     * (an empty, {@code .} or {@code ..} element could otherwise climb to another repository's prefix),
     * {@code ""} at it.
     */
    static String relativePath(String namespace, String modulePath) {
        String relative;
        if (namespace == null || namespace.isEmpty()) {
            relative = modulePath;
        } else if (modulePath.equals(namespace)) {
            return "";
        } else if (modulePath.startsWith(namespace + "/")) {
            relative = modulePath.substring(namespace.length() + 1);
        } else {
            return null;
        }
        for (String element : relative.split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                return null;
            }
        }
        return relative;
    }
}
