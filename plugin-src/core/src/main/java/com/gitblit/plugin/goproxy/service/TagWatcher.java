package com.gitblit.plugin.goproxy.service;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.release.TagVerdict;
import com.gitblit.plugin.goproxy.release.VersionTag;
import com.gitblit.plugin.goproxy.source.RefStateStamp;

/**
 * Pre-builds for a host that sees no pushes (the standalone server): every interval it stats each repository's
 * refs ({@link RefStateStamp}) and, only where they changed, lists the tags and hands version tags that are new or
 * moved since the last look to {@link ModuleService#prebuild}, after the same {@link ModuleService#checkTag} a push
 * gets. The first look after start only records what is there: a restart must not rebuild every release; a
 * repository that appears later has all its version tags new. Versions pinned to another commit are left alone
 * (downloads get the pinned commit), nothing is pinned, and once the pre-build queue is full the remaining tags of
 * the look are recorded unchecked: they are built at their first download.
 */
public final class TagWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(TagWatcher.class);

    /** The repositories to watch, all of them, whoever may read them. */
    public interface Repositories {
        Collection<HostedRepository> all() throws IOException;
    }

    /** What one repository looked like at the last look. */
    private static final class Seen {
        final RefStateStamp stamp;
        final Set<String> refDirectories;
        final Map<String, String> commitByTag;

        Seen(RefStateStamp stamp, Set<String> refDirectories, Map<String, String> commitByTag) {
            this.stamp = stamp;
            this.refDirectories = refDirectories;
            this.commitByTag = commitByTag;
        }
    }

    private final ModuleService service;
    private final Repositories repositories;
    private final long intervalMillis;
    private final Map<String, Seen> seen = new HashMap<>();
    private boolean looked;
    private volatile int looks;
    private volatile Thread thread;
    private volatile boolean closed;
    /** Woken by {@link #close}: no interrupt, which could hit a look in the middle of reading a pack file. */
    private final Object pause = new Object();

    public TagWatcher(ModuleService service, Repositories repositories, long intervalMillis) {
        this.service = service;
        this.repositories = repositories;
        this.intervalMillis = intervalMillis;
    }

    /** Starts the watching thread: a daemon at low priority, so it never competes with requests. */
    public synchronized void start() {
        thread = new Thread(this::run, "goproxy-tag-watcher");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                look();
            } catch (RuntimeException e) {
                LOG.warn("goproxy: watching tags for pre-builds: {}", e.toString());
            }
            synchronized (pause) {
                try {
                    if (!closed) {
                        pause.wait(intervalMillis);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One look at every repository; returns how many versions were queued for pre-building. */
    synchronized int look() {
        Collection<HostedRepository> all;
        try {
            all = repositories.all();
        } catch (IOException e) {
            LOG.warn("goproxy: cannot list the repositories to watch their tags: {}", e.toString());
            return 0;
        }
        boolean first = !looked;
        looked = true;
        Set<String> present = new HashSet<>();
        int queued = 0;
        int notQueued = 0;
        for (HostedRepository repository : all) {
            if (closed) {
                break;
            }
            present.add(repository.name());
            Seen before = seen.get(repository.name());
            try (Repository git = repository.open()) {
                Set<String> stampedDirs = before != null ? before.refDirectories
                        : RefStateStamp.directoriesOf(java.util.Collections.<String>emptySet());
                // Stamped before the listing: a tag written in between changes the stamp, and is seen next time.
                RefStateStamp stamp = RefStateStamp.of(git, stampedDirs);
                if (before != null && before.stamp != null && before.stamp.equals(stamp)) {
                    continue;
                }
                Map<String, Ref> tags = git.getRefDatabase().getRefs("refs/tags/");
                Map<String, String> now = versionTags(git, tags);
                // Over every tag's directory, not only the versions': v1.0.0 written beside sub/notes changes sub.
                Set<String> names = new HashSet<>();
                for (String tag : tags.keySet()) {
                    names.add("refs/tags/" + tag);
                }
                Set<String> dirs = RefStateStamp.directoriesOf(names);
                // A stamp over other directories than the tags now need is no stamp: the next look lists again.
                Seen after = new Seen(dirs.equals(stampedDirs) ? stamp : null, dirs, now);
                if (!first) {
                    for (Map.Entry<String, String> tag : now.entrySet()) {
                        String old = before == null ? null : before.commitByTag.get(tag.getKey());
                        if (tag.getValue().equals(old)) {
                            continue;
                        }
                        if (notQueued > 0) {
                            notQueued++; // the queue is full: no more checks this look
                            continue;
                        }
                        int r = offer(repository, VersionTag.parse(tag.getKey()), tag.getValue());
                        if (r > 0) {
                            queued++;
                        } else if (r < 0) {
                            notQueued++;
                        }
                    }
                }
                seen.put(repository.name(), after);
            } catch (IOException | ServiceFailure | RuntimeException e) {
                // Seen as it was: the next look tries again.
                LOG.info("goproxy: watching the tags of {}: {}", repository.name(), e.toString());
            }
        }
        seen.keySet().retainAll(present);
        looks++;
        if (notQueued > 0) {
            LOG.info("goproxy: {} new version(s) not queued for pre-building (queue full or no cache); built at their"
                    + " first download", notQueued);
        }
        return queued;
    }

    /** 1 when queued, 0 when the version is not to be pre-built, -1 when the queue did not take it. */
    private int offer(HostedRepository repository, VersionTag tag, String commit) throws ServiceFailure, IOException {
        TagVerdict verdict = service.checkTag(repository, tag, commit);
        if (!verdict.served()) {
            return 0;
        }
        String pinned = service.pinnedCommit(verdict.modulePath(), verdict.version());
        if (pinned != null && !pinned.equals(commit)) {
            return 0;
        }
        return service.prebuild(repository, verdict.modulePath(), verdict.version(), commit) ? 1 : -1;
    }

    /** Version tags ({@code v1.2.3}, {@code dir/v1.2.3}) by full ref name, with the commit each names. */
    private static Map<String, String> versionTags(Repository git, Map<String, Ref> tags) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (RevWalk walk = new RevWalk(git)) {
            for (Map.Entry<String, Ref> e : tags.entrySet()) {
                if (VersionTag.parse(e.getKey()).kind() != VersionTag.Kind.VERSION || e.getValue().getObjectId() == null) {
                    continue;
                }
                RevObject o;
                try {
                    o = walk.peel(walk.parseAny(e.getValue().getObjectId()));
                } catch (IOException missing) {
                    continue; // a broken tag: the download's answer says so
                }
                if (o instanceof RevCommit) {
                    out.put("refs/tags/" + e.getKey(), o.name());
                }
            }
        }
        return out;
    }

    /** Looks finished so far (each over every repository). */
    public int looks() {
        return looks;
    }

    /** Stops the thread; a look under way ends after its current repository. */
    @Override
    public void close() {
        closed = true;
        synchronized (pause) {
            pause.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
