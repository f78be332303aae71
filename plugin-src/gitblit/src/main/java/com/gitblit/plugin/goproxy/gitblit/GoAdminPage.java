package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.form.Form;

import com.gitblit.plugin.goproxy.admin.AdminActions;
import com.gitblit.plugin.goproxy.admin.AdminOverview;
import com.gitblit.plugin.goproxy.admin.AuditLog;
import com.gitblit.wicket.WicketUtils;
import com.gitblit.wicket.pages.RootPage;

/**
 * "Go admin": the instance's totals (cache against its limit, hit ratio, evictions, builds, recent failures), every
 * module with pinned versions by repository, the third-party modules the dependency proxy keeps, and the last
 * administrators' acts. Gitblit administrators only ({@link GoAdminPages}).
 */
public class GoAdminPage extends RootPage {
    private static final long serialVersionUID = 1L;
    private static final int AUDIT_LINES = 20;

    public GoAdminPage(PageParameters params) {
        this(params, null);
    }

    /** After an act: the page again, with the act's outcome on top. */
    GoAdminPage(PageParameters params, String outcome) {
        super(GoAdminPages.admitted(params));
        setupPage("", "Go admin");
        add(new Label("adminOutcome", outcome == null ? "" : outcome).setVisible(outcome != null));
        String totals;
        String failures;
        String modules;
        String thirdParty;
        try {
            AdminOverview o = GoAdminPages.model().overview();
            totals = GoAdminHtml.totals(o.totals());
            failures = GoAdminHtml.failures(o.totals().failures());
            modules = GoAdminHtml.modules(o.modules(), (repository, module) -> {
                PageParameters p = WicketUtils.newRepositoryParameter(repository);
                p.put("m", module);
                return urlFor(GoAdminModulePage.class, p).toString();
            });
            thirdParty = GoAdminHtml.thirdParty(o.thirdParty(), o.totals().thirdPartyOn());
        } catch (IOException e) {
            totals = "<p class=\"go-error\">" + GoHtml.text(e.getMessage()) + "</p>";
            failures = "";
            modules = "";
            thirdParty = "";
        }
        List<AuditLog.Line> audit;
        try {
            AdminActions actions = GoAdminPages.actions();
            audit = actions == null ? Collections.<AuditLog.Line>emptyList() : actions.audit().recent(AUDIT_LINES);
        } catch (IOException e) {
            audit = Collections.emptyList();
        }
        add(new Label("adminTotals", totals).setEscapeModelStrings(false));
        add(new Label("adminFailures", failures).setEscapeModelStrings(false));
        add(new Label("adminModules", modules).setEscapeModelStrings(false));
        add(new Label("adminThirdParty", thirdParty).setEscapeModelStrings(false));
        add(new Label("adminAudit", GoAdminHtml.audit(audit)).setEscapeModelStrings(false));
        GoAdminPages.service();
        add(new Label("adminVerification", GoAdminHtml.verification(GoProxyRuntime.latest().ledgerVerification()))
                .setEscapeModelStrings(false));
        add(new Form<Void>("verifyForm") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onSubmit() {
                GoAdminPages.administrator();
                setResponsePage(new GoAdminConfirmPage(new GoAdminAct(GoAdminAct.Kind.VERIFY, null, null, null)));
            }
        });
    }
}
