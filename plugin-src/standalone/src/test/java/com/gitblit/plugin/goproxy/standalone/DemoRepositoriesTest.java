package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone demo's repositories: default branch main, as the Gitblit demo's. */
@Tag("jgit")
class DemoRepositoriesTest {

    @Test
    void theDemoRepositoryHasItsTagsOnBranchMain(@TempDir Path dir) throws Exception {
        Demo.createRepositories(dir.resolve("repos"), dir.resolve("work"));
        try (Repository bare = new FileRepositoryBuilder().setGitDir(dir.resolve("repos/hello.git").toFile()).build()) {
            assertEquals(Constants.R_HEADS + "main", bare.exactRef(Constants.HEAD).getTarget().getName());
            assertNotNull(bare.exactRef(Constants.R_HEADS + "main"));
            assertEquals(null, bare.exactRef(Constants.R_HEADS + "master"));
            for (String tag : new String[] {"v1.0.0", "v1.1.0", "sub/v0.1.0", "v2.0.0"}) {
                assertNotNull(bare.exactRef(Constants.R_TAGS + tag), tag);
            }
        }
    }
}
