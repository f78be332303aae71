package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP and HTTPS to one Gitblit on 127.0.0.1: its two base URLs and a client (HTTP/1.1, no redirects) that trusts
 * the {@link TestPki} CA its HTTPS certificate is signed by. A request that fails carries the Gitblit log tail.
 */
public final class GitblitHttp {
    private final int httpPort;
    private final int httpsPort;
    private final HttpClient client;
    private final Supplier<String> logTail;

    GitblitHttp(int httpPort, int httpsPort, TestPki pki, Supplier<String> logTail) {
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.logTail = logTail;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(trusting(pki))
                .build();
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** {@code https://127.0.0.1:PORT} (no trailing slash). */
    public URI httpsUrl() {
        return URI.create("https://127.0.0.1:" + httpsPort);
    }

    /** 0 when the instance serves plain HTTP only. */
    public int httpsPort() {
        return httpsPort;
    }

    public HttpClient client() {
        return client;
    }

    /** GET {@code base + path} without credentials. */
    public HttpResponse<String> get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    /** GET {@code base + path} with Basic credentials. */
    public HttpResponse<String> get(URI base, String path, String user, String password) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().header("Authorization", basic(user, password)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed; Gitblit log tail:\n"
                    + logTail.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of an {@code Authorization: Basic} header. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(TestPki pki) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(pki.trustStore());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
