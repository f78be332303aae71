package com.gitblit.plugin.goproxy.gitblit;

import javax.servlet.http.HttpServletRequest;

import org.apache.wicket.Page;
import org.apache.wicket.PageParameters;
import org.apache.wicket.RequestCycle;
import org.apache.wicket.protocol.http.WebRequest;
import org.apache.wicket.protocol.http.servlet.AbortWithWebErrorCodeException;

import com.gitblit.models.UserModel;
import com.gitblit.wicket.GitBlitWebSession;
import com.gitblit.wicket.GitblitWicketApp;
import com.gitblit.wicket.WicketUtils;
import com.gitblit.wicket.pages.CommitPage;
import com.gitblit.wicket.pages.TreePage;

/**
 * Where the Go pages live in Gitblit's web application and what they share. Mount points (Gitblit's parameter
 * style: {@code /gotab/team!lib.git}):
 * <ul>
 *   <li>{@code /gotab} ({@code r}): a repository's Go tab, {@link GoTabPage};</li>
 *   <li>{@code /goversion} ({@code r}, {@code m}, {@code v}): a version, {@link GoVersionPage};</li>
 *   <li>{@code /gomodule} ({@code m}): a module path, as go.mod links name it; leads to its tab, {@link GoModuleLinkPage};</li>
 *   <li>{@code /gomodules}: the instance list, {@link GoModulesPage}; {@code /gosetup}: client setup, {@link GoSetupPage}.</li>
 * </ul>
 * Every page answers a repository or module the viewer may not see exactly as one that does not exist: 404.
 */
final class GoPages {
    private GoPages() {
    }

    static void mount(GitblitWicketApp app) {
        app.mount("/gotab", GoTabPage.class, "r");
        app.mount("/goversion", GoVersionPage.class, "r");
        app.mount("/gomodule", GoModuleLinkPage.class);
        app.mount("/gomodules", GoModulesPage.class);
        app.mount("/gosetup", GoSetupPage.class);
    }

    /** The page data of the running proxy; a stopped proxy shows no Go page (503). */
    static GoPageData data() {
        GoProxyRuntime runtime = GoProxyRuntime.latest();
        GoPageData data = runtime == null ? null : runtime.pageData();
        if (data == null) {
            throw new AbortWithWebErrorCodeException(503, "the Go module proxy is not running");
        }
        return data;
    }

    /** The same answer for "no such repository or module" and "not yours to see". */
    static AbortWithWebErrorCodeException notFound() {
        return new AbortWithWebErrorCodeException(404, "no such Go module page");
    }

    static UserModel viewer(GoPageData data) {
        return data.viewer(GitBlitWebSession.get().getUser());
    }

    static HttpServletRequest request() {
        return ((WebRequest) RequestCycle.get().getRequest()).getHttpServletRequest();
    }

    static String param(PageParameters params, String name) {
        String value = params == null ? null : params.getString(name);
        return value == null ? null : value.trim();
    }

    /** Links of the Go fragments into Gitblit's own tree and commit views and into the Go pages. */
    /** Stands for a commit id in a URL built once and filled in per row. */
    private static final String COMMIT_SLOT = "0123456789abcdef0123456789abcdef01234567";
    /** Stands for a version in a URL built once per module; a version is letters, digits, dots and dashes. */
    private static final String VERSION_SLOT = "v0.0.0-go.version.slot";

    /**
     * The page's links, each kind built by Wicket once and filled in per row: Gitblit's URL coding reads all of
     * its settings for every URL, which made a tab of 10,000 versions spend seconds on its links. Only values that
     * need no encoding are filled in (commit ids; versions without {@code +}); anything else is built by Wicket.
     */
    static GoHtml.Links links(final Page page, final String repository) {
        return new GoHtml.Links() {
            private String treeTemplate;
            private String commitTemplate;
            private final java.util.Map<String, String> versionTemplates = new java.util.HashMap<>();

            @Override
            public String tree(String commit, String directory) {
                if (directory == null || directory.isEmpty()) {
                    if (treeTemplate == null) {
                        treeTemplate = page.urlFor(TreePage.class, WicketUtils.newObjectParameter(repository,
                                COMMIT_SLOT)).toString();
                    }
                    if (isCommitId(commit) && treeTemplate.contains(COMMIT_SLOT)) {
                        return treeTemplate.replace(COMMIT_SLOT, commit);
                    }
                }
                PageParameters p = directory == null || directory.isEmpty()
                        ? WicketUtils.newObjectParameter(repository, commit)
                        : WicketUtils.newPathParameter(repository, commit, directory);
                return page.urlFor(TreePage.class, p).toString();
            }

            @Override
            public String commit(String commit) {
                if (commitTemplate == null) {
                    commitTemplate = page.urlFor(CommitPage.class, WicketUtils.newObjectParameter(repository,
                            COMMIT_SLOT)).toString();
                }
                if (isCommitId(commit) && commitTemplate.contains(COMMIT_SLOT)) {
                    return commitTemplate.replace(COMMIT_SLOT, commit);
                }
                return page.urlFor(CommitPage.class, WicketUtils.newObjectParameter(repository, commit)).toString();
            }

            @Override
            public String version(String modulePath, String version) {
                if (isPlainVersion(version)) {
                    String template = versionTemplates.get(modulePath);
                    if (template == null) {
                        template = versionUrl(modulePath, VERSION_SLOT);
                        versionTemplates.put(modulePath, template);
                    }
                    if (template.indexOf(VERSION_SLOT) == template.lastIndexOf(VERSION_SLOT)
                            && template.contains(VERSION_SLOT)) {
                        return template.replace(VERSION_SLOT, version);
                    }
                }
                return versionUrl(modulePath, version);
            }

            private String versionUrl(String modulePath, String version) {
                PageParameters p = WicketUtils.newRepositoryParameter(repository);
                p.put("m", modulePath);
                p.put("v", version);
                return page.urlFor(GoVersionPage.class, p).toString();
            }

            @Override
            public String module(String modulePath) {
                return moduleUrl(page, modulePath);
            }
        };
    }

    private static boolean isCommitId(String s) {
        if (s == null || s.length() != COMMIT_SLOT.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainVersion(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static String moduleUrl(Page page, String modulePath) {
        PageParameters p = new PageParameters();
        p.put("m", modulePath);
        return page.urlFor(GoModuleLinkPage.class, p).toString();
    }
}
