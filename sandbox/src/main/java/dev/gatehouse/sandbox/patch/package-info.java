/** The four patch formats of the Kubernetes API: JSON patch, merge patch, strategic merge patch, server-side apply. */
package dev.gatehouse.sandbox.patch;
