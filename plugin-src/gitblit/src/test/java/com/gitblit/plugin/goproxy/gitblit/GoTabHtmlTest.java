package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.catalog.ModuleCatalog;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * The Go tab's fragment as a user who may push gets it, from the real catalog over a real repository: a tag under
 * a directory carrying markup is one escaped row among the unserved tags (never a module heading), and a version
 * no zip can be made of is a row with the download's own sentence.
 */
@Tag("jgit")
class GoTabHtmlTest {
    private static final String ROOT = "git.example.com/team/lib";

    @TempDir
    Path tmp;

    @Test
    void unservedRowsForZipRulesAndHostileDirectoriesAreEscapedAndNeverModules() throws Exception {
        String hostile = "x\"><img/src=q/onerror=alert(1)>/v1.0.0";
        try (JGitRepo repo = JGitRepo.init(tmp.resolve("work"));
                ModuleService service = ModuleServices.create(ProxySettings.builder()
                        .dataDirectory(tmp.resolve("data").toFile()).build())) {
            RevCommit c = repo.commit("go.mod", "module " + ROOT + "\n", "lib.go", "package lib\n");
            repo.tag("v1.0.0", c);
            repo.tag(hostile, c);
            repo.tag("v1.1.0", repo.commit("README.md", "a\n", "readme.md", "b\n"));
            HostedRepository hosted = hosted(repo.gitDir().toFile());

            String html = GoHtml.modules(new ModuleCatalog(service).modules(hosted, true), new GoHtml.Links() {
                @Override
                public String tree(String commit, String directory) {
                    return "tree/" + commit;
                }

                @Override
                public String commit(String commit) {
                    return "commit/" + commit;
                }

                @Override
                public String version(String modulePath, String version) {
                    return "version/" + version;
                }

                @Override
                public String module(String modulePath) {
                    return "module/" + modulePath;
                }
            });

            assertEquals(List.of(ROOT), all(html, "class=\"go-module\" data-module=\"([^\"]*)\""), html);
            assertEquals(List.of("v1.0.0"), all(html, "class=\"go-version\" data-version=\"([^\"]*)\""), html);
            assertEquals(List.of("v1.1.0", GoHtml.attr(hostile)),
                    all(html, "class=\"go-omitted-tag\" data-tag=\"([^\"]*)\""), html);
            assertFalse(html.contains("<img"), html);
            assertTrue(html.contains("<td class=\"go-reason\">malformed module path &quot;" + ROOT + "/x\\&quot;&gt;"
                    + "&lt;img/src=q/onerror=alert(1)&gt;&quot;: invalid char &#39;&quot;&#39;</td>"), html);
            assertTrue(html.contains(GoHtml.text(ROOT + "@v1.1.0: create zip: readme.md: case-insensitive file name collision: "
                    + "\"README.md\" and \"readme.md\"")), html);
        }
    }

    private static List<String> all(String html, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static HostedRepository hosted(File gitDir) {
        return new HostedRepository() {
            @Override
            public String name() {
                return "team/lib.git";
            }

            @Override
            public String rootModulePath() {
                return ROOT;
            }

            @Override
            public boolean anonymousReadable() {
                return true;
            }

            @Override
            public Repository open() throws IOException {
                return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
            }
        };
    }
}
