package dev.gatehouse.config;

import java.net.URI;
import java.util.Locale;

/**
 * Where plain http is tolerated: hosts that cannot leave the machine. Only literal loopback names count —
 * {@code localhost}, {@code 127.x.y.z} with four decimal octets, {@code [::1]} — never a name that merely starts
 * like one ({@code 127.evil.example}, {@code localhost.example}).
 */
public final class LoopbackHosts {
    private LoopbackHosts() {
    }

    /** True for a literal loopback host as {@link URI#getHost()} reports it. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]")) {
            return true;
        }
        String[] octets = h.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String o : octets) {
            if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** True for an {@code https} URL, or an {@code http} one to a loopback host. */
    public static boolean httpsOrLoopback(String url) {
        try {
            URI uri = new URI(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null
                    || "http".equals(uri.getScheme()) && isLoopback(uri.getHost());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
