package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.metrics.PrometheusMetrics;
import com.gitblit.plugin.goproxy.proxy.OperatorRoutes;
import com.gitblit.plugin.goproxy.proxy.PlainText;

/**
 * Who may read {@code /go/-/metrics} on the standalone server: whoever presents the bearer token of
 * {@code --metrics-token-file}. The standalone server has no administrators, so without a token there is no
 * metrics route at all (404, like any unknown path); a wrong or missing token is 401.
 */
final class OperatorAccess {
    private final String token;

    OperatorAccess(String token) {
        this.token = token;
    }

    void metrics(PrometheusMetrics metrics, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (token == null) {
            PlainText.write(response, HttpServletResponse.SC_NOT_FOUND, "not found");
            return;
        }
        if (!OperatorRoutes.bearerMatches(request, token)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"goproxy metrics\"");
            PlainText.write(response, HttpServletResponse.SC_UNAUTHORIZED,
                    "the metrics need the bearer token of --metrics-token-file");
            return;
        }
        OperatorRoutes.metrics(metrics, request, response);
    }
}
