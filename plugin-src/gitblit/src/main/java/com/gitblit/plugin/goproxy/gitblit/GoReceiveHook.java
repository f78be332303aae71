package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.ReceiveHook;
import com.gitblit.git.GitblitReceivePack;
import com.gitblit.plugin.goproxy.release.PushCheckMode;
import com.gitblit.plugin.goproxy.release.ReleaseLines;
import com.gitblit.plugin.goproxy.release.TagVerdict;
import com.gitblit.plugin.goproxy.release.VersionTag;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.inject.Inject;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ro.fortsoft.pf4j.Extension;

/**
 * The proxy's word on a push to a repository with Go on, printed by git as {@code remote: goproxy: ...}.
 * <ul>
 *   <li>Before the refs move, each pushed version tag gets the proxy's verdict ({@link ModuleService#checkTag}, the
 *       same checks a download meets): served as which module version, or why not. With {@code goproxy.pushChecks}
 *       (or the repository's {@code goPushChecks} field) = {@code reject}, a version tag that would not be served is
 *       refused; other tags and branches never are. Tags the go command ignores ({@code v1.2}) get a note.</li>
 *   <li>A tag moved or deleted while its version is pinned (downloaded before) is reported: downloads keep the
 *       pinned commit. With {@code goproxy.protectReleasedTags} = {@code reject} such an update is refused.</li>
 *   <li>After the refs moved, the zips of the new served versions are queued for building ahead of the first
 *       download ({@link ModuleService#prebuild}): the push never waits for them.</li>
 * </ul>
 * Gitblit catches and logs what a hook throws; a proxy that cannot answer (stopped, storage fault) lets the push
 * through with one line saying the checks did not run.
 */
@Extension
public class GoReceiveHook extends ReceiveHook {
    private static final Logger LOG = LoggerFactory.getLogger(GoReceiveHook.class);

    private final GoProxyRuntime runtime;
    /**
     * Verdicts of the commands being received, from before the refs moved to after. Gitblit makes a new hook object
     * for each call, but passes the same command objects to both; weak, so an aborted push leaves nothing behind.
     */
    private static final Map<ReceiveCommand, TagVerdict> VERDICTS =
            Collections.synchronizedMap(new WeakHashMap<ReceiveCommand, TagVerdict>());

    @Inject
    public GoReceiveHook(GoProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onPreReceive(GitblitReceivePack receivePack, Collection<ReceiveCommand> commands) {
        GoProxyRuntime.PushTarget target = runtime.pushTarget(receivePack.getRepositoryModel());
        if (target == null || !hasTags(commands)) {
            return;
        }
        if (target.rootModulePath == null) {
            say(receivePack, ReleaseLines.noNamespace());
            return;
        }
        PushCheckMode checks = target.pushChecks;
        PushCheckMode protect = target.protectReleasedTags;
        HostedRepository pushed = new PushedRepository(receivePack.getRepositoryModel().name, target.rootModulePath,
                receivePack.getRepository());
        try (RevWalk walk = new RevWalk(receivePack.getRepository())) {
            for (ReceiveCommand cmd : commands) {
                if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED || !cmd.getRefName().startsWith("refs/tags/")) {
                    continue;
                }
                VersionTag tag = VersionTag.parse(cmd.getRefName());
                boolean deleted = cmd.getType() == ReceiveCommand.Type.DELETE;
                if (tag.kind() == VersionTag.Kind.OTHER || deleted && tag.kind() != VersionTag.Kind.VERSION) {
                    continue;
                }
                if (tag.kind() != VersionTag.Kind.VERSION) {
                    if (checks != PushCheckMode.OFF) {
                        say(receivePack, ReleaseLines.ignored(tag));
                        if (checks == PushCheckMode.REJECT && tag.kind() == VersionTag.Kind.PSEUDO_VERSION) {
                            receivePack.sendRejection(cmd, "{0}", ReleaseLines.rejection());
                        }
                    }
                    continue;
                }
                String commit = deleted ? null : commitOf(walk, cmd.getNewId());
                boolean pinned = protect != PushCheckMode.OFF
                        && pinnedElsewhere(receivePack, cmd, tag, target, commit, protect);
                if (deleted || pinned) {
                    continue; // after a pin, what the new commit would give is moot: downloads get the pinned one
                }
                TagVerdict verdict = commit == null
                        ? TagVerdict.notServed(tag, tag.candidates(target.rootModulePath).get(0).modulePath,
                                tag.version(), "tag " + tag.name() + " does not point at a commit")
                        : target.service.checkTag(pushed, tag, commit);
                VERDICTS.put(cmd, verdict);
                if (checks != PushCheckMode.OFF) {
                    say(receivePack, ReleaseLines.verdict(verdict));
                    if (checks == PushCheckMode.REJECT && !verdict.served()) {
                        receivePack.sendRejection(cmd, "{0}", ReleaseLines.rejection());
                    }
                }
            }
        } catch (ServiceFailure | IOException | RuntimeException e) {
            LOG.warn("goproxy: push checks of {} did not run: {}", receivePack.getRepositoryModel().name, e.toString());
            say(receivePack, ReleaseLines.PREFIX + "checks did not run: " + e.getMessage());
        }
    }

