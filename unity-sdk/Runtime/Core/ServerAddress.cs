using System;

namespace Koto.Live.Core
{
    /// <summary>
    /// The server's public address, path prefix included: <c>https://example.com/koto-api</c> behind
    /// Caddy, <c>http://127.0.0.1:5000</c> in development. The HTTP API and the Colyseus endpoint both
    /// live under it (Colyseus' Unity client keeps the path of the URL it is given).
    /// </summary>
    public sealed class ServerAddress
    {
        public ServerAddress(string url)
        {
            if (string.IsNullOrEmpty(url)) throw new ArgumentException("give the server address, e.g. https://example.com/koto-api", "url");
            Uri parsed;
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out parsed)) throw new ArgumentException("\"" + url + "\" is not an absolute URL", "url");
            string scheme = parsed.Scheme.ToLowerInvariant();
            if (scheme == "ws") scheme = "http";
            if (scheme == "wss") scheme = "https";
            if (scheme != "http" && scheme != "https") throw new ArgumentException("the server address must start with http(s):// or ws(s)://", "url");
            if (!string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment)) throw new ArgumentException("the server address takes no ?query or #fragment", "url");
            var builder = new UriBuilder(parsed) { Scheme = scheme };
            if (parsed.IsDefaultPort) builder.Port = -1;
            HttpBase = builder.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
            IsSecure = scheme == "https";
        }

        /// <summary>http(s)://host[:port][/prefix], without a trailing slash.</summary>
        public string HttpBase { get; private set; }

        public bool IsSecure { get; private set; }

        /// <summary>What to give Colyseus' <c>new Client(…)</c>: the same address (it derives ws/wss itself).</summary>
        public string ColyseusEndpoint { get { return HttpBase; } }

        /// <summary>An API URL: <c>Api("/api/lessons")</c> → <c>https://example.com/koto-api/api/lessons</c>.</summary>
        public string Api(string path)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/') throw new ArgumentException("API paths start with /", "path");
            return HttpBase + path;
        }
    }
}
