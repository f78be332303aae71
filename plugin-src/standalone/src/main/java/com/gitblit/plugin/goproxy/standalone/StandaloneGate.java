package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.proxy.AsyncBody;
import com.gitblit.plugin.goproxy.proxy.PlainText;
import com.gitblit.plugin.goproxy.guard.DownloadSlots;

/**
 * What the standalone server checks before the proxy sees a request:
 * <ul>
 *   <li>Basic credentials that arrived over plain HTTP on a listener other hosts can reach (bound to anything but
 *       a loopback address) are refused with 403 (unless {@code --allow-http-credentials}): they may have crossed
 *       the network in clear, and answering them would teach clients that this works. The listener decides, not
 *       the connection: whether a client is "local" is not the question, whether the port is exposed is. The refusal is per request rather than at startup so that one server can
 *       offer public modules over HTTP and private ones over HTTPS. Behind a trusted reverse proxy,
 *       {@code X-Forwarded-Proto: https} counts as HTTPS.</li>
 *   <li>Module downloads take a {@link DownloadSlots} slot for as long as they stream (written asynchronously, to
 *       the end of the asynchronous write); without one they are
 *       answered 429 (this client holds too many) or 503 (the server is at its limit), with Retry-After.</li>
 * </ul>
 */
final class StandaloneGate {
    /** What the gate lets through. */
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    private final ClientAddresses addresses;
    private final DownloadSlots downloads;
    private final boolean allowHttpCredentials;

    /**
     * @param allowHttpCredentials true when Basic credentials may arrive over plain HTTP: the flag was given, or
     *        the plain-HTTP listener is bound to a loopback address (nothing crosses a network)
     */
    StandaloneGate(ClientAddresses addresses, DownloadSlots downloads, boolean allowHttpCredentials) {
        this.addresses = addresses;
        this.downloads = downloads;
        this.allowHttpCredentials = allowHttpCredentials;
    }

    void handle(String path, HttpServletRequest request, HttpServletResponse response, Handler next) throws IOException {
        if (!allowHttpCredentials && request.getHeader("Authorization") != null && !secure(request)) {
            plain(response, HttpServletResponse.SC_FORBIDDEN, "credentials over plain HTTP are refused here:"
                    + " use this proxy's https:// address (the password crossed the network in clear)", 0);
            return;
        }
        if (!DownloadSlots.isDownload(path)) {
            next.handle(request, response);
            return;
        }
        String client = addresses.clientOf(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
        DownloadSlots.Slot slot;
        try {
            slot = downloads.enter(client);
        } catch (DownloadSlots.Refused e) {
            plain(response, e.status(), e.getMessage(), e.retryAfterSeconds());
            return;
        }
        try {
            next.handle(request, response);
        } finally {
            // A stored download goes on asynchronously after the handler returns: the slot lasts as long.
            AsyncBody.whenDone(request, slot::close);
        }
    }

    private boolean secure(HttpServletRequest request) {
        return request.isSecure() || (addresses.isTrustedProxy(request.getRemoteAddr())
                && "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto")));
    }

    /** Whether a listener bound to {@code host} can only be reached from this machine. */
    static boolean isLoopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void plain(HttpServletResponse response, int status, String message, int retryAfter) throws IOException {
        if (retryAfter > 0) {
            response.setHeader("Retry-After", Integer.toString(retryAfter));
        }
        PlainText.write(response, status, message);
    }
}
