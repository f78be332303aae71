package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requests may become a redirect to a repository page at all (the rest always get Gitblit's answer). */
class RepositoryPageRedirectTest {

    @ParameterizedTest
    @CsvSource({
        "GET, '', team/lib, true",
        "HEAD, '', team/lib/sub/pkg/, true",
        "GET, '', lib, true",
        "GET, '', ~alice/tool, true",
        "POST, '', team/lib, false",
        "GET, a=b, team/lib, false",
        "GET, '', '', false",
        "GET, '', team//lib, false",
        "GET, '', team/../lib, false",
        "GET, '', summary/team!lib.git, false",
        "GET, '', team/lib%2Fx, false",
        "GET, '', r/team/lib.git, false",
        "GET, '', git/team/lib.git, false",
        "GET, '', raw/team/lib.git/master/go.mod, false",
        "GET, '', zip/x, false",
        "GET, '', rpc/x, false",
        "GET, '', feed/team/lib.git, false",
        "GET, '', go/x, false",
        "GET, '', robots.txt, false",
        "GET, '', logo.png, false",
        "GET, '', com/gitblit/Constants.class, false",
        "GET, '', team/lib.git/info/lfs/objects/batch, false",
        "GET, '', team/lib.git/info/lfs, false"})
    void candidates(String method, String query, String path, boolean candidate) {
        assertEquals(candidate, RepositoryPageRedirect.mayApply(method, query.isEmpty() ? null : query, path));
    }

    @ParameterizedTest
    @CsvSource({"'', team/lib.git, /summary/?r=team/lib.git", "/gitblit, ~alice/a+b.git, /gitblit/summary/?r=%7Ealice/a%2Bb.git"})
    void theRepositoryPageIsGitblitsSummaryPage(String context, String name, String url) {
        assertEquals(url, GoProxyFilter.summaryPage(context, name));
    }
}
