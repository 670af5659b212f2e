package dev.gatehouse.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.gatehouse.evidence.ObjectStoreConfig;

/** Reads {@code evidence:} (today only {@code evidence.objectStore}); every unknown key is an error. */
final class EvidenceConfigReader {
    private EvidenceConfigReader() {
    }

    /** The object store settings, or null when {@code evidence.objectStore} is absent. */
    static ObjectStoreConfig read(ConfigNode evidence) {
        evidence.allow("objectStore");
        ConfigNode n = evidence.child("objectStore");
        if (!n.present()) {
            return null;
        }
        n.allow("url", "endpoint", "region", "credentials", "objectLock", "replica", "interval", "alertAfter");
        String[] url = ObjectStoreConfig.parseUrl(n.requiredText("url"));
        String endpoint = n.text("endpoint", null);
        URI endpointUri;
        try {
            endpointUri = endpoint == null ? null : URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(n.key("endpoint") + ": \"" + endpoint + "\" (expected: http(s)://host[:port])");
        }
        ConfigNode c = n.child("credentials");
        if (!c.present()) {
            throw new ConfigException(n.key("credentials") + ": required (env: true, or accessKeyIdFile and "
                    + "secretAccessKeyFile)");
        }
        c.allow("env", "accessKeyIdFile", "secretAccessKeyFile");
        String env = c.text("env", "false");
        if (!env.equals("true") && !env.equals("false")) {
            throw new ConfigException(c.key("env") + ": \"" + env + "\" (expected: true or false)");
        }
        Path idFile = c.path("accessKeyIdFile");
        Path secretFile = c.path("secretAccessKeyFile");
        for (Path file : new Path[] {idFile, secretFile}) {
            if (file != null && !Files.isReadable(file)) {
                throw new ConfigException(c.key(file == idFile ? "accessKeyIdFile" : "secretAccessKeyFile") + ": "
                        + file + " is not a readable file");
            }
        }
        ObjectStoreConfig.ObjectLock lock = null;
        ConfigNode l = n.child("objectLock");
        if (l.present()) {
            l.allow("mode", "days");
            lock = new ObjectStoreConfig.ObjectLock(l.requiredText("mode"), l.integer("days", 0));
        }
        return new ObjectStoreConfig(url[0], url[1], endpointUri, n.requiredText("region"),
                new ObjectStoreConfig.Credentials(idFile, secretFile, env.equals("true")), lock,
                n.text("replica", null), n.duration("interval", Duration.ofSeconds(10)),
                n.duration("alertAfter", Duration.ofMinutes(30)));
    }
}
