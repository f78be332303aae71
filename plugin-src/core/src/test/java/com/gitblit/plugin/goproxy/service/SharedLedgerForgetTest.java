package com.gitblit.plugin.goproxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.cache.BuildSlots;
import com.gitblit.plugin.goproxy.cache.FileArtifactStore;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresLedger;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.PostgresServer;

/**
 * An administrator forgets a version on one node of a shared ledger and it is pinned again elsewhere: every node
 * answers the new pin, including one that held the old .info in memory (a node of its own ledger keeps trusting its
 * memory, since only it can change its ledger).
 */
@Tag("jgit")
@Tag("postgres")
class SharedLedgerForgetTest {
    private static final String MODULE = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    @Test
    void aNodeDropsAnInfoItHeldOnceTheSharedLedgerNoLongerPinsItsCommit() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String url = server.newDatabase();
        try (JGitRepo repo = JGitRepo.init(tmp.resolve("work"));
                PostgresDatabase dbA = PostgresDatabase.open(url, server.passwordFile().toFile(), 2);
                PostgresDatabase dbB = PostgresDatabase.open(url, server.passwordFile().toFile(), 2)) {
            RevCommit first = repo.commit("go.mod", "module " + MODULE + "\n", "lib.go", "package lib\n");
            repo.tag("v1.0.0", first);
            HostedRepository hosted = new GitDirRepository("team/lib.git", MODULE, repo.gitDir().toFile());
            GitModuleService a = node(new PostgresLedger(dbA), "a");
            GitModuleService b = node(new PostgresLedger(dbB), "b");
            String before = a.info(hosted, MODULE, "v1.0.0").toJson();
            assertEquals(before, b.info(hosted, MODULE, "v1.0.0").toJson());

            // The tag was wrong; nobody downloaded it yet: the administrator moves it and forgets the pin on A.
            RevCommit fixed = repo.commit("lib.go", "package lib\n\n// fixed\n");
            repo.moveTag("v1.0.0", fixed);
            assertTrue(a.forgetVersion(MODULE, "v1.0.0"));
            String after = a.info(hosted, MODULE, "v1.0.0").toJson();
            assertNotEquals(before, after, "the commits are a minute apart: their .info differ");
            assertEquals(after, b.info(hosted, MODULE, "v1.0.0").toJson(), "node B answered from its memory");
        }
    }

    private GitModuleService node(PostgresLedger ledger, String name) throws Exception {
        ProxySettings settings = ProxySettings.builder().dataDirectory(tmp.resolve(name).toFile()).build();
        ServiceStorage storage = new ServiceStorage(ledger,
                new FileArtifactStore(tmp.resolve(name).resolve("artifacts"), Long.MAX_VALUE), new BuildSlots(2, 5_000));
        return new GitModuleService(new ModuleSources(settings), storage);
    }
}
