package com.gitblit.plugin.goproxy.source;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jgit.lib.Repository;

/**
 * A stat-only stamp of a file repository's ref state: HEAD, packed-refs, and the directories that hold loose
 * refs. git and JGit write every ref through a lock file renamed into place, so any ref created, moved or
 * deleted changes its directory's modification time, and pack-refs or gc rewrite packed-refs. Reading the stamp
 * costs a few stat calls however many refs there are.
 *
 * <p>Time stamps are coarse, so a stamp is trusted only when every time in it is old enough that a later
 * change must show a different time (the "racy git" rule); a stamp with a recent time never matches, and the
 * caller falls back to comparing the refs themselves.
 */
public final class RefStateStamp {
    private static final long RACY_NANOS = 3_000_000_000L;

    private final String value;

    private RefStateStamp(String value) {
        this.value = value;
    }

    /** The stamp over {@code refDirectories} (relative to the git directory), or null when it cannot be trusted. */
    public static RefStateStamp of(Repository repository, Collection<String> refDirectories) {
        File gitDir = repository.getDirectory();
        if (gitDir == null) {
            return null;
        }
        Path dir = gitDir.toPath();
        long now = System.currentTimeMillis() * 1_000_000L;
        StringBuilder sb = new StringBuilder(64 + 32 * refDirectories.size());
        try {
            for (String name : new String[] {"HEAD", "packed-refs"}) {
                if (!append(sb, dir.resolve(name), name, now)) {
                    return null;
                }
            }
            for (String d : refDirectories) {
                if (!append(sb, dir.resolve(d), d, now)) {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new RefStateStamp(sb.toString());
    }

    /** The directories that hold the given refs' loose files, and refs/heads, refs/tags, refs. */
    public static Set<String> directoriesOf(Collection<String> refNames) {
        Set<String> dirs = new TreeSet<>();
        dirs.add("refs");
        dirs.add("refs/heads");
        dirs.add("refs/tags");
        for (String ref : refNames) {
            int slash = ref.lastIndexOf('/');
            while (slash > 0) {
                String d = ref.substring(0, slash);
                if (!dirs.add(d)) {
                    break;
                }
                slash = d.lastIndexOf('/');
            }
        }
        return dirs;
    }

    private static boolean append(StringBuilder sb, Path p, String name, long now) throws IOException {
        sb.append(name).append('=');
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            sb.append("-;");
            return true;
        }
        long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        if (now - mtime < RACY_NANOS) {
            return false;
        }
        sb.append(mtime).append(',').append(a.size()).append(',').append(a.fileKey()).append(';');
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RefStateStamp && ((RefStateStamp) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
