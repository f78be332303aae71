package com.gitblit.plugin.goproxy.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The packages of a module at a commit as the go command would find them: directories below the module's root
 * holding at least one {@code .go} file, leaving out what {@code ./...} leaves out ({@code testdata}, names
 * beginning with {@code _} or {@code .}) and subdirectories that are modules of their own (a {@code go.mod}).
 * Reads trees only, never file contents.
 */
final class PackageDirectories {
    private PackageDirectories() {
    }

    /** Package directories relative to the module root ({@code ""} for the root package), sorted. */
    static List<String> list(Repository repository, ObjectId commit, String moduleDir) throws IOException {
        TreeSet<String> withGo = new TreeSet<>();
        TreeSet<String> nestedModules = new TreeSet<>();
        String prefix = moduleDir.isEmpty() ? "" : moduleDir + "/";
        try (RevWalk rw = new RevWalk(repository); TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(rw.parseCommit(commit).getTree());
            walk.setRecursive(false);
            if (!moduleDir.isEmpty()) {
                walk.setFilter(PathFilter.create(moduleDir));
            }
            while (walk.next()) {
                String path = walk.getPathString();
                boolean inside = path.startsWith(prefix) || prefix.isEmpty();
                if (walk.isSubtree()) {
                    if (!inside && !prefix.startsWith(path + "/")) {
                        continue;
                    }
                    if (inside && excluded(walk.getNameString())) {
                        continue;
                    }
                    walk.enterSubtree();
                    continue;
                }
                if (!inside || walk.getFileMode(0) == FileMode.GITLINK) {
                    continue;
                }
                String rel = path.substring(prefix.length());
                int slash = rel.lastIndexOf('/');
                String dir = slash < 0 ? "" : rel.substring(0, slash);
                String name = walk.getNameString();
                if (name.equals("go.mod") && !dir.isEmpty()) {
                    nestedModules.add(dir);
                } else if (name.endsWith(".go") && !excluded(name)) {
                    withGo.add(dir);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String dir : withGo) {
            if (!insideNested(dir, nestedModules)) {
                out.add(dir);
            }
        }
        return out;
    }

    private static boolean excluded(String name) {
        return name.startsWith(".") || name.startsWith("_") || name.equals("testdata");
    }

    private static boolean insideNested(String dir, TreeSet<String> nested) {
        for (String n : nested) {
            if (dir.equals(n) || dir.startsWith(n + "/")) {
                return true;
            }
        }
        return false;
    }
}
