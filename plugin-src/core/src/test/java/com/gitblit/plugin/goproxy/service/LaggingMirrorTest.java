package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.BuildSlots;
import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.cache.LedgerConflictException;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.PinOrigin;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.proxy.ProxyError;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * Two nodes over one ledger, each with its own copy of the repository and its own artifact cache: node A pins a
 * version to a commit node B's copy has not received yet. With a shared ledger B answers "try again" (a 503 with
 * Retry-After, so that a load balancer asks another node), never its own idea of the version; once its copy
 * catches up it serves A's bytes. With a ledger of its own, the same missing commit stays a 404 as before.
 */
@Tag("jgit")
class LaggingMirrorTest {
    private static final String MODULE = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    private JGitRepo upstream;
    private JGitRepo lagging;
    private RevCommit pinned;

    @BeforeEach
    void twoCopies() throws Exception {
        upstream = JGitRepo.init(tmp.resolve("a"));
        RevCommit base = upstream.commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
        lagging = JGitRepo.init(tmp.resolve("b"));
        fetch(lagging, upstream);
        // B's copy: synced up to the base commit; A's: one commit ahead, tagged v1.0.0 there.
        pinned = upstream.commit("lib.go", "package lib\n// one\n");
        upstream.tag("v1.0.0", pinned);
        // B even has a v1.0.0 tag of its own, on the older commit: it must never be served.
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(lagging.repository())) {
            lagging.tag("v1.0.0", walk.parseCommit(base));
        }
    }

    @Test
    void aSharedLedgersCommitMissingFromThisCopyIsTryAgainThenTheSameBytes() throws Exception {
        VersionLedger ledger = new SharedLedger(new FileVersionLedger(tmp.resolve("ledger")));
        GitModuleService a = node(ledger, "a-data");
        GitModuleService b = node(ledger, "b-data");
        HostedRepository atA = new GitDirRepository("team/lib.git", MODULE, upstream.gitDir().toFile());
        HostedRepository atB = new GitDirRepository("team/lib.git", MODULE, lagging.gitDir().toFile());
        String info = a.info(atA, MODULE, "v1.0.0").toJson();
        byte[] mod = body(a.mod(atA, MODULE, "v1.0.0"));
        byte[] zip = body(a.zip(atA, MODULE, "v1.0.0"));

        for (Executable request : List.<Executable>of(() -> b.info(atB, MODULE, "v1.0.0"),
                () -> body(b.mod(atB, MODULE, "v1.0.0")), () -> body(b.zip(atB, MODULE, "v1.0.0")))) {
            ServiceFailure notYet = assertThrows(ServiceFailure.class, request);
            assertEquals(ServiceFailure.Kind.LAGGING_REPOSITORY, notYet.kind());
            assertEquals(MODULE + "@v1.0.0: pinned to commit " + pinned.name()
                    + ", which this node's copy of the repository does not have yet; try again", notYet.getMessage());
            ProxyError http = ProxyError.of(notYet);
            assertEquals(503, http.kind().status());
            assertTrue(http.retryAfterSeconds() > 0, "no Retry-After");
        }

        fetch(lagging, upstream);
        assertEquals(info, b.info(atB, MODULE, "v1.0.0").toJson());
        assertArrayEquals(mod, body(b.mod(atB, MODULE, "v1.0.0")));
        assertArrayEquals(zip, body(b.zip(atB, MODULE, "v1.0.0")));
        assertEquals(pinned.name(), ledger.find(MODULE, "v1.0.0").commit());
    }

    @Test
    void aLedgerOfItsOwnStillAnswersAMissingPinnedCommitNotFound() throws Exception {
        VersionLedger ledger = new FileVersionLedger(tmp.resolve("ledger"));
        ledger.recordCommit(MODULE, "v1.0.0", pinned.name(), "team/lib.git");
        GitModuleService b = node(ledger, "b-data");
        HostedRepository atB = new GitDirRepository("team/lib.git", MODULE, lagging.gitDir().toFile());
        ServiceFailure gone = assertThrows(ServiceFailure.class, () -> body(b.zip(atB, MODULE, "v1.0.0")));
        assertEquals(ServiceFailure.Kind.NOT_FOUND, gone.kind());
        assertTrue(gone.getMessage().contains("no longer in the repository"), gone.getMessage());
        assertEquals(404, ProxyError.of(gone).kind().status());
    }

    private GitModuleService node(VersionLedger ledger, String data) throws IOException {
        ProxySettings settings = ProxySettings.builder().dataDirectory(tmp.resolve(data).toFile()).build();
        ServiceStorage storage = new ServiceStorage(ledger,
                new FileArtifactStore(tmp.resolve(data).resolve("artifacts"), Long.MAX_VALUE), new BuildSlots(2, 5_000));
        return new GitModuleService(new ModuleSources(settings), storage);
    }

    private static void fetch(JGitRepo into, JGitRepo from) throws Exception {
        into.git().fetch().setRemote(from.gitDir().toUri().toString())
                .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/a/*")).call();
    }

    private static byte[] body(Artifact artifact) throws IOException {
        try (Artifact a = artifact) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            a.writeTo(out);
            return out.toByteArray();
        }
    }

    /** The file ledger, as a database ledger would present itself: other nodes pin into it too. */
    private static final class SharedLedger implements VersionLedger {
        private final VersionLedger file;

        SharedLedger(VersionLedger file) {
            this.file = file;
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public LedgerEntry find(String modulePath, String version) throws IOException {
            return file.find(modulePath, version);
        }

        @Override
        public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey)
                throws IOException {
            return file.recordCommit(modulePath, version, commitHex, repositoryKey);
        }

        @Override
        public LedgerEntry recordCommit(String modulePath, String version, String commitHex, String repositoryKey,
                PinOrigin origin) throws IOException {
            return file.recordCommit(modulePath, version, commitHex, repositoryKey, origin);
        }

        @Override
        public LedgerEntry recordModHash(String modulePath, String version, String h1)
                throws IOException, LedgerConflictException {
            return file.recordModHash(modulePath, version, h1);
        }

        @Override
        public LedgerEntry recordZipHash(String modulePath, String version, String h1)
                throws IOException, LedgerConflictException {
            return file.recordZipHash(modulePath, version, h1);
        }

        @Override
        public List<LedgerEntry> list(String modulePath) throws IOException {
            return file.list(modulePath);
        }

        @Override
        public List<String> modules() throws IOException {
            return file.modules();
        }

        @Override
        public boolean forget(String modulePath, String version) throws IOException {
            return file.forget(modulePath, version);
        }
    }
}
