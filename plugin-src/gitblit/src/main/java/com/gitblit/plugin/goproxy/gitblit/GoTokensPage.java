package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.Keys;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.token.TokenRecord;
import com.gitblit.plugin.goproxy.token.TokenStore;
import com.gitblit.wicket.GitBlitWebSession;
import com.gitblit.wicket.pages.RootSubPage;
import java.io.IOException;
import java.net.URI;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.WebMarkupContainer;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.form.Form;
import org.apache.wicket.markup.html.form.TextField;
import org.apache.wicket.markup.html.link.Link;
import org.apache.wicket.markup.html.list.ListItem;
import org.apache.wicket.markup.html.list.ListView;
import org.apache.wicket.model.LoadableDetachableModel;
import org.apache.wicket.model.Model;
import org.apache.wicket.protocol.http.WebRequest;

/**
 * The Go access tokens of the signed-in user (mounted at {@value #MOUNT}, in the user menu): create one with a
 * name and an optional lifetime in days, see it once with its {@code .netrc} line, list and revoke. Administrators
 * see and may revoke everyone's tokens. The new token's text lives only in a transient field for the one render
 * that shows it: Wicket stores pages in the session and on disk, and a token must only ever be stored as a hash.
 */
public class GoTokensPage extends RootSubPage {
    private static final long serialVersionUID = 1L;
    static final String TITLE = "Go access tokens";
    static final String MOUNT = "/gotokens";

    private final Model<String> name = Model.of("");
    private final Model<String> days = Model.of("");
    private final Model<String> message = Model.of("");
    private transient String shownToken;
    private transient String shownNetrc;

    public GoTokensPage() {
        this(new PageParameters());
    }

    public GoTokensPage(PageParameters params) {
        super(params);
        setupPage(TITLE, "");
        UserModel user = GitBlitWebSession.get().getUser();
        if (user == null || !user.isAuthenticated()) {
            authenticationError("Please sign in to manage your Go access tokens");
            return;
        }
        add(new Label("message", message) {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean isVisible() {
                return !message.getObject().isEmpty();
            }
        });
        add(new Label("off", "Go access tokens are switched off on this server (goproxy.accessTokens), or the Go"
                + " proxy is not running.") {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean isVisible() {
                return tokens() == null;
            }
        });
        add(createdPanel());
        add(createForm());
        add(tokenList());
    }

    private WebMarkupContainer createdPanel() {
        WebMarkupContainer created = new WebMarkupContainer("created") {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean isVisible() {
                return shownToken != null;
            }
        };
        created.add(new Label("token", new LoadableDetachableModel<String>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected String load() {
                return shownToken;
            }
        }));
        created.add(new Label("netrc", new LoadableDetachableModel<String>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected String load() {
                return shownNetrc;
            }
        }));
        return created;
    }

    private Form<Void> createForm() {
        Form<Void> form = new Form<Void>("createForm") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onSubmit() {
                create();
            }

            @Override
            public boolean isVisible() {
                return tokens() != null;
            }
        };
        form.add(new TextField<String>("name", name));
        form.add(new TextField<String>("days", days));
        return form;
    }

    private void create() {
        GitblitTokens tokens = tokens();
        UserModel user = GitBlitWebSession.get().getUser();
        if (tokens == null || user == null) {
            return;
        }
        String tokenName = name.getObject() == null ? "" : name.getObject().trim();
        String lifetime = days.getObject() == null ? "" : days.getObject().trim();
        long expires = 0;
        if (!lifetime.isEmpty()) {
            try {
                int n = Integer.parseInt(lifetime);
                if (n < 1 || n > 3660) {
                    throw new NumberFormatException();
                }
                expires = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(n);
            } catch (NumberFormatException e) {
                message.setObject("The lifetime is a number of days from 1 to 3660, or empty for no expiry.");
                return;
            }
        }
        try {
            TokenStore.Created c = tokens.store().create(user.username, GitblitTokens.anchorOf(user), tokenName, expires);
            shownToken = c.token.text();
            shownNetrc = "machine " + host() + " login " + user.username + " password " + c.token.text();
            message.setObject("");
            name.setObject("");
            days.setObject("");
        } catch (IllegalArgumentException e) {
            message.setObject(e.getMessage());
        } catch (IOException e) {
            logger().error("goproxy: could not store a new Go access token: {}", e.toString());
            message.setObject("The token could not be stored: see the server log.");
        }
    }

    private ListView<TokenRecord> tokenList() {
        final boolean admin = GitBlitWebSession.get().canAdmin();
        LoadableDetachableModel<List<TokenRecord>> rows = new LoadableDetachableModel<List<TokenRecord>>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected List<TokenRecord> load() {
                GitblitTokens tokens = tokens();
                UserModel user = GitBlitWebSession.get().getUser();
                if (tokens == null || user == null) {
                    return Collections.emptyList();
                }
                return new ArrayList<>(admin ? tokens.store().list() : tokens.tokensOf(user));
            }
        };
        return new ListView<TokenRecord>("token", rows) {
            private static final long serialVersionUID = 1L;

            @Override
            protected void populateItem(ListItem<TokenRecord> item) {
                final TokenRecord r = item.getModelObject();
                final String id = r.id();
                item.add(new Label("owner", r.owner()));
                item.add(new Label("name", r.name()));
                item.add(new Label("id", id));
                item.add(new Label("createdAt", time(r.created(), "")));
                item.add(new Label("lastUsed", time(r.lastUsed(), "never")));
                item.add(new Label("expires", r.expires() == 0 ? "never"
                        : time(r.expires(), "") + (r.isExpired(System.currentTimeMillis()) ? " (expired)" : "")));
                item.add(new Link<Void>("revoke") {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public void onClick() {
                        revoke(id);
                    }
                });
            }
        };
    }

    private void revoke(String id) {
        GitblitTokens tokens = tokens();
        UserModel user = GitBlitWebSession.get().getUser();
        if (tokens == null || user == null) {
            return;
        }
        TokenRecord r = tokens.store().get(id);
        if (r == null || !(user.canAdmin() || r.owner().equalsIgnoreCase(user.username))) {
            message.setObject("No such token.");
            return;
        }
        try {
            tokens.store().revoke(id);
            message.setObject("Revoked the token \"" + r.name() + "\" (" + id + ") of " + r.owner() + ".");
        } catch (IOException e) {
            logger().error("goproxy: could not revoke Go access token {}: {}", id, e.toString());
            message.setObject("The token could not be revoked: see the server log.");
        }
    }

    @Override
    protected void onAfterRender() {
        super.onAfterRender();
        // Shown once: the next render of this page (a reload, a revoke) no longer has it.
        shownToken = null;
        shownNetrc = null;
    }

    /** The host name the go command contacts: web.canonicalUrl's, else this request's. */
    private String host() {
        String canonical = app().settings().getString(Keys.web.canonicalUrl, "").trim();
        if (!canonical.isEmpty()) {
            try {
                String h = URI.create(canonical).getHost();
                if (h != null) {
                    return h;
                }
            } catch (IllegalArgumentException e) {
                // fall back to the request
            }
        }
        return ((WebRequest) getRequest()).getHttpServletRequest().getServerName();
    }

    private static GitblitTokens tokens() {
        GoProxyRuntime runtime = GoProxyRuntime.latest();
        return runtime == null ? null : runtime.tokens();
    }

    private static String time(long millis, String none) {
        if (millis == 0) {
            return none;
        }
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }
}
