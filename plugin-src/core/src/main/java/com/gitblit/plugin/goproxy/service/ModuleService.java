package com.gitblit.plugin.goproxy.service;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

import com.gitblit.plugin.goproxy.release.TagVerdict;
import com.gitblit.plugin.goproxy.release.VersionTag;
import com.gitblit.plugin.goproxy.module.Retraction;
import com.gitblit.plugin.goproxy.source.TagListing;

/**
 * The Go answers for the modules of the repositories a host admitted a caller to: the one place that pins
 * versions, builds zips once, caps builds and keeps artifacts. The HTTP routes call it, and so will the push
 * hook, the pages and the checksum database. Every "no such version / not servable" outcome and every
 * server-side fault is a {@link ServiceFailure} of its kind; {@link IOException} is left for the unexpected.
 */
public interface ModuleService extends Closeable {

    /** {@code @v/list}: tagged versions only, any order. */
    List<String> list(HostedRepository repository, String modulePath) throws ServiceFailure, IOException;

    /**
     * {@code .info} for any query (version, branch, tag, hash prefix). A canonical {@code vN.x.y} (N >= 2) on a
     * path without {@code /vN} answers like a query with its {@code +incompatible} version, as direct mode does.
     */
    RevisionInfo info(HostedRepository repository, String modulePath, String query) throws ServiceFailure, IOException;

    /** {@code @latest}. */
    RevisionInfo latest(HostedRepository repository, String modulePath) throws ServiceFailure, IOException;

    /** {@code .mod} of a canonical version. */
    Artifact mod(HostedRepository repository, String modulePath, String version) throws ServiceFailure, IOException;

    /**
     * {@code .zip} of a canonical version, validated before this returns: a version that cannot be zipped is a
     * {@link ServiceFailure}, never a truncated body.
     */
    Artifact zip(HostedRepository repository, String modulePath, String version) throws ServiceFailure, IOException;

    /**
     * The proxy's verdict on a version tag pointing at {@code commit} (which need not be tagged yet: a push being
     * received): the module version it would be served as, or the reason it would not be, from the same checks the
     * proxy applies when that version is requested. Needs no ledger entry and makes none.
     */
    TagVerdict checkTag(HostedRepository repository, VersionTag tag, String commit) throws ServiceFailure, IOException;

    /** The commit a version is pinned to (it was downloaded before), or null. */
    String pinnedCommit(String modulePath, String version) throws IOException;

    /**
     * Queues a background build of a version's zip at {@code commit}, keyed by that commit and pinning nothing:
     * the first download pins as always and, if it names the same commit, is served the zip built here. Returns
     * false when it was not queued (the queue is full, or nothing is cached): the zip is then built on demand.
     */
    boolean prebuild(HostedRepository repository, String modulePath, String version, String commit);

    /**
     * Every version-shaped tag of the repository with the proxy's verdict on it: listed, or left out and why. The
     * same decision {@link #list} makes; the pages and the push hook show it.
     */
    List<TagListing> tagVerdicts(HostedRepository repository) throws ServiceFailure, IOException;

    /** The {@code retract} directives (with rationale) of the module's newest version's go.mod. */
    List<Retraction> retractions(HostedRepository repository, String modulePath) throws ServiceFailure, IOException;

    /**
     * A canonical version as a page shows it, at its pinned commit when it was served before (else where its tag
     * points now), with the recorded h1 hashes when pinned. Pins nothing and builds nothing.
     */
    VersionView view(HostedRepository repository, String modulePath, String version)
            throws ServiceFailure, IOException;

    /**
     * A repository was deleted or renamed: nothing cached under its name may be served again. The ledger keeps
     * its entries (it is permanent: a version's recorded commit is what go.sum files hold).
     */
    void forgetRepository(String repositoryName) throws IOException;

    /**
     * Administrator's act: unpins a version and drops everything held for it, in memory and on disk, so that
     * the next request resolves it afresh. True if it was pinned.
     */
    boolean forgetVersion(String modulePath, String version) throws IOException;

    /**
     * Administrator's act: removes the module's cached artifacts in this repository. Each is rebuilt on demand from
     * its pinned commit, with the same bytes (a rebuild is checked against the ledger's h1). An artifact whose commit
     * left the repository is kept: it is the only copy.
     */
    default PurgeOutcome purgeModule(HostedRepository repository, String modulePath) throws IOException {
        throw new IOException("this service keeps no artifacts");
    }

    /**
     * Administrator's act: resolves, pins (when not pinned yet) and builds a version's go.mod and zip now, as its
     * first download would, and returns the ledger entry that holds afterwards (null without a data folder).
     */
    default com.gitblit.plugin.goproxy.cache.LedgerEntry buildNow(HostedRepository repository, String modulePath,
            String version) throws ServiceFailure, IOException {
        throw new IOException("this service cannot build on request");
    }

    /** What the service runs on, for the administrator's view; null when it has no such view. */
    default ServiceState state() {
        return null;
    }

    /** The forge's own checksum database, or {@code null} when there is none (no fixed namespace, no data folder). */
    default ForgeChecksumDatabase checksumDatabase() {
        return null;
    }

    /** The dependency proxy for modules outside the forge's namespace, or {@code null} when it is off. */
    default ThirdPartyModules thirdParty() {
        return null;
    }

    /** Stops build threads and releases files; later calls fail with {@link ServiceFailure.Kind#STOPPED}. */
    @Override
    void close();
}
