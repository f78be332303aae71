package com.gitblit.plugin.goproxy.standalone;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;

import javax.servlet.http.HttpServletRequest;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.util.FS;

import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.RepositoryAdmission;
import com.gitblit.plugin.goproxy.service.RepositoryResolver;
import com.gitblit.plugin.goproxy.proxy.ModuleHost;

/**
 * The standalone {@link ModuleHost}: module path = {@code [prefix/]<repository path below the folder, without
 * .git>}, plus subdirectory and major-version parts. The repositories are what a walk of the folder finds
 * (bare {@code x.git}, or any directory git recognises), down to {@link #MAX_DEPTH} levels and never into a
 * repository; the shared {@link RepositoryResolver} keeps that list in memory and walks again only when it
 * is old or a miss asks for it. Nothing outside the folder is reachable: a directory whose real path leaves
 * the folder is not listed, and only listed names are ever opened.
 */
final class FolderModuleHost implements ModuleHost {
    /** Group folders deeper than this are not searched for repositories. */
    static final int MAX_DEPTH = 8;

    private final Path folder;
    private final String prefix;
    private final AccessPolicy access;
    private final RepositoryResolver resolver;

    FolderModuleHost(Path folder, String prefix, AccessPolicy access) throws IOException {
        this.folder = folder.toRealPath();
        this.prefix = trimSlashes(prefix);
        this.access = access;
        this.resolver = new RepositoryResolver(this::scan);
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
    public RepositoryResolver repositories() {
        return resolver;
    }

    @Override
    public RepositoryAdmission admission() {
        return (caller, name, root) -> {
            // No disk check here: the resolver's view says the repository exists, and a request must not pay
            // file-system probes. One deleted since the last walk fails when opened (and the view is refreshed
            // within seconds); what is pinned of it keeps being served from the store until then.
            if (!access.mayRead(caller, name)) {
                return null;
            }
            return new FolderRepository(name, root, folder.resolve(name), access.anonymousMayRead(name));
        };
    }

    @Override
    public boolean hidesRepositories() {
        return access.hidesRepositories();
    }

    @Override
    public String realm() {
        return "Go module proxy";
    }

    /**
     * Every repository {@code caller} may download modules from, through the same admission the proxy uses, from
     * the resolver's view of the folder (a page view walks nothing; the view is as fresh as the proxy's own).
     */
    List<HostedRepository> downloadable(Caller caller) throws IOException {
        List<HostedRepository> out = new ArrayList<>();
        for (java.util.Map.Entry<String, String> e : resolver.namesByRoot().entrySet()) {
            HostedRepository r = admission().admit(caller, e.getValue(),
                    prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey());
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Every repository of the folder as the proxy serves it, whoever may read it (for the tag watcher, which
     * serves nothing).
     */
    java.util.Collection<HostedRepository> allRepositories() throws IOException {
        java.util.Map<String, String> byRoot = byModuleRoot();
        List<HostedRepository> out = new ArrayList<>(byRoot.size());
        for (java.util.Map.Entry<String, String> e : byRoot.entrySet()) {
            String name = e.getValue();
            out.add(new FolderRepository(name, prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey(),
                    folder.resolve(name), access.anonymousMayRead(name)));
        }
        return out;
    }

    /**
     * Repository names by module root: one per root, {@code x.git} before a non-bare {@code x}, as the resolver
     * picks.
     */
    private java.util.Map<String, String> byModuleRoot() throws IOException {
        java.util.Map<String, String> byRoot = new java.util.TreeMap<>();
        for (String name : scan()) {
            String root = name.endsWith(".git") ? name.substring(0, name.length() - 4) : name;
            String existing = byRoot.get(root);
            if (!root.isEmpty() && (existing == null || name.endsWith(".git") && !existing.endsWith(".git"))) {
                byRoot.put(root, name);
            }
        }
        return byRoot;
    }

    /** The repositories below the folder, by their path relative to it ({@code team/lib.git}). */
    private List<String> scan() throws IOException {
        List<String> names = new ArrayList<>();
        scan(folder, 0, names);
        return names;
    }

    private void scan(Path dir, int depth, List<String> names) throws IOException {
        if (depth >= MAX_DEPTH) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!Files.isDirectory(child) || child.getFileName().toString().startsWith(".")) {
                    continue;
                }
                Path real;
                try {
                    real = child.toRealPath();
                } catch (IOException e) {
                    continue; // unreadable: as good as absent
                }
                if (!real.startsWith(folder) || real.equals(folder)) {
                    continue;
                }
                if (RepositoryCache.FileKey.isGitRepository(real.toFile(), FS.DETECTED)) {
                    names.add(folder.relativize(child).toString().replace(File.separatorChar, '/'));
                } else {
                    scan(child, depth + 1, names);
                }
            }
        }
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
