package com.gitblit.plugin.goproxy.testing;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;

/** Gitblit's JSON RPC ({@code /rpc/?req=...}) as {@code admin}: repositories, users, permissions. */
public final class GitblitRpc {
    private final GitblitHttp http;
    private final Supplier<String> logTail;
    private final Gson gson = new Gson();

    GitblitRpc(GitblitHttp http, Supplier<String> logTail) {
        this.http = http;
        this.logTail = logTail;
    }

    /** Creates a bare repository ({@code name} like {@code team/lib.git}) with the given access rules. */
    public void createRepository(String name, Restriction restriction, Authorization authorization,
            Map<String, String> customFields) {
        JsonObject model = new JsonObject();
        model.addProperty("name", name);
        model.addProperty("isBare", true);
        model.addProperty("accessRestriction", restriction.name());
        model.addProperty("authorizationControl", authorization.name());
        if (customFields != null && !customFields.isEmpty()) {
            JsonObject fields = new JsonObject();
            customFields.forEach(fields::addProperty);
            model.add("customFields", fields);
        }
        call("CREATE_REPOSITORY", null, model.toString());
    }

    /** Creates a local account (RPC {@code CREATE_USER}). */
    public void createUser(String username, String password) {
        JsonObject user = new JsonObject();
        user.addProperty("username", username);
        user.addProperty("password", password);
        user.addProperty("isAuthenticated", true);
        user.addProperty("accountType", "LOCAL");
        user.add("repositories", new JsonArray());
        user.add("permissions", new JsonObject());
        user.add("teams", new JsonArray());
        call("CREATE_USER", null, user.toString());
    }

    /** Gives {@code username} an explicit permission on {@code repository} (RPC {@code SET_REPOSITORY_MEMBER_PERMISSIONS}). */
    public void setUserPermission(String repository, String username, Permission permission) {
        JsonObject entry = new JsonObject();
        entry.addProperty("registrant", username);
        entry.addProperty("permission", permission.code);
        entry.addProperty("registrantType", "USER");
        entry.addProperty("permissionType", "EXPLICIT");
        entry.addProperty("mutable", true);
        JsonArray list = new JsonArray();
        list.add(entry);
        String answer = call("SET_REPOSITORY_MEMBER_PERMISSIONS", repository, list.toString());
        if (!"true".equals(answer.trim())) {
            throw new IllegalStateException("Gitblit did not set " + username + " " + permission + " on " + repository
                    + ": " + answer);
        }
    }

    /** Repository models as Gitblit's RPC {@code LIST_REPOSITORIES} returns them (keyed by clone URL). */
    public JsonObject listRepositories() {
        return gson.fromJson(call("LIST_REPOSITORIES", null, null), JsonObject.class);
    }

    /** One admin RPC call; returns the response body, fails unless 200. */
    public String call(String request, String name, String jsonBody) {
        StringBuilder path = new StringBuilder("/rpc/?req=").append(request);
        if (name != null) {
            path.append("&name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(http.httpUrl().resolve(path.toString()))
                .header("Authorization", GitblitHttp.basic(GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD))
                // Without this Jetty reads the body as form parameters and the RPC servlet fails.
                .header("Content-Type", "application/json; charset=utf-8");
        b = jsonBody == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        HttpResponse<String> rsp = http.send(b.build());
        if (rsp.statusCode() != 200) {
            throw new IllegalStateException("Gitblit RPC " + request + (name == null ? "" : " " + name) + " answered "
                    + rsp.statusCode() + ": " + rsp.body() + "\nGitblit log tail:\n" + logTail.get());
        }
        return rsp.body();
    }
}
