package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;

import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.form.Form;
import org.apache.wicket.markup.html.link.BookmarkablePageLink;

import com.gitblit.models.UserModel;
import com.gitblit.wicket.pages.RootPage;

/**
 * The confirmation step of an administrator's act: what it does (for a forget, what it does to clients whose
 * go.sum holds the old hash), the state it changes, and a form whose submission runs it. Not mounted: reached only
 * through a form of {@link GoAdminModulePage}, and the administrator is checked again when it is submitted.
 */
public class GoAdminConfirmPage extends RootPage {
    private static final long serialVersionUID = 1L;

    GoAdminConfirmPage(final GoAdminAct act) {
        super(GoAdminPages.admitted(new PageParameters()));
        setupPage("", "Go admin");
        add(new Label("adminTitle", act.title()));
        add(new Label("adminExplanation", act.explanation()));
        String state;
        try {
            state = act.currentState();
        } catch (IOException e) {
            state = e.getMessage();
        }
        add(new Label("adminState", state));
        Form<Void> form = new Form<Void>("adminConfirmForm") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onSubmit() {
                UserModel who = GoAdminPages.administrator();
                String outcome;
                try {
                    outcome = act.run(who);
                } catch (IOException e) {
                    outcome = "Failed: " + e.getMessage();
                }
                setResponsePage(act.onOverview() ? new GoAdminPage(new PageParameters(), outcome)
                        : new GoAdminModulePage(act.moduleParameters(), outcome));
            }
        };
        form.add(act.onOverview() ? new BookmarkablePageLink<Void>("adminCancel", GoAdminPage.class)
                : new BookmarkablePageLink<Void>("adminCancel", GoAdminModulePage.class, act.moduleParameters()));
        add(form);
    }
}
