package com.gitblit.plugin.goproxy.module.zip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A module tree on disk listed as x/mod's CreateFromDir/CheckDir list it (test support: the proxy reads git,
 * not directories): VCS directories and nested-module directories are skipped whole, vendored files and
 * non-regular files are reported as omitted, everything else is handed to the file rules. Lexical order, as
 * Go's filepath.Walk.
 */
final class DirectoryFiles {
    final List<ModuleFile> files = new ArrayList<>();
    final List<FileProblem> omitted = new ArrayList<>();

    static DirectoryFiles list(Path root) throws IOException {
        DirectoryFiles out = new DirectoryFiles();
        out.walk(root, root);
        return out;
    }

    private void walk(Path root, Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            s.forEach(children::add);
        }
        children.sort((a, b) -> com.gitblit.plugin.goproxy.module.Utf8.compare(a.getFileName().toString(),
                b.getFileName().toString()));
        for (Path p : children) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (VendorRule.ORIGINAL.isVendored(rel)) {
                // x/mod reports the entry and, for a directory, still walks into it.
                omitted.add(new FileProblem(rel, "file is in vendor directory"));
                if (attrs.isDirectory()) {
                    walk(root, p);
                }
                continue;
            }
            if (attrs.isDirectory()) {
                String base = p.getFileName().toString();
                if (base.equals(".bzr") || base.equals(".git") || base.equals(".hg") || base.equals(".svn")) {
                    omitted.add(new FileProblem(rel, "directory is a version control repository"));
                    continue;
                }
                Path goMod = p.resolve("go.mod");
                if (Files.exists(goMod, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(goMod, LinkOption.NOFOLLOW_LINKS)) {
                    omitted.add(new FileProblem(rel, "directory is in another module"));
                    continue;
                }
                walk(root, p);
                continue;
            }
            if (!attrs.isRegularFile()) {
                omitted.add(new FileProblem(rel, "not a regular file"));
                continue;
            }
            long size = attrs.size();
            files.add(new ModuleFile() {
                @Override
                public String path() {
                    return rel;
                }

                @Override
                public Kind kind() {
                    return Kind.REGULAR;
                }

                @Override
                public long size() {
                    return size;
                }

                @Override
                public InputStream open() throws IOException {
                    return Files.newInputStream(p);
                }
            });
        }
    }
}
