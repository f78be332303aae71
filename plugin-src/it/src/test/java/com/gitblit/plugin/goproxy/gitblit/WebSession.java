package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser session on Gitblit's Wicket pages over real HTTP: cookies kept, redirects followed, forms found in
 * the rendered HTML and posted with their hidden fields, as a browser would.
 */
final class WebSession {
    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern ATTR = Pattern.compile("(\\w[\\w:-]*)=\"([^\"]*)\"");
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>");

    private final URI base;
    private final HttpClient client;
    private URI current;
    private String html = "";

    WebSession(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Opens a page below the base; returns its HTML. */
    String open(String path) throws IOException, InterruptedException {
        return load(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    String html() {
        return html;
    }

    /** Signs in with Gitblit's header login form. */
    void signIn(String user, String password) throws IOException, InterruptedException {
        open("/");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", user);
        fields.put("password", password);
        submit("name=\"username\"", fields);
        if (!html.contains(user)) {
            throw new IllegalStateException("sign-in as " + user + " failed:\n" + html);
        }
    }

    /** Posts the form of the current page whose HTML contains {@code marker}, with these fields set. */
    String submit(String marker, Map<String, String> values) throws IOException, InterruptedException {
        Matcher m = FORM.matcher(html);
        while (m.find()) {
            if (!m.group(0).contains(marker)) {
                continue;
            }
            String action = attributes(m.group(1)).get("action");
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher in = INPUT.matcher(m.group(2));
            while (in.find()) {
                Map<String, String> a = attributes(in.group(1));
                if (a.containsKey("name") && !"submit".equals(a.get("type"))) {
                    fields.put(a.get("name"), a.getOrDefault("value", ""));
                }
            }
            fields.putAll(values);
            StringBuilder body = new StringBuilder();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
            return load(HttpRequest.newBuilder(current.resolve(unescape(action)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        }
        throw new IllegalStateException("no form with " + marker + " on " + current + ":\n" + html);
    }

    /** Follows the first link whose tag contains {@code marker}. */
    String follow(String marker) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("<a\\b([^>]*)>").matcher(html);
        while (m.find()) {
            if (m.group(0).contains(marker)) {
                String href = attributes(m.group(1)).get("href");
                return load(HttpRequest.newBuilder(current.resolve(unescape(href))).GET().build());
            }
        }
        throw new IllegalStateException("no link with " + marker + " on " + current + ":\n" + html);
    }

    private String load(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ":\n" + r.body());
        }
        current = r.uri();
        html = r.body();
        return html;
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> a = new LinkedHashMap<>();
        Matcher m = ATTR.matcher(tag);
        while (m.find()) {
            a.put(m.group(1), m.group(2));
        }
        return a;
    }

    static String unescape(String s) {
        return s.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    }
}
