# Varnish (Debian's varnish 7.x) in front of gunicorn for the KPU Jawa Tengah site.
# How the cache layers fit together: docs/caching.md. Tested by tests/test_cache_stack.py.
#
#   varnishd -f /etc/varnish/kpu.vcl -a 127.0.0.1:6081 -s malloc,256m
#   app environment: FRONTEND_CACHE_URL=http://127.0.0.1:6081
#
# The TLS-terminating nginx sends plain HTTP here with X-Forwarded-Proto; Varnish passes it on to
# gunicorn (127.0.0.1:8000 below). The application says what may be shared: it marks cacheable
# anonymous pages "Cache-Control: public, max-age=0, s-maxage=<PAGE_CACHE_SECONDS>" and sends an
# HTTP PURGE from 127.0.0.1 after every change that the public can see.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# Who may purge: the application servers (add their addresses when they run on other machines).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # A change shows on its page, listings, feeds, the sitemap and the home page: the site is
        # invalidated as a whole, as the application's own cache does (kpu_pages/page_cache.py).
        # "obj.*" only: Varnish's ban lurker clears the banned objects in the background.
        ban("obj.status != 0");
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|cari|documents)/" || req.http.Authorization) {
        return (pass);
    }
    # Django's CSRF cookie changes no page; any other cookie (an editor's session, a page password,
    # pending messages) means the answer is for this visitor only.
    if (req.http.Cookie) {
        set req.http.Cookie = regsuball(req.http.Cookie, "(^|;)\s*csrftoken=[^;]*", "");
        set req.http.Cookie = regsub(req.http.Cookie, "^[;\s]+", "");
        if (req.http.Cookie ~ "^\s*$") {
            unset req.http.Cookie;
        } else {
            return (pass);
        }
    }
    return (hash);
}

sub vcl_hash {
    # http:// answers (redirects to https://) and https:// pages are different objects.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # Keep only what the application marks public (cacheable pages, whitenoise's static files).
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Otherwise Varnish's built-in rules apply: the TTL is s-maxage, then max-age.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Proxy-Cache = "HIT";
    } else {
        set resp.http.X-Proxy-Cache = "MISS";
    }
}