    /**
     * Whether the tag names a version pinned to another commit than {@code commit} (null: the tag is deleted); if
     * so, says it and, with {@code reject}, refuses the update.
     */
    private static boolean pinnedElsewhere(GitblitReceivePack receivePack, ReceiveCommand cmd, VersionTag tag,
            GoProxyRuntime.PushTarget target, String commit, PushCheckMode protect) throws IOException {
        for (VersionTag.Candidate c : tag.candidates(target.rootModulePath)) {
            String pinned = target.service.pinnedCommit(c.modulePath, c.version);
            if (pinned != null && !pinned.equals(commit)) {
                say(receivePack, ReleaseLines.pinned(c.modulePath, c.version, pinned, commit == null));
                if (protect == PushCheckMode.REJECT) {
                    receivePack.sendRejection(cmd, "{0}", ReleaseLines.pinnedRejection());
                }
                return true;
            }
        }
        return false;
    }

    @Override
    public void onPostReceive(GitblitReceivePack receivePack, Collection<ReceiveCommand> commands) {
        GoProxyRuntime.PushTarget target = runtime.pushTarget(receivePack.getRepositoryModel());
        if (target == null || target.rootModulePath == null) {
            return;
        }
        HostedRepository hosted = runtime.hosted(receivePack.getRepositoryModel(), target.rootModulePath);
        int notQueued = 0;
        for (ReceiveCommand cmd : commands) {
            TagVerdict verdict = VERDICTS.remove(cmd);
            if (verdict == null || !verdict.served() || cmd.getResult() != ReceiveCommand.Result.OK) {
                continue;
            }
            String commit;
            try (RevWalk walk = new RevWalk(receivePack.getRepository())) {
                commit = commitOf(walk, cmd.getNewId());
            } catch (IOException e) {
                continue;
            }
            if (commit != null && !target.service.prebuild(hosted, verdict.modulePath(), verdict.version(), commit)) {
                notQueued++;
            }
        }
        if (notQueued > 0) {
            LOG.info("goproxy: push to {}: {} version(s) not queued for pre-building (queue full or no cache)",
                    receivePack.getRepositoryModel().name, notQueued);
            say(receivePack, ReleaseLines.queueFull(notQueued));
        }
    }

    /**
     * One line to the pusher, shown by git as {@code remote: goproxy: ...}. Written through JGit's own message
     * channel: Gitblit's {@code sendInfo} indents its lines, and these are the proxy's, not Gitblit's.
     */
    private static void say(GitblitReceivePack receivePack, String line) {
        receivePack.sendMessage(line);
    }

    private static boolean hasTags(Collection<ReceiveCommand> commands) {
        for (ReceiveCommand cmd : commands) {
            if (cmd.getRefName().startsWith("refs/tags/")) {
                return true;
            }
        }
        return false;
    }

    /** The commit a tag names (through annotated tags), or null when it names a tree or a blob. */
    private static String commitOf(RevWalk walk, ObjectId id) throws IOException {
        RevObject o = walk.peel(walk.parseAny(id));
        return o instanceof RevCommit ? o.name() : null;
    }
}
