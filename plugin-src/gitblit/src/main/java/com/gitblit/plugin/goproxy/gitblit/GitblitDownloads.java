package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.DownloadSlots;
import com.gitblit.plugin.goproxy.proxy.AsyncBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Module downloads on Gitblit take a {@link DownloadSlots} slot while they stream, so that clients reading zips
 * slowly on purpose cannot hold all of Gitblit's worker threads ({@code server.threadPoolSize}, 50 by default),
 * which its web pages and git need too. Without a slot a download is answered 429 (this client holds too many)
 * or 503 (the plugin's share of the threads is in use), with Retry-After, at once.
 */
final class GitblitDownloads {
    /** Gitblit's own default for {@code server.threadPoolSize}. */
    private static final int GITBLIT_THREADS = 50;

    interface Download {
        void run() throws IOException;
    }

    private final DownloadSlots slots;
    private final ClientAddresses addresses;

    GitblitDownloads(DownloadSlots slots, ClientAddresses addresses) {
        this.slots = slots;
        this.addresses = addresses;
    }

    /** Half of Gitblit's worker threads in all, a quarter of that per client, unless set. */
    static GitblitDownloads create(IStoredSettings settings) {
        int threads = Math.max(8, settings.getInteger("server.threadPoolSize", GITBLIT_THREADS));
        int max = Math.max(1, settings.getInteger(PluginSettings.MAX_DOWNLOADS, threads / 2));
        int perClient = Math.max(1, settings.getInteger(PluginSettings.MAX_DOWNLOADS_PER_CLIENT, Math.max(2, max / 4)));
        ClientAddresses addresses;
        try {
            addresses = PluginSettings.trustedProxies(settings);
        } catch (IllegalArgumentException e) {
            // GoProxyRuntime reports the bad setting and answers 503 until it is fixed: the filter must load.
            addresses = ClientAddresses.direct();
        }
        return new GitblitDownloads(new DownloadSlots(max, perClient), addresses);
    }

    DownloadSlots slots() {
        return slots;
    }

    /** Runs {@code download} in a slot when {@code path} (below a proxy base) is a module download. */
    void run(String path, HttpServletRequest request, HttpServletResponse response, Download download) throws IOException {
        if (!DownloadSlots.isDownload(path)) {
            download.run();
            return;
        }
        String client = addresses.clientOf(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
        DownloadSlots.Slot slot;
        try {
            slot = slots.enter(client);
        } catch (DownloadSlots.Refused e) {
            byte[] body = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            response.setStatus(e.status());
            response.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
            response.setContentType("text/plain; charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        try {
            download.run();
        } finally {
            // Gitblit's filter chain is not asynchronous today, so this releases now; were it, at the end of the body.
            AsyncBody.whenDone(request, slot::close);
        }
    }
}
