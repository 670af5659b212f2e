/** The OpenAPI v2 and v3 documents, built from the compact hand-written {@code schemas.txt}. */
package dev.gatehouse.sandbox.openapi;
