/**
 * Masking Secret values in responses as they stream to the client. {@link dev.gatehouse.mask.MaskingChoice} picks
 * each response's {@link dev.gatehouse.forward.BodyTransform}: the identity for everything that needs no masking,
 * {@link dev.gatehouse.mask.JsonMasker} (behind {@link dev.gatehouse.mask.GzipJsonMasker} for gzip bodies) for the
 * paths {@link dev.gatehouse.mask.MaskRules} names, a refusal for media types it cannot mask. A masked value becomes a
 * fixed-length marker carrying a keyed HMAC-SHA256 fingerprint ({@link dev.gatehouse.mask.Fingerprints}) under a
 * gateway-held key ({@link dev.gatehouse.mask.MaskKeys}). {@code pods/log} responses and session recordings pass the
 * built-in detectors of {@link dev.gatehouse.mask.detect}. {@link dev.gatehouse.mask.RequestBodies} turns a write's
 * body (JSON, YAML, patches, apply, protobuf; gzip) into the audit event's {@code requestObject} with every Secret in it
 * masked by the same {@link dev.gatehouse.mask.JsonMasker}. See docs/MASKING.md.
 */
package dev.gatehouse.mask;
