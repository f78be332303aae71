package com.gitblit.plugin.goproxy.standalone;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.servlet.http.HttpServletRequest;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.util.FS;

import com.gitblit.plugin.goproxy.proxy.Caller;
import com.gitblit.plugin.goproxy.proxy.HostedRepository;
import com.gitblit.plugin.goproxy.proxy.ModuleHost;

/**
 * The standalone {@link ModuleHost}: module path = {@code [prefix/]<repository path below the folder, without
 * .git>}, plus subdirectory and major-version parts. A module path is served from the longest repository path
 * that prefixes it, found by probing the folder ({@code <candidate>.git}, then {@code <candidate>}) from the
 * longest candidate down; there is no scan per request. Nothing outside the folder is reachable: module paths
 * hold no {@code ..} (Go's path rules), and a candidate whose real path leaves the folder is ignored.
 */
final class FolderModuleHost implements ModuleHost {
    private final Path folder;
    private final String prefix;
    private final AccessPolicy access;

    FolderModuleHost(Path folder, String prefix, AccessPolicy access) throws IOException {
        this.folder = folder.toRealPath();
        this.prefix = trimSlashes(prefix);
        this.access = access;
    }

    @Override
    public String moduleNamespace(HttpServletRequest request) {
        return prefix;
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        return access.authenticate(request);
    }

    @Override
    public HostedRepository find(Caller caller, String modulePath, HttpServletRequest request) {
        String rest;
        if (prefix.isEmpty()) {
            rest = modulePath;
        } else if (modulePath.equals(prefix)) {
            return null;
        } else if (modulePath.startsWith(prefix + "/")) {
            rest = modulePath.substring(prefix.length() + 1);
        } else {
            return null;
        }
        String candidate = rest;
        while (!candidate.isEmpty()) {
            Path repo = probe(candidate);
            if (repo != null) {
                String name = folder.relativize(repo).toString().replace(File.separatorChar, '/');
                if (!access.mayRead(caller, name)) {
                    return null;
                }
                String root = prefix.isEmpty() ? candidate : prefix + "/" + candidate;
                return new FolderRepository(name, root, repo, access.anonymousMayRead(name));
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
        }
        return null;
    }

    @Override
    public boolean hidesRepositories() {
        return access.hidesRepositories();
    }

    @Override
    public String realm() {
        return "Go module proxy";
    }

    private Path probe(String candidate) {
        // A directory "x.git" is module path x only: probing "x.git" as-is would give it a second module path.
        String[] names = candidate.endsWith(".git") ? new String[] {candidate + ".git"} : new String[] {candidate + ".git", candidate};
        for (String name : names) {
            Path p = folder.resolve(name);
            if (!Files.isDirectory(p)) {
                continue;
            }
            try {
                Path real = p.toRealPath();
                if (real.startsWith(folder) && !real.equals(folder)
                        && RepositoryCache.FileKey.isGitRepository(real.toFile(), FS.DETECTED)) {
                    return real;
                }
            } catch (IOException e) {
                // Unreadable: as good as absent.
            }
        }
        return null;
    }

    private static String trimSlashes(String s) {
        String t = s == null ? "" : s.trim();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** A bare repository of the folder. */
    private static final class FolderRepository implements HostedRepository {
        private final String name;
        private final String root;
        private final Path dir;
        private final boolean anonymous;

        FolderRepository(String name, String root, Path dir, boolean anonymous) {
            this.name = name;
            this.root = root;
            this.dir = dir;
            this.anonymous = anonymous;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String rootModulePath() {
            return root;
        }

        @Override
        public boolean anonymousReadable() {
            return anonymous;
        }

        @Override
        public Repository open() throws IOException {
            return RepositoryCache.open(RepositoryCache.FileKey.exact(dir.toFile(), FS.DETECTED), true);
        }
    }
}
