package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.form.DropDownChoice;
import org.apache.wicket.markup.html.form.Form;
import org.apache.wicket.markup.html.form.TextField;
import org.apache.wicket.markup.html.link.BookmarkablePageLink;
import org.apache.wicket.model.Model;

import com.gitblit.plugin.goproxy.admin.ModuleInventory;
import com.gitblit.plugin.goproxy.admin.PinnedVersion;
import com.gitblit.wicket.pages.RootPage;

/**
 * One module of one repository for the administrator: its pinned versions (commit, h1 of go.mod and zip, when and
 * how pinned, cached artifacts and last use), what is cached unpinned, and the three acts, each leading to its
 * confirmation ({@link GoAdminConfirmPage}): purge the module's cache, forget a pinned version, build a version now.
 */
public class GoAdminModulePage extends RootPage {
    private static final long serialVersionUID = 1L;

    public GoAdminModulePage(PageParameters params) {
        this(params, null);
    }

    /** After an act: the page again, with the act's outcome on top. */
    GoAdminModulePage(PageParameters params, String outcome) {
        super(GoAdminPages.admitted(params));
        final String repository = GoAdminPages.param(params, "r");
        final String module = GoAdminPages.param(params, "m");
        if (repository == null || module == null) {
            throw GoAdminPages.notFound();
        }
        setupPage("", "Go admin");
        add(new Label("adminModule", module));
        add(new Label("adminRepository", repository));
        add(new Label("adminOutcome", outcome == null ? "" : outcome).setVisible(outcome != null));
        ModuleInventory m;
        String versions;
        try {
            m = GoAdminPages.model().module(repository, module);
            versions = GoAdminHtml.versions(m) + GoAdminHtml.unpinned(m);
        } catch (IOException e) {
            m = null;
            versions = "<p class=\"go-error\">" + GoHtml.text(e.getMessage()) + "</p>";
        }
        add(new Label("adminVersions", versions).setEscapeModelStrings(false));

        add(new Form<Void>("purgeForm") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onSubmit() {
                GoAdminPages.administrator();
                setResponsePage(new GoAdminConfirmPage(
                        new GoAdminAct(GoAdminAct.Kind.PURGE, repository, module, null)));
            }
        });

        List<String> pinned = new ArrayList<>();
        if (m != null) {
            for (PinnedVersion v : m.versions()) {
                pinned.add(v.version());
            }
        }
        final Model<String> forgetVersion = new Model<String>(pinned.isEmpty() ? null : pinned.get(0));
        Form<Void> forget = new Form<Void>("forgetForm") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onSubmit() {
                GoAdminPages.administrator();
                if (forgetVersion.getObject() != null) {
                    setResponsePage(new GoAdminConfirmPage(
                            new GoAdminAct(GoAdminAct.Kind.FORGET, repository, module, forgetVersion.getObject())));
                }
            }
        };
        DropDownChoice<String> choice = new DropDownChoice<String>("forgetVersion", forgetVersion, pinned);
        choice.setNullValid(false);
        forget.add(choice);
        forget.setVisible(!pinned.isEmpty());
        add(forget);

        final Model<String> buildVersion = new Model<String>();
        Form<Void> build = new Form<Void>("buildForm") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onSubmit() {
                GoAdminPages.administrator();
                String v = buildVersion.getObject() == null ? "" : buildVersion.getObject().trim();
                if (!v.isEmpty() && v.length() <= 200) {
                    setResponsePage(new GoAdminConfirmPage(
                            new GoAdminAct(GoAdminAct.Kind.BUILD, repository, module, v)));
                }
            }
        };
        build.add(new TextField<String>("buildVersion", buildVersion));
        add(build);
        add(new BookmarkablePageLink<Void>("overviewLink", GoAdminPage.class));
    }
}
