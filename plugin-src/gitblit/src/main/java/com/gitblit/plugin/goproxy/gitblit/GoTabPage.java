package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;

import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.WebMarkupContainer;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.form.Button;
import org.apache.wicket.markup.html.form.Form;
import org.apache.wicket.markup.html.link.BookmarkablePageLink;
import org.apache.wicket.model.LoadableDetachableModel;

import com.gitblit.GitBlitException;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.wicket.WicketUtils;
import com.gitblit.wicket.pages.RepositoryPage;

/**
 * A repository's "Go" tab: its modules with latest version, {@code go get} line and versions; for those who may
 * push, the tags the proxy leaves out and why; for owners and administrators, the on/off switch. Who reaches
 * it: {@link GoPageData#tabRepository}; everyone else gets the 404 of a repository that does not exist, decided
 * before Gitblit's own repository page code runs (which would tell "unauthorized" from "not found").
 */
public class GoTabPage extends RepositoryPage {
    private static final long serialVersionUID = 1L;

    public GoTabPage(PageParameters params) {
        super(admitted(params));
        GoPageData data = GoPages.data();
        UserModel viewer = GoPages.viewer(data);
        RepositoryModel model = data.tabRepository(viewer, repositoryName);
        if (model == null) {
            throw GoPages.notFound();
        }
        boolean admin = data.mayAdminister(viewer, model);
        add(switchPanel(data, model, admin));
        // Built when rendered and dropped after: the page Wicket keeps in the session (one per anonymous view)
        // must not hold the megabytes of a tab with thousands of versions.
        add(new Label("modules", new LoadableDetachableModel<String>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected String load() {
                return modules();
            }
        }).setEscapeModelStrings(false));
        add(new BookmarkablePageLink<Void>("setupLink", GoSetupPage.class));
    }

    private String modules() {
        GoPageData data = GoPages.data();
        UserModel viewer = GoPages.viewer(data);
        RepositoryModel model = data.tabRepository(viewer, repositoryName);
        if (model == null) {
            return ""; // no longer reachable for this viewer (a stored page shown again): nothing to tell
        }
        HostedRepository hosted = data.repository(viewer, repositoryName, GoPages.request());
        if (hosted == null) {
            return "<p class=\"go-off\">Go is off for this repository: its modules are not served and nobody else"
                    + " sees this tab.</p>";
        }
        try {
            return GoHtml.modules(data.catalog().modules(hosted, viewer.canPush(model)),
                    GoPages.links(this, repositoryName));
        } catch (ServiceFailure | IOException e) {
            return "<p class=\"go-error\">" + GoHtml.text(e.getMessage()) + "</p>";
        }
    }

    /** Runs before Gitblit's repository page: a repository the viewer may not reach is simply not found. */
    private static PageParameters admitted(PageParameters params) {
        GoPageData data = GoPages.data();
        if (data.tabRepository(GoPages.viewer(data), WicketUtils.getRepositoryName(params)) == null) {
            throw GoPages.notFound();
        }
        return params;
    }

    private WebMarkupContainer switchPanel(GoPageData data, RepositoryModel model, boolean admin) {
        WebMarkupContainer panel = new WebMarkupContainer("switchPanel");
        panel.setVisible(admin);
        if (!admin) {
            return panel;
        }
        Boolean own = GoPageData.ownSetting(model);
        String state = "Go module proxy: " + (data.goEnabled(model) ? "on" : "off") + " for this repository ("
                + (own == null ? "follows the instance default" : "set for this repository") + "); instance default: "
                + (data.defaultOn() ? "on" : "off") + ".";
        panel.add(new Label("switchState", state));
        Form<Void> form = new Form<Void>("switchForm");
        form.add(switchButton("switchOn", Boolean.TRUE));
        form.add(switchButton("switchOff", Boolean.FALSE));
        form.add(switchButton("switchDefault", null));
        panel.add(form);
        return panel;
    }

    private Button switchButton(String id, final Boolean value) {
        return new Button(id) {
            private static final long serialVersionUID = 1L;

            @Override
            public void onSubmit() {
                GoPageData data = GoPages.data();
                try {
                    data.setSwitch(GoPages.viewer(data), repositoryName, value);
                } catch (GitBlitException e) {
                    throw GoPages.notFound();
                }
                setResponsePage(GoTabPage.class, WicketUtils.newRepositoryParameter(repositoryName));
            }
        };
    }

    @Override
    protected String getPageName() {
        return "Go";
    }
}
