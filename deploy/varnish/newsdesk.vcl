# Newsdesk's page cache in front of gunicorn, behind nginx (which terminates TLS and serves /static/ and
# /media/ itself). Debian: apt-get install varnish varnish-modules. Install as /etc/varnish/newsdesk.vcl;
# the unit is deploy/systemd/newsdesk-varnish.service. deploy/check starts Varnish with this very file.
#
# - Anonymous GET and HEAD requests are cached by the page's own Cache-Control (s-maxage); anything from a
#   signed-in member of staff, and the desk itself, goes straight to the application.
# - Every page carries the keys of what it shows in `xkey`; each committed change on the desk sends one
#   PURGE naming its keys (NEWSDESK_PURGE_URLS): every page carrying any of them is dropped at once, or,
#   for a change that only adds (a publish), served as it was while one request renders it again.
# - Grace: while the application is down, readers get the last copy for up to a day; while it is up, a
#   page just past its s-maxage is served as it was for 10 s more while one request renders it again.
#   Concurrent requests for a page being rendered wait for that one render (Varnish's waiting list).
vcl 4.1;

import std;
import xkey;

backend newsdesk {
    .path = "/run/newsdesk/gunicorn.sock";
    .first_byte_timeout = 60s;
    .probe = {
        # As nginx asks: the site's own name (ALLOWED_HOSTS), over HTTPS (else Django redirects).
        .request = "GET /healthz HTTP/1.1"
                   "Host: news.hospital.example"
                   "X-Forwarded-Proto: https"
                   "Connection: close";
        # Down only when 4 of the last 5 probes failed: a pool busy with slow pages is not down.
        .interval = 2s;
        .timeout = 2s;
        .window = 5;
        .threshold = 2;
    }
}

# Only the application's own hosts may purge.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the application only."));
        }
        if (!req.http.xkey-purge && !req.http.xkey-softpurge) {
            return (synth(400, "Name the keys in xkey-purge (gone at once) or xkey-softpurge (rendered again)."));
        }
        # Pages that may have lost something go at once; pages that only gain are served as they were
        # (grace) while one request renders them again.
        set req.http.n-gone = 0;
        set req.http.n-stale = 0;
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        }
        if (req.http.xkey-softpurge) {
            set req.http.n-stale = xkey.softpurge(req.http.xkey-softpurge);
        }
        return (synth(200, "Purged " + req.http.n-gone + " pages, marked " + req.http.n-stale + " stale."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|news/preview|healthz)(/|$)" || req.http.Authorization) {
        return (pass);
    }
    # Signed in (the session cookie): never a shared copy. Anyone else's cookies mean nothing to a page.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Only what Django marked for shared caches (public pages carry their keys); never a response that
    # sets a cookie.
    if (beresp.http.Set-Cookie || !beresp.http.xkey || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.grace = 24h;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
