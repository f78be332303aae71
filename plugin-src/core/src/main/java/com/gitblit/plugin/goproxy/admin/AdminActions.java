package com.gitblit.plugin.goproxy.admin;

import java.io.IOException;

import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.PurgeOutcome;
import com.gitblit.plugin.goproxy.service.ServiceFailure;

/**
 * The administrator's acts, each through the service (which also drops what it holds in memory) and each
 * followed by one {@link AuditLog} line with its outcome, refusals and failures included. The host checks that
 * the caller is an administrator and that the act was confirmed; the sentences here are what its pages show.
 */
public final class AdminActions {
    /** Shown before a purge is confirmed. */
    public static final String PURGE_EXPLAINED = "Removes the module's cached zips, go.mod files and .info answers"
            + " in this repository. Nothing is unpinned: each is rebuilt from its pinned commit at its next download,"
            + " and the rebuild must match the recorded h1, so clients get the same bytes. Artifacts whose commit"
            + " has left the repository are kept: they are the only copy.";
    /** Shown before a forget is confirmed. */
    public static final String FORGET_EXPLAINED = "Unpins the version and drops everything cached for it. The next"
            + " request resolves the tag afresh and pins wherever it points then. A client whose go.sum already"
            + " holds the old hash gets a checksum mismatch (\"SECURITY ERROR\") if the tag now points at other"
            + " content, and must remove the version's lines from go.sum (or use another version); a client with"
            + " the version in its module cache keeps using its old copy. Use it for a version that was tagged by"
            + " mistake and must be re-tagged, knowing who already downloaded it.";
    /** Shown before a build is confirmed. */
    public static final String BUILD_EXPLAINED = "Resolves the version, pins it if it is not pinned yet (for good,"
            + " as its first download would), and builds and caches its go.mod and zip now.";

    /** Shown before a ledger verification is confirmed. */
    public static final String VERIFY_EXPLAINED = "Re-derives every pinned version's go.mod and zip h1 from git at"
            + " its recorded commit, in the background, and reports each version whose hashes git no longer gives"
            + " (MISMATCH), whose commit has left its repository (COMMIT_GONE: a force-push and gc, a restore from an"
            + " older backup), or whose repository is gone. Nothing is changed, whatever it finds; one verification"
            + " runs at a time.";

    private final ModuleService service;
    private final AuditLog audit;

    public AdminActions(ModuleService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Purges a module's cached artifacts in a repository; returns the outcome in one sentence. */
    public String purge(String who, HostedRepository repository, String modulePath) throws IOException {
        String target = modulePath + " in " + repository.name();
        PurgeOutcome outcome;
        try {
            outcome = service.purgeModule(repository, modulePath);
        } catch (IOException e) {
            audit.append(who, "purge", target, "failed: " + e.getMessage());
            throw e;
        }
        audit.append(who, "purge", target, outcome.toString());
        return "purged " + target + ": " + outcome;
    }

    /** Forgets a pinned version; returns the outcome in one sentence. */
    public String forget(String who, String modulePath, String version) throws IOException {
        String commit = service.pinnedCommit(modulePath, version);
        return modulePath + "@" + version + " " + (forgetVersion(who, modulePath, version)
                ? "forgotten (it was pinned to commit " + commit + ")" : "was not pinned");
    }

    /** {@link #forget} for callers with their own sentences (the SSH command): true if it was pinned. */
    public boolean forgetVersion(String who, String modulePath, String version) throws IOException {
        String target = modulePath + "@" + version;
        String commit = service.pinnedCommit(modulePath, version);
        boolean forgotten;
        try {
            forgotten = service.forgetVersion(modulePath, version);
        } catch (IOException e) {
            audit.append(who, "forget", target, "failed: " + e.getMessage());
            throw e;
        }
        audit.append(who, "forget", target,
                forgotten ? "forgotten (it was pinned to commit " + commit + ")" : "was not pinned");
        return forgotten;
    }

    /** Builds a version now; returns the outcome in one sentence, or throws with the service's reason. */
    public String build(String who, HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException {
        String target = modulePath + "@" + version;
        LedgerEntry entry;
        try {
            entry = service.buildNow(repository, modulePath, version);
        } catch (ServiceFailure | IOException e) {
            audit.append(who, "build", target, "refused: " + e.getMessage());
            throw e;
        }
        String outcome = entry == null ? "built (no data folder: nothing pinned or cached)"
                : "built at commit " + entry.commit() + ", zip " + entry.zipH1() + ", go.mod " + entry.modH1();
        audit.append(who, "build", target, outcome);
        return target + " " + outcome;
    }
}
