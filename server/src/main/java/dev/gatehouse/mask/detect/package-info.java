/**
 * Built-in detectors of high-risk values in free text — PEM private keys, AWS keys, GCP service-account key fields,
 * GitHub and Slack tokens, JWTs, bearer tokens, passwords in URLs and long high-entropy tokens — and
 * {@link dev.gatehouse.mask.detect.TextMasker}, which streams text through them and replaces each value by its marker
 * ({@link dev.gatehouse.mask.Fingerprints}). Used for {@code pods/log} responses and for what exec/attach session
 * recordings keep. See docs/MASKING.md.
 */
package dev.gatehouse.mask.detect;
