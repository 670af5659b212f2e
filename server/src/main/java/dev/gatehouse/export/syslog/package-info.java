/** Export as RFC 5424 syslog over TCP or TLS, with octet-counted framing (RFC 6587 / RFC 5425). */
package dev.gatehouse.export.syslog;
