package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.Constants;
import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.RepositoryAdmission;
import com.gitblit.plugin.goproxy.service.RepositoryResolver;
import com.gitblit.plugin.goproxy.proxy.ModuleHost;
import javax.servlet.http.HttpServletRequest;

/**
 * {@link ModuleHost} on Gitblit's managers. Rules:
 * <ul>
 *   <li>A repository exists for a caller only if Go is switched on for it ({@link GoSwitch}) and the caller has
 *       Gitblit's right to clone it; anything else is treated exactly like a repository that does not exist.
 *       With {@code web.authenticateViewPages}, anonymous callers see nothing, as in Gitblit's pages.</li>
 *   <li>Which repository holds a module path is the shared {@link RepositoryResolver}'s decision, over the names
 *       of Gitblit's cached repository list (refreshed when a repository is created, forked, renamed or
 *       deleted): only names Gitblit listed are ever looked up, and they must match exactly (module paths are
 *       case-sensitive while Gitblit's look-ups are not).</li>
 *   <li>A project host ({@link #forProject}) sees only the repositories of one Gitblit project: those whose
 *       first path element is the project's name (case-insensitive, as Gitblit's projects), or the top-level
 *       repositories for Gitblit's root project name ({@code web.repositoryRootGroupName}, default
 *       {@code main}). The others are absent for it.</li>
 * </ul>
 */
final class GitblitModuleHost implements ModuleHost {
    private final IRepositoryManager repositories;
    private final IAuthenticationManager authentication;
    private final IStoredSettings settings;
    private final ModuleNamespace namespace;
    private final GoSwitch goSwitch;
    private final String project;
    private final RepositoryResolver resolver;
    private final GitblitSignIn signIn;

    GitblitModuleHost(IRepositoryManager repositories, IAuthenticationManager authentication,
            IStoredSettings settings, ModuleNamespace namespace) {
        this(repositories, authentication, settings, namespace, null);
    }

    /** Accepting the Go access tokens of {@code tokens} (null: none) besides Gitblit's own sign-in. */
    GitblitModuleHost(IRepositoryManager repositories, IAuthenticationManager authentication,
            IStoredSettings settings, ModuleNamespace namespace, GitblitTokens tokens) {
        this(repositories, authentication, settings, namespace, null,
                new RepositoryResolver(() -> repositories.getRepositoryList()),
                GitblitSignIn.create(authentication, settings, tokens));
    }

    private GitblitModuleHost(IRepositoryManager repositories, IAuthenticationManager authentication,
            IStoredSettings settings, ModuleNamespace namespace, String project, RepositoryResolver resolver,
            GitblitSignIn signIn) {
        this.signIn = signIn;
        this.repositories = repositories;
        this.authentication = authentication;
        this.settings = settings;
        this.namespace = namespace;
        this.goSwitch = new GoSwitch(settings);
        this.project = project;
        this.resolver = resolver;
    }

    /** The same host, limited to one project's repositories (over the same view of them). */
    GitblitModuleHost forProject(String projectName) {
        return new GitblitModuleHost(repositories, authentication, settings, namespace, projectName, resolver, signIn);
    }

    ModuleNamespace namespace() {
        return namespace;
    }

    @Override
    public String moduleNamespace(HttpServletRequest request) {
        return namespace.of(request);
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        UserModel user = signIn.authenticate(request);
        if (user == null || !user.isAuthenticated() || user.disabled) {
            return Caller.ANONYMOUS;
        }
        if (request != null) {
            // For the access log: the name Gitblit verified, never one a client only claimed.
            request.setAttribute(com.gitblit.plugin.goproxy.proxy.AccessLog.USER_ATTRIBUTE, user.username);
        }
        return Caller.user(user.username, user);
    }

    @Override
    public RepositoryResolver repositories() {
        return resolver;
    }

    @Override
    public RepositoryAdmission admission() {
        return (caller, name, root) -> admit(caller, name, root, false);
    }

    /**
     * The repository a browser visiting {@code modulePath} should see: as {@link #find}, with Gitblit's right to
     * view instead of the right to clone. {@code null} when there is none for this caller.
     */
    RepositoryModel findViewable(Caller caller, String modulePath, HttpServletRequest request) {
        HostedRepository found = resolver.resolve(caller, namespace.of(request), modulePath,
                (c, name, root) -> admit(c, name, root, true));
        return found == null ? null : ((GitblitRepository) found).model();
    }

    private GitblitRepository admit(Caller caller, String name, String rootModulePath, boolean viewOnly) {
        UserModel user = userOf(caller);
        if (user == null) {
            return null;
        }
        RepositoryModel model = repositories.getRepositoryModel(name);
        if (model == null || !model.name.equals(name)) {
            return null;
        }
        if (!inProject(model) || !goSwitch.isEnabled(model)
                || !(viewOnly ? user.canView(model) : user.canClone(model))) {
            return null;
        }
        return new GitblitRepository(repositories, model, rootModulePath, anonymousReadable(model));
    }

    /**
     * The repository {@code name} as the Go pages use it: Go on and the user may clone it; else {@code null}, as
     * for a repository that does not exist. The name must match Gitblit's exactly.
     */
    HostedRepository pageRepository(UserModel user, String name, String namespace) {
        RepositoryModel model = repositories.getRepositoryModel(name);
        if (model == null || !model.name.equals(name) || !inProject(model) || !goSwitch.isEnabled(model)
                || !user.canClone(model)) {
            return null;
        }
        return new GitblitRepository(repositories, model, rootModulePath(namespace, name), anonymousReadable(model));
    }

    static String rootModulePath(String namespace, String name) {
        String path = RepositoryNames.withoutDotGit(name);
        return namespace.isEmpty() ? path : namespace + "/" + path;
    }

    /** Whether Go is on for a repository (its own switch, else the instance default). */
    boolean goEnabled(RepositoryModel model) {
        return goSwitch.isEnabled(model);
    }

    /** Gitblit's repositories changed: the resolver reads their names afresh. */
    void repositoriesChanged() {
        resolver.invalidate();
    }

    private boolean inProject(RepositoryModel model) {
        if (project == null) {
            return true;
        }
        String first = RepositoryNames.firstElement(model.name);
        if (first.isEmpty()) {
            return project.equalsIgnoreCase(settings.getString(Keys.web.repositoryRootGroupName, "main"));
        }
        return project.equalsIgnoreCase(first);
    }

    private UserModel userOf(Caller caller) {
        if (caller.isAnonymous()) {
            // With web.authenticateViewPages, Gitblit shows nothing to anonymous visitors; neither do we.
            return settings.getBoolean(Keys.web.authenticateViewPages, false) ? null : UserModel.ANONYMOUS;
        }
        return (UserModel) caller.principal();
    }

    private boolean anonymousReadable(RepositoryModel model) {
        return !settings.getBoolean(Keys.web.authenticateViewPages, false) && UserModel.ANONYMOUS.canClone(model);
    }

    /** Gitblit always has accounts and permissions: an anonymous miss is answered with a challenge. */
    @Override
    public boolean hidesRepositories() {
        return true;
    }

    @Override
    public String realm() {
        return Constants.NAME;
    }
}
